"""Accuracy of the shipped engine under the default policy on everyday probe texts.

    uv run python benchmarks/bench_probes.py [--probes benchmarks/probes/everyday.jsonl]

Each probe line is {"id", "group", "text", "expected"}, expected "approve" or "act" (flag or
reject). Prints a markdown table of accuracy per group and overall, then every failure with
its decision, top scores and reasons; docs/benchmarks.md records the figures.
"""

import argparse
import json
from collections import defaultdict
from pathlib import Path

from moderation.domain.models import Decision, ModerationResult
from moderation.ml.engine import Engine

_DEFAULT_PROBES = Path(__file__).parent / "probes" / "everyday.jsonl"
_TOP_SCORES = 3


def load_probes(path: Path) -> list[dict[str, str]]:
    probes = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    for probe in probes:
        if probe["expected"] not in ("approve", "act"):
            raise ValueError(f"{probe['id']}: expected must be approve or act")
    return probes


def outcome(result: ModerationResult) -> str:
    return "approve" if result.decision is Decision.APPROVE else "act"


def describe(result: ModerationResult) -> str:
    top = sorted(result.scores.items(), key=lambda kv: -kv[1])[:_TOP_SCORES]
    scores = ", ".join(f"{c.value} {p:.2f}" for c, p in top)
    reasons = ", ".join(r.value for r in result.reasons) or "-"
    rules = ", ".join(s.source for s in result.spans if s.source.startswith("rule:")) or "-"
    return f"{result.decision.value}; {scores}; reasons {reasons}; rules {rules}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--probes", type=Path, default=_DEFAULT_PROBES)
    parser.add_argument("--model", default=None, help="bundle directory or name (default: shipped)")
    args = parser.parse_args()
    probes = load_probes(args.probes)
    engine = Engine.load(args.model)
    results = engine.score([p["text"] for p in probes])

    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    expected: dict[str, str] = {}
    failures: list[tuple[dict[str, str], ModerationResult]] = []
    for probe, result in zip(probes, results, strict=True):
        group = probe["group"]
        total[group] += 1
        expected[group] = probe["expected"]
        if outcome(result) == probe["expected"]:
            right[group] += 1
        else:
            failures.append((probe, result))

    print(f"{len(probes)} probes, model {engine.model_version}, default policy\n")
    print("| group | expected | probes | accuracy |")
    print("|---|---|---:|---:|")
    for group in total:
        accuracy = right[group] / total[group]
        print(f"| {group} | {expected[group]} | {total[group]} | {accuracy:.0%} |")
    for label, want in (("all approve", "approve"), ("all act", "act")):
        n = sum(total[g] for g in total if expected[g] == want)
        ok = sum(right[g] for g in total if expected[g] == want)
        print(f"| **{label}** | {want} | {n} | {ok / max(1, n):.0%} |")
    overall = sum(right.values()) / len(probes)
    print(f"| **overall** | | {len(probes)} | {overall:.1%} |")

    print(f"\n{len(failures)} failures:")
    for probe, result in failures:
        print(f"- {probe['id']} (want {probe['expected']}): {probe['text']!r}")
        print(f"    {describe(result)}")


if __name__ == "__main__":
    main()
