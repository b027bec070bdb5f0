"""Text clean-up, de-duplication keys and the deterministic hash split used by the loaders."""

import hashlib
import html
import re
import unicodedata

VALIDATION_SHARE = 10  # one text in VALIDATION_SHARE goes to validation when no split exists

_WHITESPACE = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[\W_]+")
_QUOTES = {('"', '"'), ("“", "”")}
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
# One escape written with any number of backslashes: impermium double-escapes some of them.
_ESCAPE = re.compile(
    r"(?P<bytes>(?:\\+x[0-9a-fA-F]{2})+)"
    r"|(?P<units>(?:\\+u[0-9a-fA-F]{4})+)"
    r"|\\+(?P<char>[nrt'\"])"
)
_SIMPLE = {"n": "\n", "r": "\n", "t": "\t", "'": "'", '"': '"'}
# UTF-8 read as Windows-1252 ("ðŸ‘‰" for 👉, "â€™" for ’), as in some TweetEval tweets.
_CP1252_HIGH = {ch: b for b in range(0x80, 0xA0) if (ch := bytes([b]).decode("cp1252", "ignore"))}
_CONT = "".join(sorted({*map(chr, range(0x80, 0xC0)), *_CP1252_HIGH}))
_MOJIBAKE_LEAD = re.compile("[\u00c2-\u00f4]")
_MOJIBAKE = re.compile(f"(?:[\u00c2-\u00f4][{re.escape(_CONT)}]{{1,3}})+")


def clean_text(text: str) -> str:
    """Readable single-line text: entities decoded, whitespace collapsed, wrapping quotes gone."""
    text = text.replace("\ufeff", "")
    if _MOJIBAKE_LEAD.search(text):
        text = _MOJIBAKE.sub(_repair_mojibake, text)
    for _ in range(2):  # "&amp;amp;" occurs: entities escaped twice
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    text = _WHITESPACE.sub(" ", text).strip()
    while len(text) >= 2 and (text[0], text[-1]) in _QUOTES:
        text = text[1:-1].strip()
    return text


def has_content(text: str) -> bool:
    """False for texts of punctuation only ('"', "..."); emoji-only texts count as content."""
    return any(ch.isalnum() or ord(ch) > 0x2000 for ch in text)


def decode_escapes(text: str) -> str:
    """Decode the Python-style escapes kept literally in the impermium comments.

    Runs of `\\xhh` are UTF-8 bytes when they decode as such ("\\xe2\\x80\\x99" -> "’"),
    otherwise Latin-1 code points ("\\xe1" -> "á"); `\\uXXXX` runs may hold surrogate pairs.
    """
    return _ESCAPE.sub(_decode_match, text)


def strip_html(text: str) -> str:
    """Text of an HTML fragment (YouTube comments carry `<br />` and `<a href>` markup)."""
    return _HTML_TAG.sub("", _HTML_BREAK.sub(" ", text))


def dedup_key(text: str) -> str:
    """Key under which two texts count as the same: case, spacing and punctuation ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    key = _NON_ALNUM.sub(" ", folded).strip()
    return key or _WHITESPACE.sub(" ", folded).strip()


def hash_split(key: str) -> str:
    """'validation' for about 1 in VALIDATION_SHARE keys, else 'train'; stable across runs."""
    digest = hashlib.sha256(f"monocto-split|{key}".encode()).hexdigest()
    return "validation" if int(digest, 16) % VALIDATION_SHARE == 0 else "train"


def _decode_match(match: re.Match[str]) -> str:
    if match.group("bytes"):
        raw = bytes(int(h, 16) for h in re.findall(r"x([0-9a-fA-F]{2})", match.group("bytes")))
        return _utf8_or_latin1(raw)
    if match.group("units"):
        units = [int(h, 16) for h in re.findall(r"u([0-9a-fA-F]{4})", match.group("units"))]
        joined = "".join(chr(u) for u in units)
        return joined.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _SIMPLE[match.group("char")]


def _utf8_or_latin1(raw: bytes) -> str:
    """Decode UTF-8 sequences where they are valid and single bytes as Latin-1 elsewhere."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        for length in (4, 3, 2, 1):
            try:
                out.append(raw[i : i + length].decode("utf-8"))
            except UnicodeDecodeError:
                continue
            i += length
            break
        else:
            out.append(raw[i : i + 1].decode("latin-1"))
            i += 1
    return "".join(out)


def _repair_mojibake(match: re.Match[str]) -> str:
    raw = bytes(_CP1252_HIGH.get(ch, ord(ch)) for ch in match.group())
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group()
