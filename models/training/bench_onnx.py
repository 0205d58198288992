#!/usr/bin/env python3
"""Tweets/s of the emotion-stream model vs a DistilBERT-base-sized graph, same run, same code path (onnxruntime).

Both graphs see the same val texts tokenized with the model's tokenizer.json (DistilBERT-base uses the same
bert-base-uncased vocabulary), length-sorted into batches of --batch-size and padded to each batch's longest
sequence, with intra_op_num_threads=--threads and graph optimisation ORT_ENABLE_ALL. The baseline has random
weights (only its compute matters); --build-baseline writes it with transformers' DistilBertConfig() defaults
(6 layers x 768, 12 heads, 6 labels), outside the repo. Timed: session.run on every batch, --repeats times, the two graphs alternating batch by batch (the CPU is shared
with other jobs); tweets/s = texts / sum of per-batch minimum times (medians reported too). Tokenization is timed
separately. A fixed B=32,T=32 figure is printed too.

example:
  .venv/bin/python models/training/bench_onnx.py --model models/emotion-minilm-l6 \\
      --data ../shared/data/emotion/val.txt --baseline /tmp/distilbert-base-random.onnx --build-baseline
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from emotion_data import length_sorted_batches, read_split  # noqa: E402


def build_baseline(path: str) -> None:
    """DistilBERT-base at full size with random weights and 6 labels: the compute the card's model costs."""
    import torch
    from transformers import DistilBertConfig, DistilBertForSequenceClassification

    from export import export_logits_graph

    torch.manual_seed(0)
    export_logits_graph(DistilBertForSequenceClassification(DistilBertConfig(num_labels=6)), path)


def make_batches(ids: List[List[int]], batch_size: int):
    import numpy as np

    out = []
    for idx in length_sorted_batches([len(x) for x in ids], batch_size):
        width = max(len(ids[i]) for i in idx)
        input_ids = np.zeros((len(idx), width), dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        for row, i in enumerate(idx):
            input_ids[row, : len(ids[i])] = ids[i]
            mask[row, : len(ids[i])] = 1
        out.append({"input_ids": input_ids, "attention_mask": mask})
    return out


def open_session(path: str, threads: int):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])


def time_interleaved(sessions: Dict[str, object], batches, repeats: int) -> Dict[str, Dict[str, float]]:
    """Time every batch `repeats` times on each graph, alternating graphs batch by batch.

    The CPU here is shared with other jobs, so a whole-pass time mostly measures their load. Alternating the graphs
    exposes both to the same load, and the per-batch minimum over repeats estimates the unloaded cost; the summed
    per-batch medians are reported too.
    """
    import numpy as np
    from tqdm import tqdm

    n = sum(b["input_ids"].shape[0] for b in batches)
    times = {name: np.zeros((len(batches), repeats)) for name in sessions}
    for name, session in sessions.items():  # warm-up
        for b in batches[:2]:
            session.run(["logits"], b)
    for r in tqdm(range(repeats), desc="timing passes", file=sys.stderr):
        for k, b in enumerate(batches):
            for name, session in sessions.items():
                t0 = time.perf_counter()
                session.run(["logits"], b)
                times[name][k, r] = time.perf_counter() - t0
    fixed = {"input_ids": np.full((32, 32), 1037, dtype=np.int64), "attention_mask": np.ones((32, 32), np.int64)}
    fixed_times = {name: [] for name in sessions}
    for _ in range(repeats):
        for name, session in sessions.items():
            t0 = time.perf_counter()
            session.run(["logits"], fixed)
            fixed_times[name].append(time.perf_counter() - t0)
    return {name: {"tweets_per_s": n / times[name].min(axis=1).sum(),
                   "tweets_per_s_median": n / np.median(times[name], axis=1).sum(),
                   "fixed_b32_t32_tweets_per_s": 32 / min(fixed_times[name])} for name in sessions}


def main(argv: List[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="model directory (reads config.json's emotion_stream.onnx)")
    p.add_argument("--onnx", help="graph inside --model to time instead of emotion_stream.onnx (e.g. onnx/model.onnx)")
    p.add_argument("--data", required=True, help="val.txt ('text;label_name' with a header line)")
    p.add_argument("--baseline", default="/tmp/distilbert-base-random.onnx", help="DistilBERT-base ONNX graph")
    p.add_argument("--build-baseline", action="store_true", help="(re)build --baseline first (random weights)")
    p.add_argument("--batch-size", type=int, default=32, help="default: %(default)s")
    p.add_argument("--threads", type=int, default=2, help="onnxruntime intra-op threads (default: %(default)s)")
    p.add_argument("--repeats", type=int, default=5, help="timed passes over the data (default: %(default)s)")
    p.add_argument("--limit", type=int, help="use only the first N texts (quick checks)")
    p.add_argument("--json", help="also write the result here")
    args = p.parse_args(argv)

    import onnxruntime as ort
    from tokenizers import Tokenizer

    if args.build_baseline or not os.path.exists(args.baseline):
        build_baseline(args.baseline)
    with open(os.path.join(args.model, "config.json")) as fh:
        es = json.load(fh)["emotion_stream"]
    model_path = os.path.join(args.model, args.onnx or es["onnx"])
    texts = read_split(args.data).texts[: args.limit]
    tok = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(es.get("max_length", 128))
    t0 = time.perf_counter()
    ids = [e.ids for e in tok.encode_batch(texts)]
    tokenize_s = time.perf_counter() - t0
    batches = make_batches(ids, args.batch_size)

    sessions = {"model": open_session(model_path, args.threads),
                "distilbert_base": open_session(args.baseline, args.threads)}
    timed = time_interleaved(sessions, batches, args.repeats)
    load = os.getloadavg()
    result = {
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.machine()} {os.cpu_count()} logical CPUs, no GPU",
        "load_average_1_5_15": [round(x, 2) for x in load],
        "onnxruntime": ort.__version__,
        "texts": len(texts), "mean_tokens": round(sum(map(len, ids)) / len(ids), 1),
        "batch_size": args.batch_size, "threads": args.threads, "repeats": args.repeats,
        "tokenize_tweets_per_s": round(len(texts) / tokenize_s),
        "model": {"path": model_path, "size_mb": round(os.path.getsize(model_path) / 1e6, 1), **timed["model"]},
        "distilbert_base": {"path": args.baseline, "size_mb": round(os.path.getsize(args.baseline) / 1e6, 1),
                            **timed["distilbert_base"]},
    }
    result["speedup"] = result["model"]["tweets_per_s"] / result["distilbert_base"]["tweets_per_s"]
    result["speedup_median"] = (result["model"]["tweets_per_s_median"]
                                / result["distilbert_base"]["tweets_per_s_median"])
    result["speedup_fixed_b32_t32"] = (result["model"]["fixed_b32_t32_tweets_per_s"]
                                       / result["distilbert_base"]["fixed_b32_t32_tweets_per_s"])
    print(json.dumps(result, indent=2))
    print(f"model {result['model']['tweets_per_s']:.0f} tweets/s vs DistilBERT-base "
          f"{result['distilbert_base']['tweets_per_s']:.0f} tweets/s -> {result['speedup']:.1f}x "
          f"(per-batch medians: {result['speedup_median']:.1f}x; fixed B=32,T=32: {result['speedup_fixed_b32_t32']:.1f}x)")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=2)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
