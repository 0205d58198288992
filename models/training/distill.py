#!/usr/bin/env python3
"""Distil one or more fine-tuned teachers into a shallower student (knowledge distillation), then export it.

The student is the first teacher's architecture with only some of its encoder layers (--student-layers, e.g. 0,2,4),
initialised from those fine-tuned layers plus the teacher's embeddings, pooler and classifier. It learns from the
teachers' averaged temperature-softened probabilities on train.txt and on word-level perturbations of train.txt
(--augment copies per sentence: word dropout, adjacent swaps, [MASK]ed words), plus the gold labels on the original
sentences. The checkpoint is chosen on val.txt only. The run is appended to attempts.jsonl like train.py's.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from typing import List

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from emotion_data import LABELS  # noqa: E402
from train import (  # noqa: E402
    bucketed_batches, collate, evaluate, model_device, optimizer_step, param_groups, record_run, schedule_factor,
    start_run, validation_point)

EXAMPLE = """
example (from the package root):
  HF_HUB_OFFLINE=1 .venv/bin/python models/training/distill.py --data ../shared/data/emotion \\
      --teacher models/training/runs/a1-l6-lr1e-4/best --teacher models/training/runs/a3-l6-seed7/best \\
      --student-layers 0,2,4 --augment 1 --epochs 3 --out models/emotion-minilm-l3
"""


def parse_args(argv: List[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, epilog=EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    io = p.add_argument_group("data and output")
    io.add_argument("--data", required=True, help="folder holding train.txt and val.txt")
    io.add_argument("--teacher", action="append", required=True,
                    help="fine-tuned HF folder (repeat for an ensemble; the first one also gives the student's weights)")
    io.add_argument("--out", help="model directory to export the student to (int8 with per-channel weight scales)")
    io.add_argument("--run-dir", help="checkpoints and logs (default: models/training/runs/distill-<timestamp>)")
    io.add_argument("--attempts-log", default=os.path.join(HERE, "attempts.jsonl"), help="JSON-lines run log")
    io.add_argument("--name", default="emotion-minilm-l3", help="model name for config.json (default: %(default)s)")
    hp = p.add_argument_group("hyperparameters")
    hp.add_argument("--student-layers", default="0,2,4",
                    help="encoder layers of --init-from the student keeps (default: %(default)s)")
    hp.add_argument("--init-from", help="HF folder the student's weights come from (default: the first --teacher); "
                                        "e.g. an earlier student, to distil 6 -> 3 -> 2 layers")
    hp.add_argument("--ffn-size", type=int,
                    help="prune every layer's feed-forward block to this many neurons (of 1536), keeping those with "
                         "the largest |w_in| * |w_out|; the student then recovers by distillation")
    hp.add_argument("--augment", type=int, default=1, help="perturbed copies per train sentence (default: %(default)s)")
    hp.add_argument("--temperature", type=float, default=2.0, help="softmax temperature of the KD loss (default: %(default)s)")
    hp.add_argument("--alpha", type=float, default=0.8,
                    help="weight of the KD loss on original sentences; 1-alpha goes to the gold label (default: %(default)s)")
    hp.add_argument("--epochs", type=int, default=3, help="epochs over originals + copies (default: %(default)s)")
    hp.add_argument("--batch-size", type=int, default=32, help="batch size (default: %(default)s)")
    hp.add_argument("--lr", type=float, default=1e-4, help="peak learning rate (default: %(default)s)")
    hp.add_argument("--warmup", type=float, default=0.06, help="warm-up fraction (default: %(default)s)")
    hp.add_argument("--weight-decay", type=float, default=0.01, help="AdamW weight decay (default: %(default)s)")
    hp.add_argument("--max-length", type=int, default=64, help="truncate to this many tokens (default: %(default)s)")
    hp.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")
    hp.add_argument("--augment-seed", type=int,
                    help="seed of the perturbed copies (default: --seed); keep it to reuse cached teacher labels")
    rt = p.add_argument_group("runtime")
    rt.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default: %(default)s)")
    rt.add_argument("--device", default="cpu", help="torch device, e.g. cpu or cuda (default: %(default)s)")
    rt.add_argument("--label-only", action="store_true",
                    help="label (and cache) the texts with the teachers, then stop: parallel students share the cache")
    rt.add_argument("--evals-per-epoch", type=int, default=2, help="validation passes per epoch (default: %(default)s)")
    rt.add_argument("--max-minutes", type=float,
                    help="training time budget (loading and labelling excluded): the lr decays by steps or by "
                         "elapsed/budget, whichever is further along, and training stops when it is spent")
    rt.add_argument("--limit-train", type=int, help="use only the first N train sentences (smoke tests)")
    rt.add_argument("--version", default=time.strftime("%Y.%m.%d"), help="version written into config.json")
    return p.parse_args(argv)


def perturb(text: str, rng: random.Random, mask_token: str) -> str:
    """One word-level perturbation: the label-bearing words usually survive, so the teacher's soft label stays
    informative while the student sees new contexts."""
    words = text.split()
    if len(words) < 3:
        return text
    out: List[str] = []
    for w in words:
        r = rng.random()
        if r < 0.10:
            continue  # drop
        out.append(mask_token if r < 0.20 else w)
    if len(out) >= 2 and rng.random() < 0.5:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out) if out else text


def teacher_logits(teachers, ids: List[List[int]], batch_size: int = 128):
    """Mean logits of the teachers (length-sorted batches, inference mode)."""
    import torch

    for t in teachers:
        t.eval()  # train.evaluate() leaves models in train mode: no dropout in the labels
    out = torch.zeros((len(ids), len(LABELS)))
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    device = model_device(teachers[0])
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            input_ids, mask = collate(ids, idx, device)
            logits = sum(t(input_ids=input_ids, attention_mask=mask).logits for t in teachers) / len(teachers)
            out[idx] = logits.float().cpu()
    return out


def build_student(teacher_dir: str, layers: List[int]):
    from transformers import AutoConfig, AutoModelForSequenceClassification

    teacher = AutoModelForSequenceClassification.from_pretrained(teacher_dir)
    config = AutoConfig.from_pretrained(teacher_dir)
    config.num_hidden_layers = len(layers)
    student = AutoModelForSequenceClassification.from_config(config)
    t_state = teacher.state_dict()
    s_state = {}
    for name in student.state_dict():
        src = name
        if ".encoder.layer." in name:
            head, rest = name.split(".encoder.layer.")
            k, tail = rest.split(".", 1)
            src = f"{head}.encoder.layer.{layers[int(k)]}.{tail}"
        s_state[name] = t_state[src]
    student.load_state_dict(s_state)
    return student.float()  # a teacher loaded from fp16 files still yields an fp32 student


def prune_ffn(model, size: int) -> None:
    """Structured pruning of each BERT layer's feed-forward block to `size` neurons: neuron j's weight is the norm of
    its input row times the norm of its output column (both Linear layers are sliced, the config follows)."""
    import torch

    for layer in model.base_model.encoder.layer:
        w_in, w_out = layer.intermediate.dense, layer.output.dense
        score = w_in.weight.norm(dim=1) * w_out.weight.norm(dim=0)
        keep = torch.topk(score, size).indices.sort().values
        new_in = torch.nn.Linear(w_in.in_features, size)
        new_out = torch.nn.Linear(size, w_out.out_features)
        with torch.no_grad():
            new_in.weight.copy_(w_in.weight[keep])
            new_in.bias.copy_(w_in.bias[keep])
            new_out.weight.copy_(w_out.weight[:, keep])
            new_out.bias.copy_(w_out.bias)
        layer.intermediate.dense, layer.output.dense = new_in, new_out
    model.config.intermediate_size = size


def main(argv: List[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    layers = [int(x) for x in args.student_layers.split(",")]
    run_dir, train, val = start_run(args, "distill-" + time.strftime("%Y%m%d-%H%M%S"))

    import torch
    import torch.nn.functional as F
    from tqdm import tqdm
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    if args.limit_train:
        train.texts, train.labels = train.texts[: args.limit_train], train.labels[: args.limit_train]
    tokenizer = AutoTokenizer.from_pretrained(args.teacher[0])
    enc = lambda texts: tokenizer(texts, truncation=True, max_length=args.max_length)["input_ids"]  # noqa: E731
    augment_seed = args.seed if args.augment_seed is None else args.augment_seed
    rng = random.Random(augment_seed)
    aug_texts = [perturb(t, rng, tokenizer.mask_token) for _ in range(args.augment) for t in train.texts]
    ids = enc(train.texts + aug_texts)
    n_orig = len(train.texts)
    gold = torch.tensor(train.labels + [-100] * len(aug_texts), device=args.device)
    val_ids = enc(val.texts)

    t0 = time.time()
    # The teachers' labels depend only on teachers, texts and tokenization: cache them beside the runs. A teacher
    # is its folder plus its weights file's size and mtime, so one retrained into the same folder is relabelled.
    def identity(folder: str):
        weights = os.stat(os.path.join(folder, "model.safetensors"))
        return [os.path.abspath(folder), weights.st_size, weights.st_mtime_ns]

    key = hashlib.sha256(json.dumps([[identity(t) for t in args.teacher], args.augment, augment_seed,
                                     args.max_length, args.limit_train]).encode()).hexdigest()[:16]
    cache = os.path.join(HERE, "runs", f"teacher-logits-{key}.pt")
    if os.path.exists(cache):
        soft, ensemble_logits = torch.load(cache)
    else:
        teachers = [AutoModelForSequenceClassification.from_pretrained(t).float().to(args.device).eval()
                    for t in args.teacher]
        for path, t in zip(args.teacher, teachers):
            print(f"teacher {path}: val {evaluate(t, val_ids, val.labels)}", flush=True)
        soft, ensemble_logits = teacher_logits(teachers, ids), teacher_logits(teachers, val_ids)
        del teachers
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        torch.save((soft, ensemble_logits), cache)
    ensemble_val = ensemble_logits.argmax(-1).numpy()
    from sklearn.metrics import accuracy_score, f1_score

    teacher_val = {"accuracy": float(accuracy_score(val.labels, ensemble_val)),
                   "macro_f1": float(f1_score(val.labels, ensemble_val, average="macro"))}
    print(f"teacher ensemble val {teacher_val}; labelled {len(ids)} texts in {time.time() - t0:.0f}s", flush=True)
    if args.label_only:
        print(f"teacher labels cached in {cache}", flush=True)
        return 0
    soft = soft.to(args.device)

    model = build_student(args.init_from or args.teacher[0], layers)
    if args.ffn_size:
        prune_ffn(model, args.ffn_size)
    model.to(args.device)
    model.base_model.embeddings.word_embeddings.weight.requires_grad_(False)  # as in train.py: faster CPU steps
    model.train()
    print(f"student: layers {layers} of {args.init_from or args.teacher[0]}, FFN {model.config.intermediate_size}; val before training {evaluate(model, val_ids, val.labels)}",
          flush=True)

    hp = argparse.Namespace(lr=args.lr, head_lr=None, layer_decay=1.0, weight_decay=args.weight_decay)
    optimizer = torch.optim.AdamW(param_groups(model, hp), lr=args.lr)
    base_lrs = [g["lr"] for g in optimizer.param_groups]
    per_epoch = math.ceil(len(ids) / args.batch_size)
    total = per_epoch * args.epochs
    warm = int(total * args.warmup)
    budget = args.max_minutes * 60 if args.max_minutes else None
    eval_points = {round(per_epoch * k / args.evals_per_epoch) for k in range(1, args.evals_per_epoch + 1)}
    best, history, step, stopped_early = {"accuracy": -1.0}, [], 0, False
    best_dir = os.path.join(run_dir, "best")
    T = args.temperature
    data_rng = random.Random(args.seed)
    train_started = time.time()  # the budget counts training only, not loading or labelling

    for epoch in range(args.epochs):
        bar = tqdm(bucketed_batches([len(x) for x in ids], args.batch_size, data_rng), desc=f"epoch {epoch + 1}/{args.epochs}",
                   mininterval=30, file=sys.stdout)
        running = 0.0
        for b, idx in enumerate(bar, start=1):
            input_ids, mask = collate(ids, idx, args.device)
            logits = model(input_ids=input_ids, attention_mask=mask).logits
            target = soft[idx]
            kd = F.kl_div(F.log_softmax(logits / T, -1), F.log_softmax(target / T, -1), log_target=True,
                          reduction="none").sum(-1) * T * T
            y = gold[idx]
            has_gold = y >= 0
            ce = F.cross_entropy(logits, y.clamp(min=0), reduction="none")
            weight_kd = torch.where(has_gold, torch.full_like(kd, args.alpha), torch.ones_like(kd))
            loss = (weight_kd * kd + (1 - args.alpha) * has_gold.float() * ce).mean()
            frac = step / total
            if budget:
                frac = max(frac, (time.time() - train_started) / budget)
            optimizer_step(model, optimizer, base_lrs, schedule_factor(step, total, warm, frac), loss)
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if b > 1 else loss.item()
            bar.set_postfix(loss=f"{running:.3f}", refresh=False)
            out_of_time = budget is not None and frac >= 1.0
            if b in eval_points or out_of_time:
                best = validation_point(model, tokenizer, val_ids, val.labels, epoch=epoch + b / per_epoch, step=step,
                                        loss=running, started=started, history=history, best=best, best_dir=best_dir)
            if out_of_time:
                stopped_early = True
                break
        if stopped_early:
            break

    wall = time.time() - started
    hyper = {k: getattr(args, k) for k in ("student_layers", "ffn_size", "augment", "temperature", "alpha", "epochs", "batch_size",
                                           "lr", "warmup", "weight_decay", "max_length", "seed", "augment_seed")}
    summary = {"device": str(args.device), "run_dir": os.path.relpath(run_dir, os.path.dirname(os.path.dirname(HERE))), "kind": "distillation",
               "teachers": args.teacher, "init_from": args.init_from or args.teacher[0], "teacher_ensemble_val": teacher_val, "hyperparameters": hyper, "best": best,
               "history": history, "stopped_early": stopped_early, "train_wall_s": round(wall, 1),
               "finished_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    record_run(run_dir, summary, args.attempts_log, wall)
    if args.out:
        from export import export_model_dir

        export_model_dir(best_dir, args.out, data_dir=args.data, name=args.name, version=args.version,
                         max_length=args.max_length, work_dir=run_dir, per_channel=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
