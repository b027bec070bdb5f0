"""Azure's error envelope, so `azure-ai-contentsafety` raises `HttpResponseError` with the
service's code and message, as it does against Azure (and its own subclasses by status:
`ClientAuthenticationError` for 401, `ResourceNotFoundError` for 404, `ResourceExistsError`
for 409)."""

from typing import Any

AZURE_PREFIX = "/contentsafety/"
# A route that knows Azure's more specific code (InvalidResourceName, UnsupportedApiVersionValue,
# ...) puts it under this member of the problem; it does not reach the client.
AZURE_CODE = "azure_code"

# Azure answers a malformed body with 400, never 422.
_STATUS = {422: 400}
# The codes Azure AI Content Safety documents (concepts/response-codes), by status.
_CODES = {
    400: "InvalidRequestBody",
    401: "Unauthorized",
    403: "Forbidden",
    404: "ResourceNotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "RequestTooLarge",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServerBusy",
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
    code = problem.get(AZURE_CODE)
    error: dict[str, Any] = {
        "code": code if isinstance(code, str) else _CODES.get(status, str(status)),
        "message": message,
    }
    if details:
        error["details"] = details
    return status, {"error": error}
