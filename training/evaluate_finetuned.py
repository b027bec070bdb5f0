"""Score a fine-tuned export against the shipped engine's fast tier, torch-free.

Runs in the project venv (numpy runtime only), on the catalog's validation split:

    uv run --frozen python training/evaluate_finetuned.py --model DIR [--data ../shared/data]

Prints ROC AUC per category for both and the numpy scorer's throughput, and writes
DIR/eval.json. Both see the texts the engine would hand them (Engine.normalize).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import roc_auc_score

from moderation.ml.data import DatasetCatalog, LabelledText
from moderation.ml.embeddings import FinetunedScorer
from moderation.ml.engine import Engine
from moderation.ml.engine.engine_options import EngineOptions

# Filler that fills the 64-token window: the worst case the runtime must budget for.
_LONG_TEXT = "the quick brown fox jumps over the lazy dog and keeps on running " * 8


def _aucs(
    records: list[LabelledText], scores: NDArray[np.float32], categories: list[Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for j, category in enumerate(categories):
        labels = np.array([r.labels.get(category, np.nan) for r in records], dtype=float)
        known = ~np.isnan(labels)
        y = labels[known]
        if y.size == 0 or y.min() == y.max():
            continue
        out[category.value] = {
            "auc": round(float(roc_auc_score(y, scores[known, j])), 4),
            "labelled": int(y.size),
            "positives": int(y.sum()),
        }
    out["mean"] = round(float(np.mean([v["auc"] for v in out.values()])), 4)
    return out


def _throughput(scorer: FinetunedScorer, texts: list[str], batch_size: int) -> float:
    start = time.perf_counter()
    scorer.probabilities(texts, batch_size=batch_size)
    return round(len(texts) / (time.perf_counter() - start), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True, help="fine-tuned export")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--limit", type=int, default=None, help="first N validation texts")
    args = parser.parse_args(argv)

    validation = [e for e in DatasetCatalog(args.data).load_all() if e.split == "validation"]
    validation = validation[: args.limit]
    texts = [e.text for e in validation]
    engine = Engine.load(options=EngineOptions(semantic="never"))
    normalized = [engine.normalize(t) for t in texts]
    start = time.perf_counter()
    fast = engine.probabilities(normalized, texts)[1]
    fast_seconds = time.perf_counter() - start

    scorer = FinetunedScorer.load(args.model)
    if scorer.categories != engine.categories:
        raise SystemExit(f"category order differs: {scorer.categories} != {engine.categories}")
    start = time.perf_counter()
    tuned = scorer.probabilities(normalized, batch_size=args.batch_size)
    tuned_seconds = time.perf_counter() - start

    report = {
        "validation_texts": len(validation),
        "fast_tier": _aucs(validation, fast, engine.categories),
        "finetuned": _aucs(validation, tuned, scorer.categories),
        "throughput_texts_per_second": {
            "fast_tier_validation": round(len(texts) / fast_seconds, 1),
            "finetuned_validation": round(len(texts) / tuned_seconds, 1),
            "finetuned_full_64_tokens": _throughput(scorer, [_LONG_TEXT] * 320, args.batch_size),
        },
        "batch_size": args.batch_size,
        "max_tokens": scorer.max_tokens,
    }
    (args.model / "eval.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    rows = [f"{'category':<12} {'fast':>6} {'tuned':>6} {'labelled':>8} {'pos':>6}"]
    for category in [*(c.value for c in scorer.categories), "mean"]:
        a, b = report["fast_tier"].get(category), report["finetuned"].get(category)
        if a is None or b is None:
            continue
        if category == "mean":
            rows.append(f"{'mean':<12} {a:>6.4f} {b:>6.4f}")
            continue
        rows.append(
            f"{category:<12} {a['auc']:>6.4f} {b['auc']:>6.4f} "
            f"{b['labelled']:>8} {b['positives']:>6}"
        )
    rows.append(json.dumps(report["throughput_texts_per_second"]))
    sys.stdout.write("\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
