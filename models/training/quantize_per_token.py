#!/usr/bin/env python3
"""Rewrite a dynamically quantized int8 graph so each token's activations are quantized on their own (issue 17).

`onnxruntime.quantization.quantize_dynamic` puts a DynamicQuantizeLinear before the MatMulIntegers that read a
tensor: one scale and zero point for the whole padded [batch, sequence, hidden] tensor, so a text's int8 activations
(and its scores) depend on its batch-mates and on the padding. This script replaces each one by a per-row (per-token) uint8 quantization over the hidden
axis, on the tensor flattened to [rows, hidden]:

    symmetric (default):   scale = max(max|x| / 127, 1e-12),  zp = 128                       per row
    asymmetric (--asymmetric-where, by default the GELU outputs, nearly all >= -0.17):
                           lo, hi = min(rowmin, 0), max(rowmax, 0)
                           scale = max((hi - lo) / 255, 1e-12),  zp = Round(-lo / scale)      per row
    x_q = QuantizeLinear(x, scale, zp, axis 0)                                                one pass
    z   = MatMulIntegerToFloat(x_q, W_q, a_scale 1, w_scale[, a_zero_point 128])           com.microsoft
    y   = (z - zp x colsum(W_q) x w_scale) x scale          (the zp term only for asymmetric rows)

(MatMulInteger/MatMulIntegerToFloat take only a scalar zero point and scale for their first input, hence the
per-row scale after the product and the zp x colsum correction; W_q's zero points are 0.) Every row then depends on
its own values only, and the integer products are exact, so a text gets the same scores alone, in any batch, with
any padding. The products that read the same tensor (query, key, value) are merged into one over concatenated
weights, then split. Which tensors get which scheme, and what each costs: models/README.md.

The int8 weights, their per-channel scales and every other node are kept as they are, so the rewrite needs no
checkpoint: its input is the previously shipped artifact.

    python models/training/quantize_per_token.py --input OLD.onnx --output NEW.onnx
"""
from __future__ import annotations

import argparse
import re
from typing import Dict, List

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class Rewriter:
    def __init__(self, model: onnx.ModelProto, asymmetric_where: str) -> None:
        self.model = model
        self.graph = model.graph
        self.asymmetric_where = re.compile(asymmetric_where)
        self.symmetric = False
        self.inits = {i.name: i for i in self.graph.initializer}
        self.users: Dict[str, List[onnx.NodeProto]] = {}
        for node in self.graph.node:
            for name in node.input:
                self.users.setdefault(name, []).append(node)
        inferred = onnx.shape_inference.infer_shapes(model)
        self.rank = {v.name: len(v.type.tensor_type.shape.dim) for v in inferred.graph.value_info}
        self.new: List[onnx.NodeProto] = []
        self.dropped: set = set()
        self.out_shapes: Dict[int, str] = {}
        if not any(o.domain == "com.microsoft" for o in model.opset_import):
            model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
        for name, value in {"pt/one": 1.0, "pt/zero": 0.0, "pt/inv255": 1 / 255, "pt/inv127": 1 / 127, "pt/tiny": 1e-12,
                            "pt/128": 128.0}.items():
            self.const(name, np.array(value, dtype=np.float32))
        self.const("pt/flat", np.array([-1], dtype=np.int64))
        self.const("pt/axis1", np.array([1], dtype=np.int64))
        self.const("pt/zp128", np.array(128, dtype=np.uint8))

    def const(self, name: str, value: np.ndarray) -> str:
        self.graph.initializer.append(numpy_helper.from_array(value, name))
        self.inits[name] = self.graph.initializer[-1]
        return name

    def node(self, op: str, inputs: List[str], output: str, **attrs) -> str:
        self.new.append(helper.make_node(op, inputs, [output], **attrs))
        return output

    def only_user(self, name: str, op: str) -> onnx.NodeProto:
        found = [n for n in self.users.get(name, []) if n.op_type == op]
        if len(found) != 1:
            raise SystemExit(f"expected one {op} reading {name}, found {len(found)}")
        return found[0]

    def shape_3d(self, width: int) -> str:
        """[batch, sequence, width]: every 3-D activation of a BERT encoder has input_ids' [batch, sequence]."""
        if width not in self.out_shapes:
            if not self.out_shapes:
                self.node("Shape", ["input_ids"], "pt/ids_shape")
            self.out_shapes[width] = self.node(
                "Concat", ["pt/ids_shape", self.const(f"pt/width{width}", np.array([width], dtype=np.int64))],
                f"pt/shape_{width}", axis=0)
        return self.out_shapes[width]

    def quantize_rows(self, x: str, p: str) -> tuple:
        """x (any rank, hidden last) -> (x_q [rows, hidden] uint8, scale [rows, 1], zp [rows, 1] float or None)."""
        x2 = self.node("Reshape", [x, self.const(f"{p}/hidden", np.array([-1, self.hidden(x)], dtype=np.int64))],
                       f"{p}/x2d")
        if self.symmetric:
            amax = self.node("ReduceMax", [self.node("Abs", [x2], f"{p}/abs")], f"{p}/amax", axes=[1], keepdims=0)
            scale = self.node("Max", [self.node("Mul", [amax, "pt/inv127"], f"{p}/s0"), "pt/tiny"], f"{p}/scale")
            zp_u8 = self.node("Expand", ["pt/zp128", self.node("Shape", [scale], f"{p}/rows")], f"{p}/zp_u8")
            zp = None
        else:
            hi = self.node("Max", [self.node("ReduceMax", [x2], f"{p}/hi0", axes=[1], keepdims=0), "pt/zero"], f"{p}/hi")
            lo = self.node("Min", [self.node("ReduceMin", [x2], f"{p}/lo0", axes=[1], keepdims=0), "pt/zero"], f"{p}/lo")
            span = self.node("Mul", [self.node("Sub", [hi, lo], f"{p}/span"), "pt/inv255"], f"{p}/s0")
            scale = self.node("Max", [span, "pt/tiny"], f"{p}/scale")
            zp1 = self.node("Round", [self.node("Neg", [self.node("Div", [lo, scale], f"{p}/lo_s")], f"{p}/nlo")],
                            f"{p}/zp1")
            zp_u8 = self.node("Cast", [zp1], f"{p}/zp_u8", to=TensorProto.UINT8)
            zp = self.node("Unsqueeze", [zp1, "pt/axis1"], f"{p}/zp")
        x_q = self.node("QuantizeLinear", [x2, scale, zp_u8], f"{p}/x_q", axis=0)
        return x_q, self.node("Unsqueeze", [scale, "pt/axis1"], f"{p}/scale_col"), zp

    def hidden(self, x: str) -> int:
        mmi = [u for u in self.users[self.dql_of[x].output[0]] if u.op_type == "MatMulInteger"][0]
        return int(self.inits[mmi.input[1]].dims[0])

    def rewrite(self) -> int:
        self.dql_of = {n.input[0]: n for n in self.graph.node if n.op_type == "DynamicQuantizeLinear"}
        for x, dql in self.dql_of.items():
            self.rewrite_one(x, dql)
        nodes = [n for n in self.graph.node if id(n) not in self.dropped] + self.new
        del self.graph.node[:]
        self.graph.node.extend(topological(nodes, self.graph))
        # The replaced MatMulIntegers' weights now live in the merged copies: drop what no node reads.
        read = {name for n in self.graph.node for name in n.input}
        kept = [i for i in self.graph.initializer if i.name in read]
        del self.graph.initializer[:]
        self.graph.initializer.extend(kept)
        return len(self.dql_of)

    def rewrite_one(self, x: str, dql: onnx.NodeProto) -> None:
        self.symmetric = not self.asymmetric_where.search(x)
        x_q_old, x_scale_old, _ = dql.output
        p = f"{x}/per_token"
        self.dropped.add(id(dql))
        mmis = [u for u in self.users[x_q_old] if u.op_type == "MatMulInteger"]
        weights, w_scales, outputs = [], [], []
        for mmi in mmis:
            cast = self.only_user(mmi.output[0], "Cast")
            mul = self.only_user(cast.output[0], "Mul")
            scale_mul = [u for u in self.users[x_scale_old] if u.output[0] in mul.input][0]
            w_zero = numpy_helper.to_array(self.inits[mmi.input[3]])
            if w_zero.any():
                raise SystemExit(f"{mmi.name}: weight zero points are not 0")
            weights.append(numpy_helper.to_array(self.inits[mmi.input[1]]))
            w_scales.append(numpy_helper.to_array(self.inits[[i for i in scale_mul.input if i != x_scale_old][0]]))
            outputs.append(mul.output[0])
            self.dropped.update({id(mmi), id(cast), id(mul), id(scale_mul)})
        w = np.concatenate(weights, axis=1)
        w_scale = np.concatenate(w_scales).astype(np.float32)
        x_q, scale, zp = self.quantize_rows(x, p)
        # acc x w_scale in one kernel (MLAS applies the per-column scale as it writes the output); its a_scale must
        # be a scalar, so the per-row scale is a Mul after it.
        self.new.append(helper.make_node(
            "MatMulIntegerToFloat",
            [x_q, self.const(f"{p}/w", w), "pt/one", self.const(f"{p}/w_scale", w_scale)]
            + (["pt/zp128"] if self.symmetric else []),
            [f"{p}/z"], domain="com.microsoft"))
        z = f"{p}/z"
        if zp is not None:
            colsum = self.const(f"{p}/colsum_scaled", w.astype(np.float32).sum(axis=0) * w_scale)
            z = self.node("Sub", [z, self.node("Mul", [zp, colsum], f"{p}/zp_colsum")], f"{p}/z_c")
        y = self.node("Mul", [z, scale], f"{p}/y2d")
        widths = [wt.shape[1] for wt in weights]
        parts = [f"{p}/part{i}" for i in range(len(widths))] if len(widths) > 1 else [y]
        if len(widths) > 1:
            self.new.append(helper.make_node(
                "Split", [y, self.const(f"{p}/split", np.array(widths, dtype=np.int64))], parts, axis=1))
        for part, width, out in zip(parts, widths, outputs):
            if self.rank.get(x, 2) == 3:
                self.node("Reshape", [part, self.shape_3d(width)], out)
            else:
                self.node("Identity", [part], out)


def topological(nodes: List[onnx.NodeProto], graph: onnx.GraphProto) -> List[onnx.NodeProto]:
    ready = {i.name for i in graph.initializer} | {i.name for i in graph.input} | {""}
    order, pending = [], list(nodes)
    while pending:
        rest = []
        for n in pending:
            if all(i in ready for i in n.input):
                order.append(n)
                ready.update(n.output)
            else:
                rest.append(n)
        if len(rest) == len(pending):
            raise SystemExit(f"graph has a cycle or a missing input near {rest[0].name or rest[0].op_type}")
        pending = rest
    return order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True, help="dynamically quantized ONNX graph (quantize_dynamic output)")
    parser.add_argument("--output", required=True, help="where to write the per-token graph")
    parser.add_argument("--asymmetric-where", default="intermediate_act_fn", metavar="REGEX",
                        help="quantize the tensors whose name matches asymmetrically (per-row zero point); the others "
                             "symmetrically (zero point 128, scale max|x|/127). Default: the GELU outputs, the inputs of "
                             "each feed-forward output projection ('.': all, '^$': none)")
    args = parser.parse_args()
    model = onnx.load(args.input)
    count = Rewriter(model, args.asymmetric_where).rewrite()
    if count == 0:
        raise SystemExit(f"{args.input} has no DynamicQuantizeLinear node: nothing to rewrite")
    onnx.checker.check_model(model)
    onnx.save(model, args.output)
    print(f"{args.output}: {count} DynamicQuantizeLinear nodes replaced by per-token uint8 quantization "
          f"(asymmetric where the tensor name matches {args.asymmetric_where!r})")


if __name__ == "__main__":
    main()
