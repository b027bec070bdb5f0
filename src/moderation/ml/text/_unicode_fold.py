"""Per-character Unicode folding tables, built lazily and cached for the process.

Two tables map one original character to its normalised piece (possibly empty or longer):
`BASE` does NFKC, diacritic and invisible-character removal and case folding; `FOLDED`
additionally folds Latin look-alikes (Cyrillic, Greek, Armenian, Cherokee, small capitals...)
to ASCII letters. Both are `str.translate` tables, so the per-character work runs in C once a
character has been seen.
"""

import json
import re
import unicodedata
from functools import cache
from importlib import resources

# Combining diacritics (Latin/Greek/Cyrillic accents, "Zalgo" stacks). Marks of other scripts
# (Devanagari vowel signs, Arabic harakat...) are left alone: they carry meaning there.
_DIACRITIC_RANGES = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
# Invisible characters that are not category Cf but are used to split words.
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
_SPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85")
_PUNCT_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
}
# Look-alikes the Unicode confusables data lacks (it maps small Cyrillic/Greek letters only
# where the glyphs are near-identical; obfuscators use these anyway).
_EXTRA_FOLD = {
    "\u03b2": "b",  # beta
    "\u03b5": "e",  # epsilon
    "\u03ba": "k",  # kappa
    "\u03c4": "t",  # tau
    "\u03c7": "x",  # chi
    "\u03c9": "w",  # omega
    "\u03bc": "u",  # mu
    "\u03b7": "n",  # eta
    "\u0432": "b",  # ve
    "\u043a": "k",  # ka
    "\u043c": "m",  # em
    "\u043d": "h",  # en
    "\u043f": "n",  # pe
    "\u0442": "t",  # te
    "\u0448": "w",  # sha
    "\u044c": "b",  # soft sign
    "\u0491": "r",  # ghe with upturn
}
# Latin letters Unicode does not decompose (stroke, small capitals, squared/circled symbols):
# folded in every text, since they are Latin already.
_LATIN_NAMED = re.compile(
    r"^(?:LATIN (?:CAPITAL |SMALL )?LETTER (?:SMALL CAPITAL |DOTLESS |SCRIPT )?"
    r"|(?:NEGATIVE )?(?:SQUARED|CIRCLED) LATIN CAPITAL LETTER )([A-Z])(?: WITH [A-Z ]+)?$"
)


def _is_diacritic(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _DIACRITIC_RANGES)


@cache
def confusable_targets() -> dict[str, str]:
    """Non-ASCII character -> ASCII letter or digit it is confusable with (Unicode data)."""
    raw = (resources.files("confusable_homoglyphs") / "confusables.json").read_text("utf-8")
    data: dict[str, list[dict[str, str]]] = json.loads(raw)
    table: dict[str, str] = {}
    for char, entries in data.items():
        if len(char) != 1 or char.isascii():
            continue
        targets = [e["c"] for e in entries if len(e["c"]) == 1 and e["c"].isascii()]
        letters = [t for t in targets if t.isalpha()] or [t for t in targets if t.isdigit()]
        if letters:
            target = letters[0]
            # Unicode skeletons send capital I to "l"; a capital look-alike means "i".
            if target == "l" and char.isupper():
                target = "i"
            table[char] = target.lower()
    return table


def _fold_char(ch: str, cross_script: bool) -> str:
    """ASCII letter `ch` stands for, or `ch` itself."""
    if ch.isascii():
        return ch
    named = _LATIN_NAMED.match(unicodedata.name(ch, ""))
    if named:
        return named.group(1).lower()
    # Symbols never belong to a script, so folding them cannot garble real non-Latin text.
    if cross_script or unicodedata.category(ch)[0] in "SP":
        return confusable_targets().get(ch) or _EXTRA_FOLD.get(ch.lower(), ch)
    return ch


def _piece(ch: str, fold: bool) -> str:
    category = unicodedata.category(ch)
    if category == "Cc":
        return " " if ch in _SPACE_CONTROLS else ""
    if category in ("Zl", "Zp"):
        return " "
    if category == "Cf" or ch in _INVISIBLE:
        return ""
    text = "".join(_fold_char(c, fold) for c in unicodedata.normalize("NFKC", ch))
    text = unicodedata.normalize("NFD", text.casefold())
    text = unicodedata.normalize("NFC", "".join(c for c in text if not _is_diacritic(c)))
    return "".join(_PUNCT_FOLD.get(c, c) for c in text)


class _LazyTable(dict[int, str]):
    """A `str.translate` table that computes and caches entries on first lookup."""

    def __init__(self, fold: bool) -> None:
        super().__init__()
        self._fold = fold

    def __missing__(self, code: int) -> str:
        piece = _piece(chr(code), self._fold)
        self[code] = piece
        return piece


BASE: dict[int, str] = _LazyTable(fold=False)
FOLDED: dict[int, str] = _LazyTable(fold=True)
