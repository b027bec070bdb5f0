"""Repair of disguised abuse words: masked letters, swapped, dropped or added letters.

A token is rewritten only when it is one edit class away from exactly one target word (the
built-in lexicon's words and common insults, see `_vocabulary`) and is not itself a known
word, so "cut", "duck" and "shot" stay. Masks ("f*ck", "b#tch", "c.nt", "@ss") stand for exactly
one letter each and keep the token's length; swaps, drops and additions ("fcuk", "stupd",
"biatch") change it and run last, on the finished text. Each piece of work is cached per token:
almost every text has no candidate and costs one regex scan or one set test.
"""

import re
from functools import lru_cache

from moderation.ml.text import _vocabulary

# Characters that stand in for a letter inside a word.
_MASKS = "*#@$%!._-|"
_SLOT_MASKS = "*#%@"
# Masks that also separate initials and compounds ("u.s.", "x-ray").
_SEPARATORS = frozenset("._-")
_MASK_SET = frozenset(_MASKS)
# A mask between letters (or before a leet digit), a leading "*" before a letter, "*" after a
# letter, or "@" for the "a" of "ass", "arse" or "anal" (any other "@name" is a mention). Each
# alternative starts at the mask, so the scan skips ahead to mask characters in C; most texts
# have none in such a place, and hyphens, dots or e-mail addresses are rejected per token.
_PROBE = re.compile(
    r"[*#@$%!._|-](?:(?<=[a-z].)[*#@$%!._|-]*[a-z0-9]|(?<![a-z0-9]\*)(?<=\*)[a-z]"
    r"|(?<![a-z0-9]@)(?<=@)(?:ss|rse|nal)|(?<=[a-z]\*)\**(?![a-z0-9]))"
)
# Spelled-out runs longer than this are not cut into several words (the cut is quadratic).
_MAX_SEGMENTED = 40
_MIN_WORD, _MAX_WORD = 3, 16
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789" + _MASKS)
_PIECE = re.compile(r"[^._-]+")
_DIGITS = re.compile(r"[0-9]")
_MIN_LETTERS = 2

# Whole letter words, bounded so that e-mail names, @mentions, URL paths and domain parts
# ("fcuk.com") are not taken for words.
_EDIT_TOKEN = re.compile(r"(?<![\w@/\\.-])[a-z]{3,}(?![\w@/\\-]|\.[a-z])")
_LETTER_RUNS = re.compile(r"[a-z]{3,}")


def unmask(decoded: str, undecoded: str) -> tuple[str, str]:
    """Restore masked words ("f*ck", "sh#t", "@ss") in `decoded`, keeping its length.

    `undecoded` is the same text before leetspeak decoding, where "f@ck" still shows its mask
    ("fack" after decoding). Returns both texts with the restored words written out in each,
    so term rules and models read the same word; both are returned unchanged (the same
    objects) when nothing was restored.
    """
    fixes: list[tuple[int, str]] = []
    done = 0
    for hit in _PROBE.finditer(undecoded):
        if hit.start() < done:
            continue
        start = hit.start()
        while start > done and undecoded[start - 1] in _TOKEN_CHARS:
            start -= 1
        end = hit.end()
        while end < len(undecoded) and undecoded[end] in _TOKEN_CHARS:
            end += 1
        done = end
        fixed = _unmask_token(undecoded[start:end], decoded[start:end])
        if fixed is not None:
            fixes.append((start, fixed))
    if not fixes:
        return decoded, undecoded
    new_decoded = _patched(decoded, fixes)
    new_undecoded = new_decoded if undecoded == decoded else _patched(undecoded, fixes)
    return new_decoded, new_undecoded


def _patched(text: str, fixes: list[tuple[int, str]]) -> str:
    parts: list[str] = []
    pos = 0
    for start, word in fixes:
        parts += (text[pos:start], word)
        pos = start + len(word)
    parts.append(text[pos:])
    return "".join(parts)


@lru_cache(maxsize=1 << 16)
def _unmask_token(token: str, decoded: str) -> str | None:
    """`decoded` with its masks filled in, or None; `token` is the undecoded form."""
    if _DIGITS.search(decoded) is not None:
        # Numbers, ratings and code ("5*", "x*2", "covid-19") hold no masked words.
        return None
    whole = _unmask_piece(token, decoded)
    if whole is not None:
        return whole
    # "so...f*ck" or "well-f*cking": try each piece between dots, dashes and underscores.
    pieces = list(_PIECE.finditer(token))
    if len(pieces) < 2:
        return None
    out = decoded
    for piece in pieces:
        start, end = piece.span()
        fixed = _unmask_piece(piece.group(), decoded[start:end])
        if fixed is not None:
            out = out[:start] + fixed + out[end:]
    return out if out != decoded else None


def _unmask_piece(token: str, decoded: str) -> str | None:
    core = token.strip(_MASKS)
    if not core or ".." in core:
        # An ellipsis separates words ("so...f*ck" is tried piece by piece).
        return None
    lead = token.index(core[0]) if token[0] in _MASK_SET else 0
    end = lead + len(core)
    middle = decoded[lead:end]
    head = _end_slots(token[:lead], leading=True)
    tail = _end_slots(token[end:], leading=False)
    if head != "a" and _MASK_SET.isdisjoint(middle) and _vocabulary.is_known(middle):
        # Leetspeak already made a word of it ("a$$hole", "h@te"), or only the ends are
        # symbols around a word ("**bold**", "word*"). A leading "@" is checked by the whole
        # word being a target: "@ss" is "ass", "@john" stays a mention.
        return None
    pattern = "".join("?" if t in _MASK_SET else d for t, d in zip(core, middle, strict=True))
    start = 0 if head else lead
    pattern = (head or "") + pattern + (tail or "")
    if "?" not in pattern and not head:
        return None
    letters = len(pattern) - pattern.count("?")
    if letters < _MIN_LETTERS:
        # Too little left to know the word ("f***").
        return None
    groups = [g for g in pattern.split("?") if g]
    if all(len(g) == 1 for g in groups) and _spelt_out(groups, core, pattern):
        return None
    word = _vocabulary.fill(pattern, broad=_SEPARATORS.isdisjoint(core))
    if word is None:
        return None
    return decoded[:start] + word + decoded[start + len(word) :]


def _spelt_out(letters: list[str], core: str, pattern: str) -> bool:
    """Whether single letters between masks are spelt out rather than masked.

    Dots, dashes and underscores between single letters are spelling or initials ("a.s.",
    "j.p."), unless a run of them is a word's worth of gap ("s__t"); "*" between single letters
    is spelling when the letters make a word ("f*u*c*k"), masking when not ("l*s*r").
    """
    if not _SEPARATORS.isdisjoint(core):
        return len(letters) >= 3 or "??" not in pattern
    return len(letters) >= 3 and _vocabulary.is_known("".join(letters))


def _end_slots(symbols: str, leading: bool) -> str | None:
    """The slots a run of symbols before or after a word stands for, None if punctuation."""
    if leading and symbols == "@":
        # "@ss" is "ass"; "@john" is a mention (and "ajohn" no target).
        return "a"
    if set(symbols) == {"*"}:
        return "?" * len(symbols)
    return None


@lru_cache(maxsize=1 << 12)
def fill_spaced(run: str) -> tuple[str, tuple[int, ...]] | None:
    """Spelled-out words with a mask for a letter ("f * c k", "f.*.c.k") restored.

    Returns the words and, per character, its index in `run` (a filled letter points at its
    mask, a space between words at the separator after the first), or None. A mask only
    stands for a letter when other separators surround it: in "f*u*c*k" every "*" is a
    separator. A run may hold several words, and single letters that are words of their own:
    "s * c k d * c k" is "suck dick", "u r a f * c k" is "u r a fuck".
    """
    items = _spelt_items(run)
    if all(char != "?" for char, _ in items):
        return None
    pattern = "".join(char for char, _ in items)
    word = _vocabulary.fill(pattern)
    if word is not None:
        return word, tuple(index for _, index in items)
    if len(items) > _MAX_SEGMENTED:
        return None
    pieces = _segments(pattern)
    if pieces is None:
        return None
    text: list[str] = []
    indices: list[int] = []
    for start, end, piece in pieces:
        if text:
            text.append(" ")
            indices.append(items[start - 1][1] + 1)
        text.append(piece)
        indices += (index for _, index in items[start:end])
    return "".join(text), tuple(indices)


def _spelt_items(run: str) -> list[tuple[str, int]]:
    """Each letter of a spelled-out run, and "?" for each mask standing for one."""
    items: list[tuple[str, int]] = []
    separator: list[int] = []
    for index, char in enumerate(run + "a"):
        if "a" <= char <= "z":
            masks = [i for i in separator if run[i] in _SLOT_MASKS]
            if masks and len(masks) < len(separator):
                items += (("?", i) for i in masks)
            separator = []
            if index < len(run):
                items.append((char, index))
        else:
            separator.append(index)
    return items


def _segments(pattern: str) -> list[tuple[int, int, str]] | None:
    """`pattern` cut into targets and single letters, as many letters in targets as can be,
    then as few pieces: (start, end, word) per piece; None without a target, or when a mask
    would be left outside every target."""
    size = len(pattern)
    # best[i]: (letters in targets, -pieces, pieces) for pattern[i:]; None: cannot be cut.
    best: list[tuple[int, int, list[tuple[int, int, str]]] | None] = [None] * (size + 1)
    best[size] = (0, 0, [])
    for i in range(size - 1, -1, -1):
        options: list[tuple[int, int, list[tuple[int, int, str]]]] = []
        rest = best[i + 1]
        if pattern[i] != "?" and rest is not None:
            options.append((rest[0], rest[1] - 1, [(i, i + 1, pattern[i]), *rest[2]]))
        for j in range(i + _MIN_WORD, min(size, i + _MAX_WORD) + 1):
            rest = best[j]
            word = _vocabulary.fill(pattern[i:j]) if rest is not None else None
            if rest is not None and word is not None:
                options.append((rest[0] + j - i, rest[1] - 1, [(i, j, word), *rest[2]]))
        best[i] = max(options, key=lambda o: (o[0], o[1])) if options else None
    found = best[0]
    return found[2] if found is not None and found[0] > 0 else None


def edit_fixes(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each misspelt target in `text` ("fcuk", "stupd", "biatch")."""
    if _vocabulary.edit_keys().isdisjoint(_LETTER_RUNS.findall(text)):
        return []
    variants = _vocabulary.edit_variants()
    return [
        (m.start(), m.end(), fixed)
        for m in _EDIT_TOKEN.finditer(text)
        if (fixed := variants.get(m.group())) is not None
    ]


def repair_edits(text: str) -> str:
    """`text` with each misspelt target written out."""
    fixes = edit_fixes(text)
    if not fixes:
        return text
    parts: list[str] = []
    pos = 0
    for start, end, word in fixes:
        parts += (text[pos:start], word)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
