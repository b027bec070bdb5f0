"""The content DTO bounds what an item may hold, for the API and for import rows alike."""

import math
from typing import Any

import pytest
from pydantic import ValidationError

from moderation.api.schemas import CreateContentRequest
from moderation.domain.models.new_content import (
    MAX_METADATA_BYTES,
    MAX_METADATA_DEPTH,
    MAX_METADATA_KEYS,
)


def _request(**fields: Any) -> CreateContentRequest:
    return CreateContentRequest.model_validate(
        {"title": "t", "body": "b", "content_type": "text", **fields}
    )


def _chain(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"k": value}
    return value


def _refusal(**fields: Any) -> tuple[tuple[str | int, ...], str]:
    with pytest.raises(ValidationError) as raised:
        _request(**fields)
    [error] = raised.value.errors()
    return error["loc"], error["msg"]


def test_author_id_may_be_left_out() -> None:
    assert _request().author_id is None
    assert _request(author_id="user-1").author_id == "user-1"


def test_metadata_depth_counts_objects_and_lists() -> None:
    assert _request(metadata=_chain(MAX_METADATA_DEPTH)).metadata
    assert _request(metadata={"l": [[[[[[{"x": 1}]]]]]]}).metadata  # eight levels

    assert _refusal(metadata=_chain(MAX_METADATA_DEPTH + 1)) == (
        ("metadata",),
        f"Value error, metadata is at most {MAX_METADATA_DEPTH} levels deep",
    )
    assert "levels deep" in _refusal(metadata={"l": [[[[[[[{"x": 1}]]]]]]]})[1]


def test_a_value_too_deep_for_the_json_encoder_is_refused_not_crashed_on() -> None:
    # Checked before measuring: serialising this would exceed the recursion limit.
    assert "levels deep" in _refusal(metadata=_chain(5000))[1]


def test_metadata_keys_are_counted_across_levels() -> None:
    half = MAX_METADATA_KEYS // 2
    fits = {"a": {f"k{i}": i for i in range(half - 1)}, "b": {f"k{i}": i for i in range(half - 1)}}
    assert _request(metadata=fits).metadata == fits

    over = {"a": {f"k{i}": i for i in range(half)}, "b": {f"k{i}": i for i in range(half)}}
    assert "keys in all" in _refusal(metadata=over)[1]


def test_metadata_size_is_measured_in_utf8_bytes() -> None:
    # Each "é" is one character but two bytes.
    assert "bytes of JSON" in _refusal(metadata={"t": "é" * (MAX_METADATA_BYTES // 2)})[1]
    assert _request(metadata={"t": "e" * (MAX_METADATA_BYTES - 20)}).metadata


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_non_finite_metadata_numbers_are_refused(number: float) -> None:
    assert _refusal(metadata={"x": [number]}) == (
        ("metadata",),
        "Value error, metadata numbers must be finite",
    )


@pytest.mark.parametrize(
    ("fields", "location"),
    [
        ({"title": "a\x00"}, ("title",)),
        ({"body": "b\ud800"}, ("body",)),
        ({"tags": ["ok", "t\x00"]}, ("tags",)),
        ({"metadata": {"k\x00": 1}}, ("metadata",)),
        ({"metadata": {"k": {"v": ["\udfff"]}}}, ("metadata",)),
        ({"author_id": "a\x00"}, ("author_id",)),
    ],
)
def test_text_no_database_stores_is_refused_for_import_rows_too(
    fields: dict[str, Any], location: tuple[str, ...]
) -> None:
    assert _refusal(**fields)[0] == location


def test_astral_characters_are_kept() -> None:
    request = _request(
        title="\U0001f600", metadata={"\U0001f44d": "\U0001f680"}, tags=["\U0001f3b8"]
    )

    assert (request.title, request.metadata, request.tags) == (
        "\U0001f600",
        {"\U0001f44d": "\U0001f680"},
        ["\U0001f3b8"],
    )
