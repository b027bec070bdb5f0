"""OpenAI's error envelope, so the `openai` client raises its own exception types."""

import json

from starlette.responses import JSONResponse, Response

OPENAI_PATH = "/v1/moderations"

_TYPES = {401: "invalid_request_error", 403: "invalid_request_error", 429: "requests"}
_CODES = {401: "invalid_api_key", 403: "insufficient_permissions", 429: "rate_limit_exceeded"}


def openai_error(problem: Response) -> Response:
    """The same status, headers and message as the problem+json `problem`, in OpenAI's
    `{"error": {"message", "type", "param", "code"}}` shape."""
    try:
        body = json.loads(bytes(problem.body))
    except ValueError:
        body = {}
    status = problem.status_code
    errors = body.get("errors") or []
    error_type = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    envelope = {
        "error": {
            "message": str(body.get("detail") or body.get("title") or "error"),
            "type": error_type,
            "param": errors[0].get("field") if errors else None,
            "code": _CODES.get(status),
        }
    }
    headers = {
        k: v
        for k, v in problem.headers.items()
        if k.lower() not in ("content-length", "content-type")
    }
    return JSONResponse(envelope, status_code=status, headers=headers)
