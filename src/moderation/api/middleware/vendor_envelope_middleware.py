"""Rewrites the problem+json errors that middleware answers on a drop-in route into the
vendor's envelope (see `moderation.api.vendor_envelopes`)."""

import json

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from moderation.api.problem_details import PROBLEM_JSON
from moderation.api.vendor_envelopes import Envelope, envelope_for, problem_body

# A problem body is a few hundred bytes; anything larger is not one of ours, pass it through.
_MAX_PROBLEM_BYTES = 64 * 1024


class VendorEnvelopeMiddleware:
    """Buffers only problem+json responses on vendor paths; every other response streams
    through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        envelope = envelope_for(scope.get("path", "")) if scope["type"] == "http" else None
        if envelope is None:
            await self.app(scope, receive, send)
            return

        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def rewrite(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                if headers.get("content-type", "").startswith(PROBLEM_JSON):
                    start = message
                    return
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > _MAX_PROBLEM_BYTES:
                    await _flush(start, chunks, message, send)
                    start = None
                    return
                if not message.get("more_body", False):
                    await _send_converted(envelope, start, b"".join(chunks), send)
                    start = None
                return
            await send(message)

        await self.app(scope, receive, rewrite)


async def _send_converted(envelope: Envelope, begin: Message, raw: bytes, send: Send) -> None:
    status, body = envelope(begin["status"], problem_body(raw))
    encoded = json.dumps(body, separators=(",", ":")).encode()
    headers = MutableHeaders(raw=list(begin.get("headers", [])))
    headers["content-type"] = "application/json"
    headers["content-length"] = str(len(encoded))
    await send({**begin, "status": status, "headers": headers.raw})
    await send({"type": "http.response.body", "body": encoded})


async def _flush(begin: Message, chunks: list[bytes], last: Message, send: Send) -> None:
    await send(begin)
    await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
    if last.get("more_body", False) is False:
        await send({"type": "http.response.body", "body": b""})
