"""Request id propagation and the per-request access log line."""

import re
import time
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"

# A caller-supplied id ends up in logs and response headers, so only a conservative alphabet is
# trusted: anything else (CR/LF for header or log injection, JSON quotes, huge values) is replaced.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_access_log = structlog.stdlib.get_logger("moderation.access")


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name.lower() == b"x-request-id":
            try:
                text: str = value.decode("ascii")
            except UnicodeDecodeError:
                return None
            return text if _VALID_REQUEST_ID.fullmatch(text) else None
    return None


class RequestContextMiddleware:
    """Gives every HTTP request an id, binds it to the log context and logs one access line.

    The id comes from a well-formed incoming `X-Request-ID` or is a fresh uuid4 hex; it is stored
    in `scope["state"]["request_id"]` (so `request.state.request_id`), bound as the `request_id`
    structlog context variable and echoed on the response. After the app finished, one
    `http.request` line is logged with method, path, status, duration_ms and, when something
    inside set `request.state.tenant_id`, the tenant. The path is logged without its query
    string, which may hold a credential (a Perspective client's `?key=`); every other line is
    masked by the log formatter. Lifespan and websocket scopes pass through.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        # Servers may run successive requests in one context; start from an empty one so nothing
        # bound by an earlier request leaks into this one's lines.
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)

        status = 500
        header_value = request_id.encode("ascii")

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                if REQUEST_ID_HEADER not in headers:
                    headers.raw.append((b"x-request-id", header_value))
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception:
            # The client gets a 500 from the server error handler outside this middleware.
            status = 500
            raise
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 3)
            fields: dict[str, object] = {
                "method": scope.get("method", ""),
                "path": scope.get("path", ""),
                "status": status,
                "duration_ms": duration_ms,
            }
            tenant_id = state.get("tenant_id")
            if tenant_id is not None:
                fields["tenant_id"] = str(tenant_id)
            _access_log.info("http.request", **fields)
            structlog.contextvars.clear_contextvars()
