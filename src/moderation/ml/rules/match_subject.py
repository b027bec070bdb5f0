import re
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from moderation.ml.text.normalized_text import NormalizedText

# Matchers need the text as UTF-8 (RE2 reads bytes); a lone surrogate stays one character.
_ENCODING, _ERRORS = "utf-8", "surrogatepass"
PAD = "\n"
# Beyond ASCII, what is neither letter nor digit (nor "_") for Python: one placeholder.
_OTHER = re.compile(r"[^\w\x00-\x7f]")
_PLACEHOLDER = "\x1f"


class MatchSubject:
    """One normalised text as the rule matchers read it, encoded once for all of them.

    RE2 works on UTF-8 bytes and reports byte offsets; `chars` maps them back to character
    offsets in one vectorised pass, so no match costs a re-scan of the text. The term view is
    padded with a newline at each end, so a word boundary is always a character (RE2 has no
    lookbehind), and every non-ASCII character that is neither letter nor digit is one
    placeholder there (same offsets), so word boundaries are a small class of ASCII bytes.
    """

    def __init__(self, normalized: NormalizedText) -> None:
        self.normalized = normalized

    @cached_property
    def terms(self) -> tuple[bytes, NDArray[np.int64] | None]:
        """The padded undecoded view (term rules) and its byte-to-character map."""
        view = self.normalized.undecoded or self.normalized.text
        return _encoded(PAD + _OTHER.sub(_PLACEHOLDER, view) + PAD)

    @cached_property
    def decoded(self) -> tuple[bytes, NDArray[np.int64] | None]:
        """The decoded text (regex rules) and its byte-to-character map."""
        return _encoded(self.normalized.text)


def chars(offsets: NDArray[np.int64] | None, byte_offset: int) -> int:
    """The character offset of `byte_offset` (None: an ASCII text, where they are equal)."""
    return byte_offset if offsets is None else int(offsets[byte_offset])


def _encoded(text: str) -> tuple[bytes, NDArray[np.int64] | None]:
    data = text.encode(_ENCODING, _ERRORS)
    if len(data) == len(text):
        return data, None
    raw = np.frombuffer(data, dtype=np.uint8)
    # A byte starts a character unless it is a UTF-8 continuation byte (0b10xxxxxx).
    starts = (raw & 0xC0) != 0x80
    return data, np.concatenate(([0], np.cumsum(starts, dtype=np.int64)))
