"""The shipped default bundle on the everyday probes (benchmarks/probes/everyday.jsonl).

benchmarks/bench_probes.py prints the per-group figures; docs/benchmarks.md records them
(90.6 % overall with bundle 1.2.0 and the current lexicon). This guards against a lexicon or
engine change that quietly undoes them; the margin absorbs a probe or two of drift.
"""

import json
from collections import defaultdict
from pathlib import Path

import pytest

from moderation.domain.models import Decision
from moderation.ml.engine import Engine

PROBES = Path(__file__).resolve().parents[2] / "benchmarks" / "probes" / "everyday.jsonl"
MIN_OVERALL = 0.88
# Groups the built-in rules carry (the models alone got 29-52 % of them).
MIN_RULE_GROUPS = {"veiled_threats": 0.8, "dehumanisation": 0.9, "coded_antisemitism": 0.9}


@pytest.fixture(scope="module")
def accuracy() -> dict[str, float]:
    probes = [json.loads(line) for line in PROBES.read_text("utf-8").splitlines() if line]
    results = Engine.load().score([p["text"] for p in probes])
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for probe, result in zip(probes, results, strict=True):
        decided = "approve" if result.decision is Decision.APPROVE else "act"
        total[probe["group"]] += 1
        right[probe["group"]] += decided == probe["expected"]
    figures = {group: right[group] / total[group] for group in total}
    figures["overall"] = sum(right.values()) / sum(total.values())
    return figures


@pytest.mark.slow
class TestEverydayProbes:
    def test_overall_accuracy_holds(self, accuracy: dict[str, float]) -> None:
        assert accuracy["overall"] >= MIN_OVERALL, accuracy

    @pytest.mark.parametrize(("group", "minimum"), sorted(MIN_RULE_GROUPS.items()))
    def test_rule_driven_groups_hold(
        self, accuracy: dict[str, float], group: str, minimum: float
    ) -> None:
        assert accuracy[group] >= minimum, accuracy
