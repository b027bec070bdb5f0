"""API key generation, hashing and verification.

A key reads ``mod_<prefix>_<secret>``. The prefix (12 lowercase alphanumerics) is stored in clear
and indexes the key row, so a lookup costs one indexed query instead of hashing against every
stored key; the secret (``secrets.token_urlsafe(32)``, 256 bits) never leaves the response that
created it. Only the hash of the whole key is stored.
"""

import hashlib
import hmac
import re
import secrets
import string

KEY_SCHEME = "mod"
PREFIX_LENGTH = 12
_SECRET_BYTES = 32
# The prefix alphabet has no "_" so the first two underscores always delimit it, even though the
# url-safe secret may itself contain "_" and "-".
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
_PREFIX_RE = re.compile(rf"[a-z0-9]{{{PREFIX_LENGTH}}}")
# token_urlsafe(32) is 43 base64url characters; accepting only that shape lets the parser reject
# garbage (and JWTs, which contain dots) before any database lookup.
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{43}")


def generate_api_key() -> tuple[str, str, str]:
    """Create a new key and return ``(full_key, prefix, key_hash)``.

    Show ``full_key`` to the caller once; store only ``prefix`` and ``key_hash``.
    """
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    secret = secrets.token_urlsafe(_SECRET_BYTES)
    full_key = f"{KEY_SCHEME}_{prefix}_{secret}"
    return full_key, prefix, hash_api_key(full_key)


def hash_api_key(full_key: str) -> str:
    """Return the SHA-256 hex digest under which ``full_key`` is stored."""
    # A slow password hash (bcrypt, argon2) exists to stretch guessable human passwords. These keys
    # carry 256 random bits, so brute force is hopeless whatever the hash speed, and a fast hash
    # keeps authentication off the request's critical path.
    return hashlib.sha256(full_key.encode("utf-8")).hexdigest()


def parse_api_key_prefix(token: str) -> str | None:
    """Return the lookup prefix of ``token``, or None if it is not shaped like one of our keys."""
    parts = token.split("_", 2)
    if len(parts) != 3:
        return None
    scheme, prefix, secret = parts
    if scheme != KEY_SCHEME:
        return None
    if _PREFIX_RE.fullmatch(prefix) is None or _SECRET_RE.fullmatch(secret) is None:
        return None
    return prefix


def verify_api_key(full_key: str, stored_hash: str) -> bool:
    """Tell whether ``full_key`` hashes to ``stored_hash``, in constant time."""
    # compare_digest keeps the comparison time independent of where the digests differ, so
    # response timing does not reveal how much of a guessed hash was right.
    expected = stored_hash.encode("utf-8")
    return hmac.compare_digest(hash_api_key(full_key).encode("ascii"), expected)
