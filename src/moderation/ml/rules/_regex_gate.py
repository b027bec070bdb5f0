"""Literal strings a regex cannot match without, so most texts can skip most regex rules.

Python's regex engine tries every alternative at every position when a pattern starts with
`\\b`; dozens of such rules would cost more than everything else together. Any match of
`\\bi (will|'ll) (kill|hurt) you\\b` contains "kill" or "hurt", so a single scan for all
rules' required literals (a plain alternation, which the engine scans quickly) decides
which rules are worth running at all.
"""

import importlib
import re
from typing import Any

_MIN_USEFUL = 2
_MAX_CLASS = 4

try:
    _parser: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - other interpreters: every rule simply always runs
    _parser = _c = None


def required_literals(pattern: str) -> frozenset[str] | None:
    """Lowercase strings of which every match contains one; None if none can be proven."""
    if _parser is None:
        return None  # pragma: no cover
    try:
        parsed = list(_parser.parse(pattern, re.IGNORECASE))
    except Exception:
        return None
    found = _sequence(parsed)
    if not found or min(len(s) for s in found) < _MIN_USEFUL:
        return None
    return frozenset(s.lower() for s in found)


def _score(candidates: set[str]) -> tuple[int, int]:
    return min(len(s) for s in candidates), -len(candidates)


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    best: set[str] | None = None
    run: list[str] = []

    def consider(candidates: set[str] | None) -> None:
        nonlocal best
        if candidates and (best is None or _score(candidates) > _score(best)):
            best = candidates

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        if op is _c.AT:
            continue  # zero-width: "kill\\b" still requires "kill"
        if run:
            consider({"".join(run)})
            run = []
        if op is _c.SUBPATTERN:
            consider(_sequence(list(av[-1])))
        elif op is _c.BRANCH:
            branches = [_sequence(list(branch)) for branch in av[1]]
            if all(branches):
                consider(set().union(*[b for b in branches if b]))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            consider(_sequence(list(av[2])))
        elif op is _c.IN and len(av) <= _MAX_CLASS and all(o is _c.LITERAL for o, _ in av):
            consider({chr(v) for _, v in av})
    if run:
        consider({"".join(run)})
    return best
