import re

import pytest

from moderation.core.security import (
    generate_api_key,
    hash_api_key,
    parse_api_key_prefix,
    verify_api_key,
)


def test_generated_key_has_the_documented_shape() -> None:
    full_key, prefix, key_hash = generate_api_key()
    assert re.fullmatch(r"[a-z0-9]{12}", prefix)
    assert full_key.startswith(f"mod_{prefix}_")
    assert len(full_key) == len("mod_") + 12 + 1 + 43
    assert key_hash == hash_api_key(full_key)
    assert re.fullmatch(r"[0-9a-f]{64}", key_hash)


def test_generated_keys_are_unique() -> None:
    keys = {generate_api_key()[0] for _ in range(200)}
    prefixes = {parse_api_key_prefix(key) for key in keys}
    assert len(keys) == 200
    assert len(prefixes) == 200


def test_parse_returns_prefix_even_when_secret_contains_underscores() -> None:
    secret = "_a_b-c" + "x" * 37
    token = f"mod_abcdefghij12_{secret}"
    assert parse_api_key_prefix(token) == "abcdefghij12"


def test_parse_round_trips_generated_keys() -> None:
    for _ in range(50):
        full_key, prefix, _hash = generate_api_key()
        assert parse_api_key_prefix(full_key) == prefix


@pytest.mark.parametrize(
    "token",
    [
        "",
        "mod",
        "mod_abcdefghij12",
        "mod_abcdefghij12_",
        "key_abcdefghij12_" + "x" * 43,
        "mod_ABCDEFGHIJ12_" + "x" * 43,
        "mod_abcdefghij1_" + "x" * 43,
        "mod_abcdefghij12_" + "x" * 42,
        "mod_abcdefghij12_" + "x" * 44,
        "mod_abcdefghij12_" + "x" * 42 + ".",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
    ],
)
def test_parse_rejects_tokens_not_shaped_like_keys(token: str) -> None:
    assert parse_api_key_prefix(token) is None


def test_verify_accepts_the_right_key_only() -> None:
    full_key, _prefix, key_hash = generate_api_key()
    other_key, _other_prefix, _other_hash = generate_api_key()
    assert verify_api_key(full_key, key_hash)
    assert not verify_api_key(other_key, key_hash)
    assert not verify_api_key(full_key[:-1] + ("A" if full_key[-1] != "A" else "B"), key_hash)
    assert not verify_api_key(full_key, "")
    assert not verify_api_key(full_key, "é" * 64)
