from collections.abc import Iterator
from typing import Any

import pytest

from moderation.api.perspective import PerspectiveMapper
from moderation.api.perspective.discovery_document import discovery_document
from moderation.api.schemas.perspective.comment import MAX_COMMENT_CHARS


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        yield from (v for k, v in node.items() if k == "$ref")
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@pytest.mark.parametrize(
    ("given", "root"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("https://m.example.com/base/", "https://m.example.com/base/"),
    ],
)
def test_root_url_ends_with_one_slash(given: str, root: str) -> None:
    document = discovery_document(given)
    assert (document["rootUrl"], document["baseUrl"], document["servicePath"]) == (root, root, "")


def test_each_call_gets_its_own_copy() -> None:
    first = discovery_document("http://a.example")
    first["schemas"].clear()
    assert discovery_document("http://b.example")["schemas"]


def test_every_reference_names_a_schema_and_the_limits_are_ours() -> None:
    document = discovery_document("http://a.example")
    assert set(_refs(document)) <= set(document["schemas"])
    schemas = document["schemas"]
    named = schemas["AnalyzeCommentRequest"]["properties"]["requestedAttributes"]["description"]
    assert all(name in named for name in PerspectiveMapper().attributes())
    assert f"{MAX_COMMENT_CHARS:,}" in schemas["TextEntry"]["description"]
