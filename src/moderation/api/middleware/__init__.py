"""Pure ASGI middleware: request context, security headers, body limit, metrics, text
integrity and vendor error envelopes."""

from moderation.api.middleware.body_limit_middleware import BodyLimitMiddleware
from moderation.api.middleware.metrics_middleware import MetricsMiddleware
from moderation.api.middleware.request_context_middleware import RequestContextMiddleware
from moderation.api.middleware.security_headers_middleware import SecurityHeadersMiddleware
from moderation.api.middleware.text_integrity_middleware import TextIntegrityMiddleware
from moderation.api.middleware.vendor_envelope_middleware import VendorEnvelopeMiddleware

__all__ = [
    "BodyLimitMiddleware",
    "MetricsMiddleware",
    "RequestContextMiddleware",
    "SecurityHeadersMiddleware",
    "TextIntegrityMiddleware",
    "VendorEnvelopeMiddleware",
]
