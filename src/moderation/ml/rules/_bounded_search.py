"""One RE2 search that can stop at a deadline, at the price of at most twice the work.

RE2 is linear, but one search over 20,000 characters through a large, ambiguous policy trie
can still take a second, and a deadline is only looked at between calls. So the search first
looks at a window after `pos` and doubles it while nothing is found: each call costs about as
much as all before it, so the work done when the deadline is noticed is at most about twice
the deadline. A window can cut a match short or hide an earlier one that reaches past it, so a
match found inside a window is confirmed by a search of the whole text, which stops soon after
that match.
"""

import time
from typing import Any

_FIRST_WINDOW = 4096


class DeadlinePassed(Exception):
    """The deadline passed before the search finished."""


def search(regex: Any, data: bytes, pos: int, deadline: float | None) -> Any:
    """`regex.search(data, pos)`, or DeadlinePassed once `time.perf_counter()` passes `deadline`."""
    if deadline is None:
        return regex.search(data, pos)
    window = _FIRST_WINDOW
    while True:
        if time.perf_counter() >= deadline:
            raise DeadlinePassed
        end = pos + window
        if end >= len(data):
            return regex.search(data, pos)
        if regex.search(data, pos, end) is not None:
            return regex.search(data, pos)
        window *= 2
