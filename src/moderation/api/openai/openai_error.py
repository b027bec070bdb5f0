"""OpenAI's error envelope, so the `openai` client raises its own exception types."""

from typing import Any

OPENAI_PATH = "/v1/moderations"

_TYPES = {401: "invalid_request_error", 403: "invalid_request_error", 429: "requests"}
_CODES = {401: "invalid_api_key", 403: "insufficient_permissions", 429: "rate_limit_exceeded"}


def openai_envelope(status: int, problem: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The message of the problem+json body `problem` in OpenAI's
    `{"error": {"message", "type", "param", "code"}}` shape, with the same status."""
    errors = problem.get("errors") or []
    error_type = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return status, {
        "error": {
            "message": str(problem.get("detail") or problem.get("title") or "error"),
            "type": error_type,
            "param": errors[0].get("field") if errors and isinstance(errors[0], dict) else None,
            "code": _CODES.get(status),
        }
    }
