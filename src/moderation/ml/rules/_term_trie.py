"""Compiles many word or phrase terms into one trie-shaped RE2 regex over the undecoded view.

Each letter of a term becomes a slot that also accepts the leetspeak symbols for it (and,
after the first letter, any vowel symbol for a vowel and masks such as "*"), repeated at
least as often as in the term: "fuck" -> `[f][f*#%]*[uv4@...][...]*[ck*#%]...`, so "fuuck",
"f4ck", "f*ck" and "fvck" all hit. Sharing prefixes keeps matching fast for thousands of terms.

The regex runs on RE2, in time linear in the text. Python's backtracking engine took
exponential time on it, because a mask fits every slot: "f", forty "*" and a letter kept it busy
for minutes against the built-in lexicon. RE2 has no lookaround, so word boundaries are
characters of the match: the text is padded with a newline at each end, a match starts with one
character that is neither letter nor digit and ends with another, and the next search starts on
the hit's last character, so one separator can close a hit and open the next. RE2 picks the
same match as a backtracking engine would (leftmost, then first alternative); which term it was
is then read off the hit alone with an anchored RE2 set. Leet and masks are ambiguous, so
several terms can fit the same characters ("fvkk" is "fuk" and "fuck", "spicck" is "spic" and
"spick"): each of them is reported, where backtracking would have named one by accident.
"""

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import re2  # type: ignore[import-untyped]

from moderation.ml.rules import _bounded_search
from moderation.ml.rules.match_subject import MatchSubject, chars

MASKS = "*#%"
_VOWEL_SYMBOLS = "4@3!1|0"
# Symbols that stand for one specific letter (the first character of a hit must be the
# letter or one of these: "4ss" is "ass", "15s" is not).
_LEET = {"a": "4@", "e": "3", "i": "1!|", "o": "0", "u": "v", "s": "5$z", "t": "7+"}
_LEET |= {"l": "1|!", "b": "8", "g": "9", "c": "k"}
# "shit!" is not "shite" and "anna!" is not "anal": no punctuation-like symbol at the end.
_NOT_LAST = "!|"
# Python's `[\W_]`, neither letter nor digit, on the view `MatchSubject.terms` gives: there
# every such character beyond ASCII is one placeholder, so the class stays a few instructions
# (`[^\pL\pN]` is a thousand, once per separator of every phrase).
_BOUNDARY = r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]"
_SEPARATOR = _BOUNDARY + "+"
_GAP = _BOUNDARY + "*"
# RE2's budget for one trie's program and DFA cache (past it RE2 still matches, slower). The
# lexicon's trie is built once per process; a policy's is bounded by the policy's caps.
LEXICON_MEMORY = 64 * 1024 * 1024
POLICY_MEMORY = 32 * 1024 * 1024


def _escape(char: str) -> str:
    if char.isalnum():
        return char
    if not char.isascii():
        return r"\x1f"  # the placeholder that stands for it in the view (see MatchSubject)
    if char.isprintable() and char != " ":
        return "\\" + char
    return f"\\x{{{ord(char):x}}}"


def _class(chars: str) -> str:
    return "[" + "".join(_escape(c) for c in dict.fromkeys(chars)) + "]"


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
    """RE2 pieces for a normalised term, one per run of equal characters."""
    runs = [(char, len(list(run))) for char, run in groupby(normalized)]
    atoms: list[str] = []
    for index, (char, count) in enumerate(runs):
        if char == " ":
            atoms.append(_SEPARATOR)
            continue
        if char == "-":
            atoms.append(_GAP)
            continue
        if char == "'":
            atoms.append("'?")
            continue
        first = index == 0 or runs[index - 1][0] in " -'"
        last = index == len(runs) - 1 or runs[index + 1][0] in " -'"
        position = "first" if first else "last" if last else "middle"
        head = _SLOTS.get((char, position), _escape(char))
        # The rest of the run may use the middle slot ("a$$"), except at the very end.
        tail = _SLOTS.get((char, "last" if last else "middle"), _escape(char))
        atoms.append(head + (tail + "*" if count == 1 else f"{tail}{{{count - 1},}}"))
    return atoms


@dataclass
class _Node:
    children: dict[str, "_Node"] = field(default_factory=dict)
    terminal: int | None = None


class TermTrie:
    """All of one group's terms as one RE2 regex, matched at word boundaries."""

    def __init__(self, terms: list[str], max_memory: int = POLICY_MEMORY) -> None:
        root = _Node()
        sequences: dict[int, str] = {}
        for index, term in enumerate(terms):
            node = root
            atoms = term_atoms(term)
            for atom in atoms:
                node = node.children.setdefault(atom, _Node())
            if node.terminal is None and atoms:
                node.terminal = index
                sequences[index] = "".join(atoms)
        self.empty = not root.children
        self._max_memory = max_memory
        options = _options(max_memory)
        order: list[int] = []
        self._regex = re2.compile(_BOUNDARY + "(?:" + _emit(root, order) + ")", options)
        # Which terms a hit is: each that fits it exactly, in the alternation's order.
        self._set = re2.Set.FullMatchSet(options)
        self._terms = order
        self._patterns = [sequences[index] for index in order]
        self._singles: dict[int, Any] = {}
        for pattern in self._patterns:
            self._set.Add(pattern)
        if order:
            self._set.Compile()

    def scan(
        self, subject: MatchSubject, deadline: float | None = None
    ) -> tuple[list[tuple[int, int, list[int]]], bool]:
        """(start, end, terms) of each hit in `subject`'s undecoded view, left to right, and
        whether the scan finished: it stops once `time.perf_counter()` passes `deadline`."""
        found: list[tuple[int, int, list[int]]] = []
        if self.empty:
            return found, True
        data, offsets = subject.terms
        pos = 0
        while True:
            try:
                match = _bounded_search.search(self._regex, data, pos, deadline)
            except _bounded_search.DeadlinePassed:
                return found, False
            if match is None:
                return found, True
            first, last = match.span()
            start = first + _char_size(data[first])
            end = last - _last_char_size(data, last)
            terms = self._terms_of(data[start:end])
            if terms:
                # Offsets in the padded view are one character past the text's.
                found.append((chars(offsets, start) - 1, chars(offsets, end) - 1, terms))
            pos = end - _last_char_size(data, end) if end > start else end

    def _terms_of(self, body: bytes) -> list[int]:
        found = self._set.Match(body)
        if not found:
            # The set answers nothing when its DFA runs out of memory: ask each term in turn.
            found = [i for i in range(len(self._terms)) if self._single(i).fullmatch(body)]
        return [self._terms[i] for i in sorted(found)]

    def _single(self, position: int) -> Any:
        regex = self._singles.get(position)
        if regex is None:
            options = _options(self._max_memory)
            regex = self._singles[position] = re2.compile(self._patterns[position], options)
        return regex


def _options(max_memory: int) -> Any:
    options = re2.Options()
    options.never_capture = True
    options.max_mem = max_memory
    options.log_errors = False
    return options


def _emit(node: _Node, order: list[int]) -> str:
    branches = [atom + _emit(child, order) for atom, child in node.children.items()]
    if node.terminal is not None:
        # Last, so the longest term that fits wins at each start.
        branches.append(_BOUNDARY)
        order.append(node.terminal)
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _char_size(lead: int) -> int:
    return 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


def _last_char_size(data: bytes, end: int) -> int:
    size = 1
    while size < 4 and end - size > 0 and data[end - size] & 0xC0 == 0x80:
        size += 1
    return size


def plausible(found: str) -> bool:
    """False for hits that are mostly masks, digits or symbols ("f***", "a55")."""
    letters = sum(c.isalpha() for c in found)
    others = sum(not c.isalpha() and not c.isspace() for c in found)
    return letters >= 1 and others <= letters
