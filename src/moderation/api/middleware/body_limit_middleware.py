"""Request body size limit, enforced on the declared length and on the bytes actually read."""

import re

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moderation.api.problem_details import problem_response
from moderation.core.exceptions import PayloadTooLargeError

_DIGITS = re.compile(r"[0-9]+")


class _BodyTooLargeError(Exception):
    """Raised into the app from `receive` to stop it reading an oversized body."""


def _declared_lengths(scope: Scope) -> list[bytes]:
    return [value for name, value in scope.get("headers", ()) if name.lower() == b"content-length"]


class BodyLimitMiddleware:
    """Rejects HTTP requests whose body exceeds `max_bytes` with a 413 problem response.

    A declared Content-Length over the limit is rejected before the app runs; an unparsable one
    gets a 400. Bodies without a length (chunked, streamed) are counted while the app reads them:
    once the count passes the limit the 413 is sent at once and the app is stopped by an error
    raised from `receive`. If the app had already started its own response, the exchange is just
    cut short, since a second status line cannot be sent.
    """

    def __init__(
        self, app: ASGIApp, max_bytes: int, path_limits: dict[str, int] | None = None
    ) -> None:
        if max_bytes < 0 or any(limit < 0 for limit in (path_limits or {}).values()):
            raise ValueError("max_bytes must be >= 0")
        self.app = app
        self.max_bytes = max_bytes
        # Exact paths with a limit of their own (uploads such as bulk imports).
        self.path_limits = dict(path_limits or {})

    def _too_large(self, scope: Scope, max_bytes: int) -> JSONResponse:
        return problem_response(
            PayloadTooLargeError.status,
            PayloadTooLargeError.title,
            f"The request body exceeds the limit of {max_bytes} bytes.",
            type_=PayloadTooLargeError.type,
            instance=scope.get("path"),
            extra={"max_bytes": max_bytes},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        max_bytes = self.path_limits.get(scope.get("path", ""), self.max_bytes)
        declared = _declared_lengths(scope)
        if declared:
            texts = [value.decode("latin-1").strip() for value in declared]
            # Disagreeing or non-numeric lengths are a request-smuggling shape, not a size to trust.
            if not all(_DIGITS.fullmatch(t) for t in texts) or len(set(texts)) != 1:
                bad = problem_response(
                    400,
                    "Bad Request",
                    "The Content-Length header is not a valid length.",
                    instance=scope.get("path"),
                )
                await bad(scope, receive, send)
                return
            if int(texts[0]) > max_bytes:
                await self._too_large(scope, max_bytes)(scope, receive, send)
                return

        received = 0
        response_started = False
        rejected = False

        async def limited_receive() -> Message:
            nonlocal received, rejected
            if rejected:
                raise _BodyTooLargeError
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    rejected = True
                    if not response_started:
                        # Answer now: frameworks often turn errors raised while reading the body
                        # into their own 400, which would otherwise hide the 413.
                        await self._too_large(scope, max_bytes)(scope, receive, send)
                    raise _BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if rejected:
                # The 413 (or a cut-short response) is already on the wire; whatever the app
                # makes of the aborted read must not reach the client.
                return
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except Exception:
            if not rejected:
                raise
            # The app failed because its body read was aborted; the client already has an answer.
