"""The OpenAPI document is the API's reference: every request and every success response has
an example, and every authenticated operation documents its problem+json errors."""

from typing import Any

import pytest

from moderation.api.perspective import PerspectiveMapper
from moderation.api.problem_details import PROBLEM_JSON
from moderation.api.vendor_envelopes import envelope_for
from moderation.core.config import Settings
from moderation.main import create_app

DOCUMENT: dict[str, Any] = create_app(
    Settings(env="dev", database_url="sqlite+aiosqlite://")
).openapi()
OPERATIONS = [
    pytest.param(operation, id=f"{method.upper()} {path}")
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
]
# Public: the probes, and the Perspective discovery document (Google's is public too).
PUBLIC_PATHS = ("/health/", "/$discovery/")
AUTHENTICATED_OPERATIONS = [
    pytest.param(path, operation, id=f"{method.upper()} {path}")
    for path, methods in DOCUMENT["paths"].items()
    for method, operation in methods.items()
    if not path.startswith(PUBLIC_PATHS)
]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    name = ref.removeprefix("#/components/schemas/")
    component: dict[str, Any] = DOCUMENT["components"]["schemas"][name]
    return component


def _has_example(media_type: dict[str, Any]) -> bool:
    """An example on the media type, on its schema, or on the component the schema names."""
    if "example" in media_type or "examples" in media_type:
        return True
    schema = media_type.get("schema", {})
    return any("example" in s or "examples" in s for s in (schema, _resolve(schema)))


def _json_media_types(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [media for name, media in content.items() if name.endswith("json")]


def test_the_document_lists_every_route_family() -> None:
    paths = set(DOCUMENT["paths"])
    assert {"/health/live", "/health/ready", "/metrics", "/v1alpha1/comments:analyze"} <= paths
    assert {"/api/v1/content", "/api/v1/moderate", "/api/v1/policy"} <= paths
    assert len(AUTHENTICATED_OPERATIONS) >= 12


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_request_body_has_an_example(operation: dict[str, Any]) -> None:
    content = operation.get("requestBody", {}).get("content", {})
    for media in _json_media_types(content):
        assert _has_example(media), "request body without an example"


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_success_response_has_an_example(operation: dict[str, Any]) -> None:
    successes = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
    assert successes, "no success response documented"
    for code, response in successes.items():
        if code == "204":
            # No Content (Azure's blocklist DELETE and removeBlocklistItems): nothing to show.
            assert "content" not in response, "a 204 documents a body"
            continue
        content = response.get("content", {})
        assert content, f"{code} documents no body"
        for media in content.values():
            assert _has_example(media), f"{code} response without an example"


@pytest.mark.parametrize(("path", "operation"), AUTHENTICATED_OPERATIONS)
def test_authenticated_operations_document_their_problems(
    path: str, operation: dict[str, Any]
) -> None:
    assert operation.get("security"), "no security requirement"
    responses = operation["responses"]
    # A drop-in route answers bad input with its vendor's status (Google's and Azure's 400).
    envelope = envelope_for(path)
    bad_input = str(envelope(422, {})[0]) if envelope else "422"
    # A 422 needs input to reject: /metrics takes none (no parameters, no body).
    takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
    expected = {"401", bad_input} if takes_input else {"401"}
    assert expected <= set(responses)
    for code, response in responses.items():
        if code.startswith(("4", "5")) and envelope is not None:
            # A drop-in route answers in its vendor's envelope, not problem+json.
            vendor = response["content"]["application/json"]
            assert vendor["schema"]["required"] == ["error"]
            assert vendor["example"]["error"]["message"]
        elif code.startswith(("4", "5")):
            problem = response.get("content", {}).get(PROBLEM_JSON)
            assert problem is not None, f"{code} is not documented as {PROBLEM_JSON}"
            assert {"type", "title", "status"} <= set(problem["schema"]["required"])
            assert problem["example"]["status"] == int(code)


@pytest.mark.parametrize(
    "path", ["/v1alpha1/comments:analyze", "/v1alpha1/comments:suggestscore", "/$discovery/rest"]
)
def test_the_perspective_routes_document_googles_envelope_not_a_422(path: str) -> None:
    [operation] = DOCUMENT["paths"][path].values()
    responses = operation["responses"]
    assert "422" not in responses
    example = responses["400"]["content"]["application/json"]["example"]["error"]
    assert (example["code"], example["status"]) == (400, "INVALID_ARGUMENT")


def test_the_documented_perspective_attributes_are_the_supported_ones() -> None:
    body = DOCUMENT["paths"]["/v1alpha1/comments:analyze"]["post"]["requestBody"]
    schema = _resolve(body["content"]["application/json"]["schema"])
    names = schema["properties"]["requestedAttributes"]["propertyNames"]["enum"]
    assert names == PerspectiveMapper().attributes()


def test_a_reviewer_decision_cannot_be_pending() -> None:
    body = DOCUMENT["paths"]["/api/v1/content/{content_id}/moderate"]["post"]["requestBody"]
    schema = _resolve(body["content"]["application/json"]["schema"])
    assert schema["properties"]["status"]["enum"] == ["approved", "flagged", "rejected"]
