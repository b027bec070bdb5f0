"""OpenAPI `responses=` entries for the Azure routes: their errors in Azure's envelope."""

from typing import Any

AZURE_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "code": {"type": "string"},
                            "message": {"type": "string"},
                            "target": {"type": ["string", "null"]},
                        },
                    },
                },
            },
        }
    },
}

_KNOWN: dict[int | str, tuple[str, str, str]] = {
    400: (
        "Invalid input (Azure never answers 422), a missing or unsupported api-version, or a "
        "change past the policy's limits",
        "InvalidRequestBody",
        "body.text: String should have at most 10000 characters",
    ),
    401: (
        "No Ocp-Apim-Subscription-Key, or one that does not verify (ClientAuthenticationError)",
        "Unauthorized",
        "invalid API key",
    ),
    403: ("The key lacks the scope", "Forbidden", "this operation requires scope 'moderate'"),
    404: (
        "No such blocklist or item (ResourceNotFoundError)",
        "ResourceNotFound",
        "blocklist 'banned-words' not found",
    ),
    409: (
        "The policy changed concurrently twice; retry (ResourceExistsError)",
        "Conflict",
        "the policy was changed concurrently; retry",
    ),
    413: ("The body exceeds the configured limit", "RequestTooLarge", "body exceeds the limit"),
    429: ("The rate limit is spent; see Retry-After", "TooManyRequests", "rate limit exceeded"),
    503: ("The models are still loading; see Retry-After", "ServerBusy", "retry shortly"),
    "4XX": ("Any other client error", "InvalidRequestBody", "Method Not Allowed"),
}


def azure_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for `statuses` (and 4XX), each in Azure's error envelope."""
    entries: dict[int | str, dict[str, Any]] = {}
    keys: list[int | str] = [*statuses, "4XX"]
    for status in keys:
        description, code, message = _KNOWN[status]
        entries[status] = {
            "description": description,
            "content": {
                "application/json": {
                    "schema": AZURE_ERROR_SCHEMA,
                    "example": {"error": {"code": code, "message": message}},
                }
            },
        }
    return entries
