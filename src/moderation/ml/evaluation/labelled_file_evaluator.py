import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

from moderation.ml.engine.engine import Engine
from moderation.ml.vocabulary.category import Category


class LabelledFileEvaluator:
    """`moderation eval`: the engine's metrics on a user's own labelled JSONL or CSV file.

    Either one `--label-field` scored against one `--category`, or every column named after a
    category (toxicity, insult, ...) holding 0/1. Positives are predicted at the policy's flag
    threshold, the point where a human would first see the text.
    """

    def __init__(self, engine: Engine, batch_size: int = 512) -> None:
        self._engine = engine
        self._batch = batch_size

    def evaluate(
        self,
        path: Path,
        text_field: str = "text",
        label_field: str | None = None,
        category: str | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> list[dict[str, Any]]:
        """Per-category metrics; `on_progress(done, total)` after each scored batch."""
        rows = _read_rows(path)
        if not rows:
            raise ValueError(f"{path} has no rows")
        if text_field not in rows[0]:
            raise ValueError(f"{path} has no column {text_field!r}")
        columns = self._columns(rows[0], label_field, category)
        texts = [str(r[text_field]) for r in rows]
        parts = []
        for i in range(0, len(texts), self._batch):
            batch = texts[i : i + self._batch]
            normalized = [self._engine.normalize(t) for t in batch]
            parts.append(self._engine.probabilities(normalized, batch)[0])
            if on_progress is not None:
                on_progress(min(i + self._batch, len(texts)), len(texts))
        scores = np.concatenate(parts)
        report: list[dict[str, Any]] = []
        for column, cat in columns:
            labels = np.array([_as_label(r.get(column)) for r in rows], dtype=float)
            known = ~np.isnan(labels)
            if not known.any():
                # A column with no label at all (an export of reviewer decisions with no
                # approval leaves the categories no reason decided unknown) has no metrics.
                report.append(_unlabelled(cat))
                continue
            y = labels[known].astype(int)
            p = scores[known, self._engine.category_index(cat)]
            flag_at = self._engine.policy.thresholds(cat).flag_at
            predicted = (p >= flag_at).astype(int)
            precision, recall, f1, _ = precision_recall_fscore_support(
                y, predicted, average="binary", zero_division=0.0
            )
            auc = roc_auc_score(y, p) if 0 < y.sum() < y.size else float("nan")
            report.append(
                {
                    "category": cat.value,
                    "n": int(y.size),
                    "positives": int(y.sum()),
                    "roc_auc": round(float(auc), 4),
                    "precision": round(float(precision), 4),
                    "recall": round(float(recall), 4),
                    "f1": round(float(f1), 4),
                }
            )
        return report

    @staticmethod
    def _columns(
        first: dict[str, Any], label_field: str | None, category: str | None
    ) -> list[tuple[str, Category]]:
        if label_field is not None:
            if category is None:
                raise ValueError("--label-field needs --category")
            if label_field not in first:
                raise ValueError(f"no column {label_field!r}")
            return [(label_field, Category(category))]
        found: list[tuple[str, Category]] = [(c.value, c) for c in Category if c.value in first]
        if not found:
            names = ", ".join(c.value for c in Category)
            raise ValueError(f"no label columns: name them after categories ({names})")
        return found


def _unlabelled(category: Category) -> dict[str, Any]:
    nan = float("nan")
    return {
        "category": category.value,
        "n": 0,
        "positives": 0,
        "roc_auc": nan,
        "precision": nan,
        "recall": nan,
        "f1": nan,
    }


def _read_rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
            if isinstance(record, dict):
                rows.append(record)
    return rows


def _as_label(value: Any) -> float:
    if value is None or value == "":
        return float("nan")
    if isinstance(value, bool):
        return float(value)
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "1.0"):
        return 1.0
    if text in ("0", "false", "no", "0.0"):
        return 0.0
    return float("nan")
