"""Per-request Prometheus metrics labelled by route template."""

import time
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from moderation.infrastructure.metrics import ServiceMetrics

UNMATCHED_ROUTE = "unmatched"

# Clients can send any token as a method; folding the unknown ones keeps label values bounded.
_KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _route_label(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED_ROUTE


class MetricsMiddleware:
    """Times every HTTP request and reports it to `ServiceMetrics.observe_request`.

    The route label is the matched route's template (`/api/v1/content/{content_id}`), read from
    `scope["route"]` after the app ran, never the raw path, so ids do not explode cardinality;
    requests no route matched are labelled "unmatched". A request whose app raised counts as 500.
    """

    def __init__(self, app: ASGIApp, metrics: "ServiceMetrics") -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_status)
        except Exception:
            # The response the client gets for an escaped error is a 500, whatever was started.
            status = 500
            raise
        finally:
            method = str(scope.get("method", "")).upper()
            self.metrics.observe_request(
                method if method in _KNOWN_METHODS else "OTHER",
                _route_label(scope),
                status,
                time.perf_counter() - started,
            )
