#!/usr/bin/env python3
"""Rank finished training runs (their summary.json) by best validation accuracy, then macro-F1.

  rank_runs.py RUN_DIR...                       a table, best first
  rank_runs.py RUN_DIR... --paths [--top N]     the runs' best/ checkpoints, best first (for shell pipelines)
  rank_runs.py RUN_DIR... --paths --per ffn_size
                                                the best run of each value of a hyperparameter
Runs without a summary.json (crashed or cut off) are listed as such in the table and left out of --paths.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Dict, List


def load(run_dir: str) -> Dict[str, object] | None:
    path = os.path.join(run_dir, "summary.json")
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        summary = json.load(fh)
    summary["_dir"] = run_dir
    return summary


def main(argv: List[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("runs", nargs="+")
    p.add_argument("--paths", action="store_true", help="print <run>/best paths only")
    p.add_argument("--top", type=int, help="at most N runs")
    p.add_argument("--per", help="keep the best run per value of this hyperparameter (e.g. ffn_size)")
    args = p.parse_args(argv)

    done = [s for s in map(load, args.runs) if s is not None]
    done.sort(key=lambda s: (-s["best"]["accuracy"], -s["best"].get("macro_f1", 0.0)))
    if args.per:
        seen, kept = set(), []
        for s in done:
            value = s["hyperparameters"].get(args.per)
            if value not in seen:
                seen.add(value)
                kept.append(s)
        done = kept
    if args.top:
        done = done[: args.top]
    if args.paths:
        for s in done:
            print(os.path.join(s["_dir"], "best"))
        return 0
    for s in done:
        b, h = s["best"], s["hyperparameters"]
        shown = {k: v for k, v in h.items() if v not in (None, False)}
        print(f"{s['_dir']:<40} acc {b['accuracy']:.4f}  F1 {b.get('macro_f1', 0):.4f}  epoch {b.get('epoch')}"
              f"  wall {s.get('train_wall_s')} s  {json.dumps(shown)}")
    for run in args.runs:
        if load(run) is None:
            print(f"{run:<40} no summary.json (crashed or cut off)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
