"""Defensive response headers for a JSON API."""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_ALWAYS: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    # API responses carry tenant data; no shared or browser cache should keep them unless a
    # route opts in by setting its own Cache-Control.
    ("Cache-Control", "no-store"),
)
_CSP = ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
# Swagger UI and ReDoc load scripts and styles; a deny-all policy would leave them blank.
_DOCS_PREFIXES = ("/docs", "/redoc")


def _app_path(scope: Scope) -> str:
    path: str = scope.get("path", "")
    root_path: str = scope.get("root_path", "")
    if root_path and path.startswith(root_path):
        return path[len(root_path) :] or "/"
    return path


class SecurityHeadersMiddleware:
    """Adds nosniff, frame denial, no-referrer, COOP, no-store and a deny-all CSP to responses.

    Headers a route already set are left alone. The CSP is skipped under /docs and /redoc.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        wanted = list(_ALWAYS)
        if not _app_path(scope).startswith(_DOCS_PREFIXES):
            wanted.append(_CSP)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                for name, value in wanted:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
