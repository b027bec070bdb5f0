"""Text no database stores: NUL (PostgreSQL's text and jsonb refuse it) and unpaired UTF-16
surrogates (not encodable as UTF-8, so neither driver can send them).

Shared by the request guard middleware (every route) and the domain's `NewContent` (which
import rows are validated with too), so both refuse the same characters with the same words.
"""

import re

# After JSON decoding a surrogate pair is one astral character: any surrogate left is unpaired.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

NUL_MESSAGE = "must not contain the NUL character (U+0000)"
SURROGATE_MESSAGE = "must not contain an unpaired UTF-16 surrogate (U+D800 to U+DFFF)"
NUL_TYPE = "nul_character"
SURROGATE_TYPE = "unpaired_surrogate"


def unstorable(text: str) -> tuple[str, str] | None:
    """(error type, message) when `text` holds a character no database stores, else None."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return NUL_TYPE, NUL_MESSAGE
    return SURROGATE_TYPE, SURROGATE_MESSAGE


def printable(text: str) -> str:
    """`text` safe to echo in a JSON error: the unstorable characters become U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", text)
