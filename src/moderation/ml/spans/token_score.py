"""One word token of the original text with its toxic-span probability."""

from typing import NamedTuple


class TokenScore(NamedTuple):
    """Token characters, their [start, end) offsets in the original text, P(toxic span)."""

    text: str
    start: int
    end: int
    probability: float
