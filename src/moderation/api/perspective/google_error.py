"""Google's error envelope for the Perspective-compatible API and its discovery document.

`googleapiclient` raises `HttpError` for any failure and reads its `error.message` (and
`error.details`) for the exception's reason; Perspective answers bad input with 400
INVALID_ARGUMENT, never 422.
"""

from typing import Any

GOOGLE_PREFIXES = ("/v1alpha1/", "/$discovery/")

_STATUS = {422: 400}
_CANONICAL = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "ALREADY_EXISTS",
    413: "INVALID_ARGUMENT",
    415: "INVALID_ARGUMENT",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def google_envelope(status: int, problem: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The problem+json body `problem` as `{"error": {"code", "message", "status", "details"}}`."""
    status = _STATUS.get(status, status)
    violations = [
        {"field": error.get("field"), "description": str(error.get("message"))}
        for error in problem.get("errors") or []
        if isinstance(error, dict)
    ]
    details = (
        [{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": violations}]
        if violations
        else []
    )
    return status, {
        "error": {
            "code": status,
            "message": str(problem.get("detail") or problem.get("title") or "error"),
            "status": _CANONICAL.get(status, "UNKNOWN"),
            "details": details,
        }
    }
