"""Span F1 of the whole engine (tagger + rules + attributions) on toxic_spans' tsd_trial.

    uv run python benchmarks/eval_spans.py [--data-dir ../shared/data]

The span tagger alone is scored by `moderation train` (model card); this scores what a
reviewer actually sees: every span of a non-approve result, any category but spam.
"""

import argparse
import ast
import csv
from pathlib import Path

from moderation.domain.models import Category, Decision
from moderation.ml.engine import Engine
from moderation.ml.spans import mean_span_f1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    with (args.data_dir / "toxic_spans" / "tsd_trial.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [r["text"] for r in rows]
    gold = [list(ast.literal_eval(r["spans"])) for r in rows]
    engine = Engine.load()
    results = engine.score(texts)
    predicted = []
    for result in results:
        offsets: set[int] = set()
        for span in result.spans:
            if span.category is not Category.SPAM:
                offsets.update(range(span.start, span.end))
        predicted.append(sorted(offsets))
    flagged = sum(r.decision is not Decision.APPROVE for r in results)
    print(f"tsd_trial posts: {len(texts)}, not approved by the engine: {flagged}")
    print(f"engine span F1 (all posts): {mean_span_f1(predicted, gold):.4f}")
    for label, keep in (
        ("tagger spans only", lambda source: source == "model"),
        ("tagger + rule spans", lambda source: source == "model" or source.startswith("rule:")),
        ("tagger + attributions", lambda source: source in ("model", "attribution")),
    ):
        subset = []
        for result in results:
            offsets = set()
            for span in result.spans:
                if keep(span.source) and span.category is not Category.SPAM:
                    offsets.update(range(span.start, span.end))
            subset.append(sorted(offsets))
        print(f"engine span F1, {label}: {mean_span_f1(subset, gold):.4f}")


if __name__ == "__main__":
    main()
