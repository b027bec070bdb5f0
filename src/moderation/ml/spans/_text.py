"""Word tokenisation and token normalisation shared by the span models."""

import re
import unicodedata
from typing import NamedTuple

# Letters/digits plus the symbols people use to mask profanity ("f**k", "a$$", "F^ck"); an inner
# "!" or apostrophe keeps "sh!t" and "don't" whole, while a trailing "!" stays punctuation.
_MASK = r"[^\W_]|[*$@^#]"
_TOKEN_RE = re.compile(rf"(?:{_MASK})*[^\W_](?:{_MASK})*(?:['’!](?:{_MASK})*[^\W_](?:{_MASK})*)*")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
_LEET_SYMBOLS = str.maketrans({"$": "s", "!": "i", "@": "a"})
_REPEATS = re.compile(r"(.)\1+")
_HAS_LETTER = re.compile(r"[^\W\d_]")


class WordToken(NamedTuple):
    """A word of the ORIGINAL text: its characters and their [start, end) offsets."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[WordToken]:
    """Word tokens of `text` with offsets into it (punctuation and whitespace are skipped)."""
    return [WordToken(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def normalize(token: str) -> str:
    """Lower-cased token with diacritics stripped ("Idiót" -> "idiot")."""
    lowered = token.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def deobfuscate(normalized: str) -> str:
    """Undo common masking: leet digits/symbols and stretched letters ("stuuupid" -> "stupid").

    Runs of a repeated character collapse to one, so "fool" becomes "fol"; that is fine because
    the form is only ever compared with itself (a hashed feature), never shown.
    """
    form = normalized.translate(_LEET_SYMBOLS)
    if _HAS_LETTER.search(form):
        form = form.translate(_LEET)
    return _REPEATS.sub(r"\1", form)
