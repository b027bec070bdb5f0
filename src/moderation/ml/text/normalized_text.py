import re
from dataclasses import dataclass, field

_REPEATS = re.compile(r"([^\W\d_])\1+")


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalised text that remembers where each of its characters came from.

    `text` is what matchers and classifiers read; `undecoded` is the same text before
    leetspeak decoding (same length, same offsets: "f4ck" where `text` has "fack"), so a
    matcher can accept a digit or symbol in place of a letter; a word the normaliser restored
    ("f.ck", "fcuk" -> "fuck") reads restored in both. `original_span` maps any
    `[start, end)` range of `text` back to the original string.
    """

    original: str
    text: str
    undecoded: str = field(default="", repr=False, compare=False)
    # Per character of `text`: first original index and one past the last. None = identity.
    _starts: list[int] | None = field(default=None, repr=False, compare=False)
    _ends: list[int] | None = field(default=None, repr=False, compare=False)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The `[start, end)` range of `original` that `text[start:end]` came from."""
        size = len(self.text)
        if not 0 <= start <= end <= size:
            raise ValueError(f"span [{start}, {end}) is outside a text of length {size}")
        if start == end:
            if start == size:
                point = len(self.original)
            else:
                point = start if self._starts is None else self._starts[start]
            return point, point
        if self._starts is None or self._ends is None:
            return start, end
        return self._starts[start], self._ends[end - 1]

    def original_text(self, start: int, end: int) -> str:
        """The original substring behind `text[start:end]`."""
        first, last = self.original_span(start, end)
        return self.original[first:last]

    @property
    def squeezed(self) -> str:
        """`text` with every run of a repeated letter cut to one ("fuuck" -> "fuck").

        Offsets do not survive this view; use it for comparisons, not for spans.
        """
        return _REPEATS.sub(r"\1", self.text)
