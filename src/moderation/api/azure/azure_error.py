"""Azure's error envelope, so `azure-ai-contentsafety` raises `HttpResponseError` with the
service's code and message, as it does against Azure."""

from typing import Any

AZURE_PREFIX = "/contentsafety/"

# Azure answers a malformed body with 400, never 422.
_STATUS = {422: 400}
_CODES = {
    400: "InvalidRequestBody",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "RequestTooLarge",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
    500: "InternalServerError",
    503: "ServiceUnavailable",
}


def azure_envelope(status: int, problem: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The problem+json body `problem` in Azure's `{"error": {"code", "message"}}` shape."""
    status = _STATUS.get(status, status)
    message = str(problem.get("detail") or problem.get("title") or "error")
    details = [
        {
            "code": "InvalidRequestBody",
            "message": str(error.get("message")),
            "target": error.get("field"),
        }
        for error in problem.get("errors") or []
        if isinstance(error, dict)
    ]
    error: dict[str, Any] = {"code": _CODES.get(status, str(status)), "message": message}
    if details:
        error["details"] = details
    return status, {"error": error}
