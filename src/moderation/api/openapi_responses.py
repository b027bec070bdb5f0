"""problem+json entries for routes' `responses=` (so the OpenAPI document lists every error)."""

from typing import Any

from moderation.api.problem_details import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "additionalProperties": True,
}

_KNOWN: dict[int, tuple[str, str, str, str]] = {
    400: ("Malformed request", "about:blank", "Bad Request", "Invalid Content-Length header"),
    401: ("Missing or invalid credential", "unauthorized", "Unauthorized", "invalid API key"),
    403: ("The credential lacks a scope", "forbidden", "Forbidden", "requires scope 'moderate'"),
    404: ("Not found (or owned by another tenant)", "not-found", "Not Found", "content not found"),
    409: ("Conflicts with the current state", "conflict", "Conflict", "policy is at version 4"),
    413: ("Body too large", "payload-too-large", "Payload Too Large", "body exceeds 1048576 bytes"),
    422: ("Invalid input", "invalid-request", "Invalid request", "body.title: Field required"),
    429: ("Rate limit exceeded", "rate-limited", "Too Many Requests", "limit is 1200 per minute"),
    503: ("Overloaded or not ready", "unavailable", "Service Unavailable", "retry shortly"),
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for the given statuses, each with a schema and an example."""
    entries: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        description, slug, title, detail = _KNOWN[status]
        type_ = slug if slug == "about:blank" else f"https://monocto.dev/problems/{slug}"
        example = {"type": type_, "title": title, "status": status, "detail": detail}
        entries[status] = {
            "description": description,
            "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA, "example": example}},
        }
    return entries


AUTHENTICATED = (401, 403, 422, 429)
