"""Perturbed copies of texts, the way people dodge word filters."""

import re
from collections.abc import Iterable

from moderation.ml.rules import DefaultLexicon

_WORD = re.compile(r"[A-Za-z]{3,}")
_VOWELS = frozenset("aeiouAEIOU")
_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "u": "v"})
# Cyrillic and other letters drawn like Latin ones; each looks identical in most fonts.
_HOMOGLYPHS = str.maketrans(
    {
        "a": "а",
        "c": "с",
        "e": "е",
        "i": "і",
        "o": "о",
        "p": "р",
        "s": "ѕ",
        "x": "х",
        "y": "у",
    }
)
_TARGET_LEXICONS = ("profanity", "sexual", "slurs")


class TextObfuscator:
    """Rewrites a few words of a text with one obfuscation kind, deterministically.

    The words chosen are the ones an evader would hide: built-in lexicon words (profanity,
    sexual terms, slurs) first, then the longest words, `words_per_text` in all. Kinds:
    asterisk masking (f*ck), leetspeak (5h17), spacing (f u c k), a swap of two inner letters
    (fcuk), Cyrillic homoglyphs and a repeated letter (fuuuck).
    """

    KINDS: tuple[str, ...] = ("asterisk", "leet", "spacing", "char_swap", "homoglyph", "repeat")

    def __init__(self, words_per_text: int = 2, targets: Iterable[str] | None = None) -> None:
        if words_per_text < 1:
            raise ValueError("words_per_text must be at least 1")
        self.words_per_text = words_per_text
        self._targets = frozenset(
            t.lower() for t in (targets if targets is not None else _lexicon_words())
        )

    def obfuscate(self, text: str, kind: str) -> str:
        """`text` with its chosen words rewritten by `kind` (one of KINDS)."""
        rewrite = _REWRITES.get(kind)
        if rewrite is None:
            raise ValueError(f"unknown obfuscation {kind!r}; known: {', '.join(self.KINDS)}")
        out = text
        # Right to left, so the earlier offsets stay valid as words change length.
        for start, end in sorted(self.chosen(text), reverse=True):
            out = out[:start] + rewrite(out[start:end]) + out[end:]
        return out

    def chosen(self, text: str) -> list[tuple[int, int]]:
        """Character ranges of the words `obfuscate` rewrites, in text order."""
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        listed = [w for w in words if w[2].lower() in self._targets]
        rest = sorted(
            (w for w in words if w[2].lower() not in self._targets), key=lambda w: -len(w[2])
        )
        picked = (listed + rest)[: self.words_per_text]
        return sorted((start, end) for start, end, _ in picked)


def _asterisk(word: str) -> str:
    inner = [i for i in range(1, len(word) - 1) if word[i] in _VOWELS]
    positions = inner or [len(word) // 2]
    return "".join("*" if i in positions else ch for i, ch in enumerate(word))


def _leet(word: str) -> str:
    return word[0] + word[1:].lower().translate(_LEET) if len(word) > 1 else word


def _spacing(word: str) -> str:
    return " ".join(word)


def _char_swap(word: str) -> str:
    # The middle inner pair that differs, so the swap is visible ("fuck" -> "fcuk").
    for i in range(max(1, len(word) // 2 - 1), len(word) - 1):
        if word[i] != word[i + 1]:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word


def _homoglyph(word: str) -> str:
    return word.translate(_HOMOGLYPHS)


def _repeat(word: str) -> str:
    vowels = [i for i, ch in enumerate(word) if ch in _VOWELS]
    i = vowels[0] if vowels else len(word) - 1
    return word[: i + 1] + word[i] * 2 + word[i + 1 :]


_REWRITES = {
    "asterisk": _asterisk,
    "leet": _leet,
    "spacing": _spacing,
    "char_swap": _char_swap,
    "homoglyph": _homoglyph,
    "repeat": _repeat,
}


def _lexicon_words() -> list[str]:
    return [
        rule.pattern
        for rule in DefaultLexicon(_TARGET_LEXICONS).rules()
        if rule.kind == "word" and rule.action != "allow" and " " not in rule.pattern
    ]
