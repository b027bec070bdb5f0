"""Compiles many word or phrase terms into one trie-shaped regex over `NormalizedText.undecoded`.

Each letter of a term becomes a slot that also accepts the leetspeak symbols for it (and, for
vowels, any vowel symbol or a mask such as "*"), repeated at least as often as in the term:
"fuck" -> `[f...]+[u...]+[c...]+[k...]+`, so "fuuck", "f4ck", "f*ck" and "fvck" all hit.
Sharing prefixes keeps matching fast for thousands of terms; an empty named group at each
term's end tells which term matched.
"""

import re
from dataclasses import dataclass, field
from itertools import groupby

MASKS = "*#%"
_VOWEL_SYMBOLS = "4@3!1|0"
_EXTRA = {"a": "", "e": "", "i": "", "o": "", "u": "v", "s": "5$z", "t": "7+", "l": "1|!"}
_EXTRA |= {"b": "8", "g": "9", "c": "k"}
_BOUNDARY_BEFORE = r"(?<![^\W_])"
_BOUNDARY_AFTER = r"(?![^\W_])"
_SEPARATOR = r"[\W_]+"


def _slot(letter: str) -> str:
    symbols = _EXTRA.get(letter, "")
    if letter in "aeiou":
        symbols += _VOWEL_SYMBOLS
    return "[" + re.escape(letter + symbols + MASKS).replace("\\-", "-") + "]"


_SLOTS = {letter: _slot(letter) for letter in "abcdefghijklmnopqrstuvwxyz"}


def term_atoms(normalized: str) -> list[str]:
    """Regex pieces for a normalised term, one per run of equal characters."""
    atoms: list[str] = []
    for char, run in groupby(normalized):
        count = len(list(run))
        if char == " ":
            atoms.append(_SEPARATOR)
        elif char == "-":
            atoms.append(r"[\W_]*")
        elif char == "'":
            atoms.append("'?")
        else:
            slot = _SLOTS.get(char, re.escape(char))
            atoms.append(slot + ("+" if count == 1 else f"{{{count},}}"))
    return atoms


@dataclass
class _Node:
    children: dict[str, "_Node"] = field(default_factory=dict)
    terminal: int | None = None


def compile_terms(terms: list[str]) -> re.Pattern[str] | None:
    """One regex for all `terms` (normalised); group `t<i>` marks the end of `terms[i]`."""
    root = _Node()
    for index, term in enumerate(terms):
        node = root
        for atom in term_atoms(term):
            node = node.children.setdefault(atom, _Node())
        if node.terminal is None:
            node.terminal = index
    if not root.children:
        return None
    return re.compile(_BOUNDARY_BEFORE + _emit(root))


def _emit(node: _Node) -> str:
    branches = [atom + _emit(child) for atom, child in node.children.items()]
    if node.terminal is not None:
        # Last, so the longest term that fits wins at each start.
        branches.append(f"{_BOUNDARY_AFTER}(?P<t{node.terminal}>)")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def plausible(found: str) -> bool:
    """False for hits that are mostly masks or symbols ("****", "455", "f***")."""
    if found[0] in MASKS:
        return False
    letters = sum(c.isalpha() for c in found)
    masked = sum(c in MASKS for c in found)
    return letters >= 1 and masked <= letters
