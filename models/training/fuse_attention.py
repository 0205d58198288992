#!/usr/bin/env python3
"""Replace each self-attention block of a torch-exported BERT graph by one com.microsoft MultiHeadAttention node.

The torch export spells attention out as ~20 nodes per layer (reshape/transpose of query, key and value to heads,
two scaling Muls, MatMul, the additive mask, Softmax, an IsNaN/Where guard, MatMul, transpose and reshape back).
ONNX Runtime's own attention fusion does not recognise them once the projections are quantized
(quantize_per_token.py), so this script swaps them, per layer, for MultiHeadAttention(query, key, value,
key_padding_mask, with the three projection biases): the same arithmetic (scale 1/sqrt(head size); padded keys get weight exactly 0) in one CPU
kernel, without the intermediate tensors. Everything else is kept; nodes left without readers are removed.

The layers are found by the export's node names (`/inner/bert/encoder/layer.N/attention/self/...`, as export.py
writes them); the script stops with an error when a name is missing rather than guess.

    python models/training/fuse_attention.py --input IN.onnx --output OUT.onnx
"""
from __future__ import annotations

import argparse
import json
import re

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from quantize_per_token import topological  # same folder: run as models/training/fuse_attention.py

SELF = "/inner/bert/encoder/layer.{layer}/attention/self"




def fuse(model: onnx.ModelProto, num_heads: int) -> int:
    graph = model.graph
    produced = {out: node for node in graph.node for out in node.output}
    initializers = {i.name: i for i in graph.initializer}
    layers = sorted({int(m.group(1)) for name in produced if (m := re.match(r"/inner/bert/encoder/layer\.(\d+)/", name))})
    if not layers:
        raise SystemExit("no /inner/bert/encoder/layer.N/ nodes: not a graph export.py wrote")
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    mask = "attention/key_padding_mask_int32"
    nodes = [helper.make_node("Cast", ["attention_mask"], [mask], to=TensorProto.INT32)]
    replaced = set()
    for layer in layers:
        base = SELF.format(layer=layer)
        # The projections without their bias Adds: MultiHeadAttention adds the three biases itself.
        adds = [produced.get(f"{base}/{part}/Add_output_0") for part in ("query", "key", "value")]
        context = f"{base}/Reshape_4_output_0"
        if any(a is None or a.op_type != "Add" for a in adds) or context not in produced:
            raise SystemExit(f"layer {layer}: the query/key/value Adds or {context} not found")
        projections, biases = [], []
        for add in adds:
            bias = [i for i in add.input if i in initializers]
            if len(bias) != 1:
                raise SystemExit(f"{add.name or add.output[0]}: expected one constant bias input")
            projections.append([i for i in add.input if i != bias[0]][0])
            biases.append(numpy_helper.to_array(initializers[bias[0]]))
        bias_name = f"{base}/qkv_bias"
        graph.initializer.append(numpy_helper.from_array(np.concatenate(biases).astype(np.float32), bias_name))
        replaced.add(id(produced[context]))
        nodes.append(helper.make_node("MultiHeadAttention", [*projections, bias_name, mask], [context],
                                      domain="com.microsoft", num_heads=num_heads,
                                      name=f"{base}/MultiHeadAttention"))
    kept = [n for n in graph.node if id(n) not in replaced] + nodes
    # Drop nodes whose outputs nobody reads (the unrolled attention), repeatedly, then restore a valid order.
    outputs = {o.name for o in graph.output}
    while True:
        read = {name for n in kept for name in n.input} | outputs
        alive = [n for n in kept if any(o in read for o in n.output)]
        if len(alive) == len(kept):
            break
        kept = alive
    order = topological(kept, graph)
    del graph.node[:]
    graph.node.extend(order)
    read = {name for n in graph.node for name in n.input}
    initializers = [i for i in graph.initializer if i.name in read]
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    if any(n.op_type == "Softmax" for n in graph.node):
        raise SystemExit("a Softmax is left: some attention block was not replaced")
    return len(layers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--config", required=True, help="the model folder's config.json (num_attention_heads)")
    args = parser.parse_args()
    heads = int(json.load(open(args.config, encoding="utf-8"))["num_attention_heads"])
    model = onnx.load(args.input)
    count = fuse(model, heads)
    onnx.checker.check_model(model)
    onnx.save(model, args.output)
    print(f"{args.output}: {count} attention blocks replaced by MultiHeadAttention ({heads} heads)")


if __name__ == "__main__":
    main()
