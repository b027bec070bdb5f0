"""Refuses tenant regexes that could backtrack catastrophically (ReDoS).

Tenant rules run on the shared engine thread, so one slow pattern would stall every tenant.
Python's `re` has no timeout; instead, patterns with the shapes that cause exponential
backtracking are refused up front: an unbounded repeat inside another repeat, and
backreferences. Together with the bounded text length this keeps matching linear in practice.
"""

import importlib
import re
from typing import Any

MAX_PATTERN_LENGTH = 300

# The stdlib's own regex parser (what re.compile uses); `sre_parse` is its deprecated alias.
_parser: Any = importlib.import_module("re._parser")
_constants: Any = importlib.import_module("re._constants")
_REPEATS = {_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT}
_UNBOUNDED = _constants.MAXREPEAT


def check_regex(pattern: str) -> None:
    """Raise ValueError when `pattern` is invalid or risks catastrophic backtracking."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"a regex is at most {MAX_PATTERN_LENGTH} characters")
    try:
        re.compile(pattern)
        parsed = _parser.parse(pattern)
    except re.error as error:
        raise ValueError(f"invalid regex: {error}") from error
    _walk(list(parsed), inside_repeat=False)


def _walk(items: list[Any], *, inside_repeat: bool) -> None:
    for op, argument in items:
        if op in (_constants.GROUPREF, _constants.GROUPREF_EXISTS):
            raise ValueError("backreferences are not allowed in regex rules")
        if op in _REPEATS:
            low, high, body = argument
            del low
            if inside_repeat and high == _UNBOUNDED:
                raise ValueError(
                    "nested unbounded repetition (like (a+)+) is not allowed: it can take "
                    "exponential time"
                )
            _walk(list(body), inside_repeat=inside_repeat or high > 1)
        elif op == _constants.SUBPATTERN:
            _walk(list(argument[-1]), inside_repeat=inside_repeat)
        elif op == _constants.BRANCH:
            for branch in argument[1]:
                _walk(list(branch), inside_repeat=inside_repeat)
        elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
            _walk(list(argument[1]), inside_repeat=inside_repeat)
