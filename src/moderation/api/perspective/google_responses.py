"""OpenAPI `responses=` entries for the Google-compatible routes: their errors leave in Google's
envelope (`google_error`), not problem+json, so the document must say so."""

from typing import Any

from moderation.api.perspective.google_error import google_envelope

GOOGLE_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "status"],
            "properties": {
                "code": {"type": "integer", "description": "The HTTP status."},
                "message": {"type": "string", "description": "What went wrong, for people."},
                "status": {"type": "string", "description": "Google's canonical code."},
                "details": {
                    "type": "array",
                    "items": {"type": "object", "additionalProperties": True},
                    "description": "A google.rpc.BadRequest naming each invalid field.",
                },
            },
        }
    },
}

_KNOWN: dict[int, tuple[str, str]] = {
    400: (
        "Malformed body, a field out of range, or an attribute this service does not score "
        "(Perspective's 400 INVALID_ARGUMENT; this service never answers 422 here).",
        "Attribute LIKELY_TO_REJECT does not exist. Supported attributes: TOXICITY, INSULT, "
        "PROFANITY, THREAT, IDENTITY_ATTACK, SEXUALLY_EXPLICIT, SPAM, SEVERE_TOXICITY.",
    ),
    401: (
        "No API key (`?key=` or a bearer token), or one that does not verify.",
        "invalid API key",
    ),
    403: ("The key lacks the `moderate` scope.", "this operation requires scope 'moderate'"),
    404: ("No such document.", "No discovery document for commentanalyzer v1."),
    413: ("The body exceeds the configured limit.", "body exceeds the limit of 1048576 bytes"),
    429: (
        "The rate limit is spent; retry after the Retry-After header's seconds.",
        "credential rate limit of 1200 requests per minute exceeded",
    ),
    503: (
        "The models are still loading; retry after the Retry-After header's seconds.",
        "the models are still loading",
    ),
}


def google_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Entries for `statuses`, and a `4XX` one for the rest (405, 415), all in Google's
    envelope. The `4XX` entry also keeps FastAPI from documenting its default 422."""
    entries: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        description, message = _KNOWN[status]
        _, example = google_envelope(status, {"detail": message})
        entries[status] = _entry(description, example)
    _, other = google_envelope(405, {"detail": "Method Not Allowed"})
    entries["4XX"] = _entry("Any other client error, in the same envelope.", other)
    return entries


def _entry(description: str, example: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": GOOGLE_ERROR_SCHEMA, "example": example}},
    }
