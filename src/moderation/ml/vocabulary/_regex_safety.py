"""Tenant regexes run on RE2, a linear-time engine; this module compiles and vets them.

Tenant rules share the engine with every other tenant. Python's `re` backtracks, and no check
of pattern shapes catches every catastrophic one: the old guard let `(\\w|\\w\\w)+$` through,
which took 2.5 s on 32 characters and doubled per character. RE2 runs every pattern it accepts
in time linear in the text, so acceptance no longer rests on a guess: a pattern is accepted when
RE2 compiles it into a small program. RE2 lacks exactly the features that need backtracking
(backreferences, lookaround, atomic groups, possessive quantifiers); those are refused with a
message that names the feature.

RE2 falls back from its DFA to a simulation whose cost is text length x program size, so the
program size is capped too, per pattern and (by `ModerationPolicy`) per policy.
"""

import re
from functools import lru_cache
from typing import Any

import re2  # type: ignore[import-untyped]

MAX_PATTERN_LENGTH = 300
MAX_PROGRAM_SIZE = 1500
# Per compiled regex: bounds its program and its DFA cache (past it RE2 still runs, slower).
MAX_MEMORY_BYTES = 256 * 1024

# Strings whose matches show whether a pattern can match the empty string in some context:
# start and end of text, word/word, word/non-word and non-word/non-word neighbours, lines.
_EMPTY_PROBES = ("", "a", " ", "aa", "a a", "  ", "_", "1", "a\na", "\n\n")
_UNSUPPORTED = (
    (re.compile(r"invalid perl operator: \(\?<?[=!]"), "lookaround ((?=...), (?!...), (?<=...))"),
    (re.compile(r"invalid perl operator: \(\?>"), "atomic groups ((?>...))"),
    (re.compile(r"bad repetition operator: .*\+$"), "possessive quantifiers (a++, a*+, a{2}+)"),
    (re.compile(r"invalid escape sequence: \\[1-9]"), "backreferences (\\1)"),
    (re.compile(r"invalid perl operator: \(\?P$"), "named backreferences ((?P=name))"),
    (re.compile(r"invalid escape sequence: \\Z"), "\\Z (write \\z for the end of the text)"),
    (re.compile(r"invalid perl operator: \(\?[a-zA-Z]*x"), "verbose mode ((?x))"),
)


def regex_options() -> Any:
    """RE2 options for tenant regexes: case-insensitive, no captures, bounded memory."""
    options = re2.Options()
    options.case_sensitive = False
    # Rules need where a match is, never its groups: without captures RE2 finds both ends
    # with its DFA instead of the slower submatch engines.
    options.never_capture = True
    options.max_mem = MAX_MEMORY_BYTES
    options.log_errors = False
    return options


@lru_cache(maxsize=4096)
def compile_regex(pattern: str) -> Any:
    """The RE2 regex for a tenant pattern; ValueError (saying why) if it is refused."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"a regex is at most {MAX_PATTERN_LENGTH} characters, not {len(pattern)}")
    try:
        compiled = re2.compile(pattern, regex_options())
    except re2.error as error:
        raise ValueError(_explain(error)) from None
    size = compiled.programsize
    if size > MAX_PROGRAM_SIZE:
        raise ValueError(
            f"the regex is too complex: it compiles to {size} RE2 instructions and the limit "
            f"is {MAX_PROGRAM_SIZE} (large counted repeats such as (a{{1,30}}){{1,30}} cost most)"
        )
    if any(m.start() == m.end() for probe in _EMPTY_PROBES for m in compiled.finditer(probe)):
        raise ValueError("the regex can match the empty string, so it would hit everywhere")
    return compiled


def check_regex(pattern: str) -> int:
    """Raise ValueError if `pattern` is refused; otherwise return its RE2 program size."""
    return int(compile_regex(pattern).programsize)


def _explain(error: Exception) -> str:
    raw = error.args[0] if error.args else error
    message = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    for shape, feature in _UNSUPPORTED:
        if shape.search(message):
            return (
                f"not supported: {feature}; regex rules run on RE2, a linear-time engine "
                f"without backtracking ({message})"
            )
    if "too large" in message or "too big" in message:
        return f"the regex is too complex for RE2's memory limit ({message})"
    return f"invalid regex: {message}"
