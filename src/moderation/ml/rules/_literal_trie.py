"""Prefix-sharing regexes for many literal strings.

Python's regex engine tries alternatives one by one; a trie-shaped alternation explores only
the branch of the current character, and a first level of plain literals lets the engine
skip, by character set, positions where no string can start.
"""

import re


class _Trie(dict[str, "_Trie"]):
    """Character trie; the key "" marks the end of a string."""


def literal_trie(strings: list[str], words: bool = False) -> str:
    """A regex matching any of `strings` (longest first at a start).

    With `words`, a match must neither follow nor be followed by a word character; the
    start check sits after the first literal (a two-character lookbehind), so the first
    level stays plain literals.
    """
    root = _Trie()
    for string in strings:
        node = root
        for char in string:
            node = node.setdefault(char, _Trie())
        node[""] = _Trie()
    guard, end = (r"(?<!\w.)", r"(?!\w)") if words else ("", "")
    branches = [re.escape(c) + guard + _emit(child, end) for c, child in root.items() if c]
    return "(?:" + "|".join(branches) + ")" if branches else "(?!)"


def _emit(node: _Trie, end: str) -> str:
    branches = [re.escape(c) + _emit(child, end) for c, child in node.items() if c]
    if "" in node:
        branches.append(end)
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"
