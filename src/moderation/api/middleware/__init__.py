"""Pure ASGI middleware: request context, security headers, body limit and metrics."""

from moderation.api.middleware.body_limit_middleware import BodyLimitMiddleware
from moderation.api.middleware.metrics_middleware import MetricsMiddleware
from moderation.api.middleware.request_context_middleware import RequestContextMiddleware
from moderation.api.middleware.security_headers_middleware import SecurityHeadersMiddleware

__all__ = [
    "BodyLimitMiddleware",
    "MetricsMiddleware",
    "RequestContextMiddleware",
    "SecurityHeadersMiddleware",
]
