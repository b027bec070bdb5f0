"""Reader for the SemEval-2021 Task 5 CSV files (`spans`, `text` columns)."""

import csv
import json
from pathlib import Path


def read_tsd_csv(path: Path) -> tuple[list[str], list[list[int]]]:
    """Texts and their gold toxic character offsets, in file order."""
    texts: list[str] = []
    offsets: list[list[int]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            spans = json.loads(row["spans"])
            if not isinstance(spans, list) or not all(isinstance(o, int) for o in spans):
                raise ValueError(f"{path}: malformed spans {row['spans'][:60]!r}")
            texts.append(row["text"])
            offsets.append(spans)
    return texts, offsets
