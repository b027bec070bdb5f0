"""The normalisation stages, each usable with or without offset tracking.

Offsets are two lists over the current text: for character i, the first original index it
came from and one past the last (`None` means identity). A stage that only keeps or drops
characters reports, per output character, the first and last input index it covers.
"""

import re
from collections.abc import Callable

from moderation.ml.text import _obfuscation
from moderation.ml.text._unicode_fold import BASE, FOLDED

Offsets = tuple[list[int], list[int]] | None
# Per output character: (replacement text, [(first input index, last input index), ...]).
Cover = Callable[[re.Match[str]], tuple[str, list[tuple[int, int]]]]

_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPECIAL = re.compile(r"[^\x20-\x7e]")
_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")
_TOKEN = re.compile(r"\S+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")

_LEET = str.maketrans("4@31!|05$7", "aaeiiiosst")
_LEET_TOKEN = re.compile(r"(?<![a-z0-9@$!|])[a-z0-9@$!|]*[0-9@$!|][a-z0-9@$!|]*")
# Cheap test for "a leet character next to a letter"; most texts have none.
_LEET_PROBE = re.compile(
    r"[0-9@$](?<=[a-z][0-9@$])|[!|](?<=[a-z][!|])[!|]*[a-z0-9@$]|[0-9$](?=[a-z])"
)
_LEET_LEAD = re.compile(r"^[!|@]*")
_LEET_TRAIL = re.compile(r"[!|]*$")
# Numbers with unit or ordinal suffixes, and words followed by a number ("covid19"), are not
# leetspeak.
_NOT_LEET = re.compile(
    r"\$?\d+(?:st|nd|rd|th|s|am|pm|k|m|b|bn|g|kg|km|cm|mm|ml|mb|gb|tb|hz|mph|fps|hr|hrs|h|min"
    r"|mins|yo|yr|yrs|x|d|p|v|w|kw|lb|lbs|oz|ft)?|[a-z]{3,}\d+|[a-z](?:[!|][a-z]){2,}"
)
_SPACED = re.compile(r"(?<![a-z0-9])[a-z](?:[\s.\-_*~+|!/]{1,3}[a-z](?![a-z0-9])){2,}")
_SEPARATORS = str.maketrans("", "", " \t\n\r\x0b\x0c.-_*~+|!/")
_SPACE_SEPARATORS = str.maketrans("", "", " \t\n\r\x0b\x0c")
# Single letters that are words or text-speak on their own ("a", "i", "u", "r", "c", "y"...).
_NO_STANDALONE = str.maketrans("", "", "abciknoruy")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_ASCII_REPEATS_PROBE = re.compile(r"([a-z])\1\1")
_SPACES = re.compile(r"\s{2,}|[^\S ]")
_WHITESPACE_TO_SPACE = str.maketrans(dict.fromkeys("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f", " "))


def fold_unicode(original: str, track: bool) -> tuple[str, Offsets]:
    """NFKC, look-alike folding, invisible-character and diacritic removal, case folding."""
    if original.isascii():
        if _ASCII_CONTROL.search(original) is None:
            return original.lower(), None
        return original.translate(BASE), _offsets(original, [], BASE) if track else None
    base = original.translate(BASE)
    if _NON_ASCII_LETTER.search(base) is None:
        return base, _offsets(original, [], BASE) if track else None
    folded = original.translate(FOLDED)
    if _NON_ASCII_LETTER.search(folded) is None:
        # Every non-Latin letter has a Latin look-alike: a disguise, not another language.
        return folded, _offsets(original, [(0, len(original))], FOLDED) if track else None
    # Real non-Latin text: fold only words that mix scripts ("fսck" in a Russian sentence).
    ranges = [
        m.span() for m in _TOKEN.finditer(original) if _ASCII_LETTER.search(m.group()) is not None
    ]
    parts: list[str] = []
    pos = 0
    for start, end in ranges:
        parts += (original[pos:start].translate(BASE), original[start:end].translate(FOLDED))
        pos = end
    parts.append(original[pos:].translate(BASE))
    return "".join(parts), _offsets(original, ranges, FOLDED) if track else None


def _offsets(original: str, fold_ranges: list[tuple[int, int]], folded: dict[int, str]) -> Offsets:
    """Offsets of a per-character translation (BASE outside `fold_ranges`, `folded` inside)."""
    changes: list[tuple[int, int]] = []
    ranges = iter(fold_ranges)
    current = next(ranges, (-1, -1))
    for m in _SPECIAL.finditer(original):
        index = m.start()
        while index >= current[1] > -1:
            current = next(ranges, (-1, -1))
        table = folded if current[0] <= index < current[1] else BASE
        size = len(table[ord(m.group())])
        if size != 1:
            changes.append((index, size))
    if not changes:
        return None
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for index, size in changes:
        starts.extend(range(pos, index))
        ends.extend(range(pos + 1, index + 1))
        if size == 0:
            # A dropped character (zero-width, combining mark) joins the one before it.
            if ends:
                ends[-1] = index + 1
        else:
            starts.extend([index] * size)
            ends.extend([index + 1] * size)
        pos = index + 1
    starts.extend(range(pos, len(original)))
    ends.extend(range(pos + 1, len(original) + 1))
    return starts, ends


def _decode_token(match: re.Match[str]) -> str:
    token = match.group()
    lead = _LEET_LEAD.match(token)
    trail = _LEET_TRAIL.search(token)
    first = lead.end() if lead else 0
    last = trail.start() if trail else len(token)
    core = token[first:last]
    if not any("a" <= c <= "z" for c in core) or _NOT_LEET.fullmatch(core):
        return token
    text, start, end = match.string, match.start(), match.end()
    # URL paths and e-mail addresses are not words.
    if (start and text[start - 1] == "/") or ("@" in core and text[end : end + 1] == "."):
        return token
    return token[:first] + core.translate(_LEET) + token[last:]


def decode_leet(text: str) -> str:
    """Leetspeak digits and symbols inside words that also have letters ("sh1t" -> "shit")."""
    if _LEET_PROBE.search(text) is None:
        return text
    return _LEET_TOKEN.sub(_decode_token, text)


def _cover_spaced(match: re.Match[str], repair: bool) -> tuple[str, list[tuple[int, int]]]:
    start = match.start()
    joined, kept = _joined(match, repair)
    return joined, [(start + i, start + i) for i in kept]


def _cover_spaced_plain(match: re.Match[str]) -> tuple[str, list[tuple[int, int]]]:
    return _cover_spaced(match, repair=False)


def _cover_spaced_repaired(match: re.Match[str]) -> tuple[str, list[tuple[int, int]]]:
    return _cover_spaced(match, repair=True)


def _cover_repeats(match: re.Match[str]) -> tuple[str, list[tuple[int, int]]]:
    start, end = match.span()
    return match.group()[:2], [(start, start), (start + 1, end - 1)]


def _cover_spaces(match: re.Match[str]) -> tuple[str, list[tuple[int, int]]]:
    start, end = match.span()
    return " ", [(start, end - 1)]


def _joined(match: re.Match[str], repair: bool) -> tuple[str, list[int]]:
    """The joined run and, per character, its index in the run."""
    run = match.group()
    letters = run.translate(_SEPARATORS)
    # "u r a", "i c u": text-speak words in a row, not a spelled-out word.
    if run.translate(_SPACE_SEPARATORS).isalpha() and not letters.translate(_NO_STANDALONE):
        return run, list(range(len(run)))
    if repair:
        # "f * c k": a mask among the separators stands for the missing letter.
        filled = _obfuscation.fill_spaced(run)
        if filled is not None:
            return filled[0], list(filled[1])
    return letters, [i for i, c in enumerate(run) if "a" <= c <= "z"]


def _join(match: re.Match[str]) -> str:
    return _joined(match, repair=False)[0]


def _join_repaired(match: re.Match[str]) -> str:
    return _joined(match, repair=True)[0]


def join_spaced(text: str, repair: bool = False) -> str:
    """Join runs of three or more single letters ("f u c k", "f.u.c.k" -> "fuck"); with
    `repair`, a mask among them is the missing letter ("f * c k" -> "fuck")."""
    return _SPACED.sub(_join_repaired if repair else _join, text)


def collapse_repeats(text: str) -> str:
    """Cut runs of three or more of a letter to two ("fuuuuck" -> "fuuck")."""
    if text.isascii() and _ASCII_REPEATS_PROBE.search(text) is None:
        return text
    return _REPEATS.sub(r"\1\1", text)


def collapse_spaces(text: str) -> str:
    """One space for each whitespace run; none at the ends."""
    # Same whitespace definition as `_SPACES` (both use Py_UNICODE_ISSPACE), done in C.
    return " ".join(text.split())


def _may_repeat(text: str) -> bool:
    return not text.isascii() or _ASCII_REPEATS_PROBE.search(text) is not None


def _always(_text: str) -> bool:
    return True


Stage = tuple[re.Pattern[str], Cover, Callable[[str], bool]]
_REST: tuple[Stage, ...] = (
    (_REPEATS, _cover_repeats, _may_repeat),
    (_SPACES, _cover_spaces, _always),
)
STAGES: tuple[Stage, ...] = ((_SPACED, _cover_spaced_plain, _always), *_REST)
REPAIRING_STAGES: tuple[Stage, ...] = ((_SPACED, _cover_spaced_repaired, _always), *_REST)


def rewrite(
    text: str, undecoded: str, offsets: Offsets, pattern: re.Pattern[str], cover: Cover
) -> tuple[str, str, Offsets]:
    """Apply one keep-or-drop stage to `text`, mirroring it on `undecoded` and the offsets."""
    parts: list[str] = []
    first: list[int] = []
    last: list[int] = []
    pos = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        span = range(pos, start)
        parts.append(text[pos:start])
        first.extend(span)
        last.extend(span)
        replacement, covered = cover(match)
        parts.append(replacement)
        for a, b in covered:
            first.append(a)
            last.append(b)
        pos = end
    if not parts:
        return text, undecoded, offsets
    parts.append(text[pos:])
    span = range(pos, len(text))
    first.extend(span)
    last.extend(span)
    new_text = "".join(parts)
    if undecoded is not text and undecoded != text:
        # Whitespace sits at the same places in both; the final text only has plain spaces.
        undecoded = "".join([undecoded[i] for i in first]).translate(_WHITESPACE_TO_SPACE)
    else:
        undecoded = new_text
    return new_text, undecoded, compose(offsets, first, last)


def strip_ends(text: str, undecoded: str, offsets: Offsets) -> tuple[str, str, Offsets]:
    """Drop one leading and one trailing space (the last stage, after space collapsing)."""
    lo = 1 if text.startswith(" ") else 0
    hi = len(text) - 1 if text.endswith(" ") and len(text) > lo else len(text)
    if lo == 0 and hi == len(text):
        return text, undecoded, offsets
    index = list(range(lo, hi))
    return text[lo:hi], undecoded[lo:hi], compose(offsets, index, index)


def compose(offsets: Offsets, first: list[int], last: list[int]) -> Offsets:
    """Offsets of a stage's output: per output character, the first and last input index."""
    if offsets is None:
        return first, [i + 1 for i in last]
    starts, ends = offsets
    return [starts[i] for i in first], [ends[i] for i in last]


def repair_edits(text: str, undecoded: str, offsets: Offsets) -> tuple[str, str, Offsets]:
    """Write out misspelt target words ("fcuk" -> "fuck"; the last stage). A rewritten word
    reads the same in `undecoded`, and each of its characters maps to the whole original."""
    fixes = _obfuscation.edit_fixes(text)
    if not fixes:
        return text, undecoded, offsets
    parts: list[str] = []
    plain: list[str] = []
    first: list[int] = []
    last: list[int] = []
    pos = 0
    for start, end, word in fixes:
        span = range(pos, start)
        first.extend(span)
        last.extend(span)
        first.extend([start] * len(word))
        last.extend([end - 1] * len(word))
        parts += (text[pos:start], word)
        plain += (undecoded[pos:start], word)
        pos = end
    span = range(pos, len(text))
    first.extend(span)
    last.extend(span)
    parts.append(text[pos:])
    plain.append(undecoded[pos:])
    new_text = "".join(parts)
    new_undecoded = new_text if undecoded == text else "".join(plain)
    return new_text, new_undecoded, compose(offsets, first, last)
