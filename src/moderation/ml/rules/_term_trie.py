"""Compiles many word or phrase terms into one trie-shaped regex over `NormalizedText.undecoded`.

Each letter of a term becomes a slot that also accepts the leetspeak symbols for it (and,
after the first letter, any vowel symbol for a vowel and masks such as "*"), repeated at
least as often as in the term: "fuck" -> `[f][f*#%]*[uv4@...][...]*[ck*#%]...`, so "fuuck",
"f4ck", "f*ck" and "fvck" all hit.
Sharing prefixes keeps matching fast for thousands of terms; an empty named group at each
term's end tells which term matched.
"""

import re
from dataclasses import dataclass, field
from itertools import groupby

MASKS = "*#%"
_VOWEL_SYMBOLS = "4@3!1|0"
# Symbols that stand for one specific letter (the first character of a hit must be the
# letter or one of these: "4ss" is "ass", "15s" is not).
_LEET = {"a": "4@", "e": "3", "i": "1!|", "o": "0", "u": "v", "s": "5$z", "t": "7+"}
_LEET |= {"l": "1|!", "b": "8", "g": "9", "c": "k"}
# "shit!" is not "shite" and "anna!" is not "anal": no punctuation-like symbol at the end.
_NOT_LAST = "!|"
_BOUNDARY_BEFORE = r"(?<![^\W_])"
_BOUNDARY_AFTER = r"(?![^\W_])"
_SEPARATOR = r"[\W_]+"


def _class(chars: str) -> str:
    return "[" + re.escape("".join(dict.fromkeys(chars))).replace("\\-", "-") + "]"


def _slot(letter: str, position: str) -> str:
    symbols = _LEET.get(letter, "")
    if position == "first":
        return _class(letter + symbols)
    if letter in "aeiou":
        symbols += _VOWEL_SYMBOLS
    symbols += MASKS
    if position == "last":
        symbols = "".join(c for c in symbols if c not in _NOT_LAST)
    return _class(letter + symbols)


_SLOTS = {
    (letter, position): _slot(letter, position)
    for letter in "abcdefghijklmnopqrstuvwxyz"
    for position in ("first", "middle", "last")
}


def term_atoms(normalized: str) -> list[str]:
    """Regex pieces for a normalised term, one per run of equal characters."""
    runs = [(char, len(list(run))) for char, run in groupby(normalized)]
    atoms: list[str] = []
    for index, (char, count) in enumerate(runs):
        if char == " ":
            atoms.append(_SEPARATOR)
            continue
        if char == "-":
            atoms.append(r"[\W_]*")
            continue
        if char == "'":
            atoms.append("'?")
            continue
        first = index == 0 or runs[index - 1][0] in " -'"
        last = index == len(runs) - 1 or runs[index + 1][0] in " -'"
        position = "first" if first else "last" if last else "middle"
        head = _SLOTS.get((char, position), re.escape(char))
        # The rest of the run may use the middle slot ("a$$"), except at the very end.
        tail = _SLOTS.get((char, "last" if last else "middle"), re.escape(char))
        # A single class first lets the regex engine reject a trie branch on one character.
        atoms.append(head + (tail + "*" if count == 1 else f"{tail}{{{count - 1},}}"))
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
    """False for hits that are mostly masks, digits or symbols ("f***", "a55")."""
    letters = sum(c.isalpha() for c in found)
    others = sum(not c.isalpha() and not c.isspace() for c in found)
    return letters >= 1 and others <= letters
