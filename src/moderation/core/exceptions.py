"""The service's error hierarchy.

Every error the service means to report carries its HTTP `status`, a problem `type` URI and a short
`title`, so one handler renders all of them as RFC 9457 problem+json. Services raise these and
never see HTTP; anything else that escapes is a bug and is reported as a bare 500.

    ModerationError
    ├── InvalidRequestError      422  the request is well-formed but cannot be carried out
    ├── UnauthorizedError        401  no credential, or one that does not verify
    ├── ForbiddenError           403  the credential lacks a scope
    ├── NotFoundError            404  absent, or owned by another tenant (never says which)
    ├── ConflictError            409  e.g. an Idempotency-Key reused with another body
    ├── PayloadTooLargeError     413
    ├── RateLimitedError         429  with Retry-After
    └── ServiceUnavailableError  503  overloaded or not ready, with Retry-After
"""

import math

PROBLEM_BASE = "https://monocto.dev/problems/"


class ModerationError(Exception):
    """Base of every error the service reports to clients."""

    status: int = 500
    type: str = "about:blank"
    title: str = "Internal Server Error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


class InvalidRequestError(ModerationError):
    status = 422
    type = PROBLEM_BASE + "invalid-request"
    title = "Invalid request"


class UnauthorizedError(ModerationError):
    status = 401
    type = PROBLEM_BASE + "unauthorized"
    title = "Unauthorized"

    def __init__(self, detail: str | None = None, **kwargs: object) -> None:
        super().__init__(detail, **kwargs)  # type: ignore[arg-type]
        self.headers.setdefault("WWW-Authenticate", 'Bearer realm="moderation"')


class ForbiddenError(ModerationError):
    status = 403
    type = PROBLEM_BASE + "forbidden"
    title = "Forbidden"


class NotFoundError(ModerationError):
    status = 404
    type = PROBLEM_BASE + "not-found"
    title = "Not Found"


class ConflictError(ModerationError):
    status = 409
    type = PROBLEM_BASE + "conflict"
    title = "Conflict"


class PayloadTooLargeError(ModerationError):
    status = 413
    type = PROBLEM_BASE + "payload-too-large"
    title = "Payload Too Large"


class _RetryableError(ModerationError):
    def __init__(
        self,
        detail: str | None = None,
        *,
        retry_after: float = 1.0,
        headers: dict[str, str] | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        super().__init__(detail, headers=headers, extra=extra)
        # Retry-After takes whole seconds; rounding down would invite an immediate retry.
        self.retry_after = max(1, math.ceil(retry_after))
        self.headers["Retry-After"] = str(self.retry_after)


class RateLimitedError(_RetryableError):
    status = 429
    type = PROBLEM_BASE + "rate-limited"
    title = "Too Many Requests"


class ServiceUnavailableError(_RetryableError):
    status = 503
    type = PROBLEM_BASE + "unavailable"
    title = "Service Unavailable"
