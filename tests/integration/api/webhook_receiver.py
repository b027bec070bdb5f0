"""A real HTTP receiver on loopback for webhook tests: it verifies signatures the documented
way, processes each event once (deduplicating by event id), and fails on purpose when told."""

import asyncio
import contextlib
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

INTERNAL_DETAIL = b"internal: admin console at 10.0.0.5:8080; stack trace follows"


@dataclass(frozen=True)
class _Received:
    headers: dict[str, str]
    body: bytes
    status: int
    signature_ok: bool


@dataclass
class WebhookReceiver:
    """`async with WebhookReceiver(fail_first=2) as receiver:` serves on `receiver.url`.

    The first `fail_first` requests are processed and then answered with `fail_status`, like a
    receiver that crashed after its own commit; with `always_fail` every request is. `redirect`
    answers every request with a 302; `delay_seconds` makes every answer that slow; with
    `hold`, every answer waits until the event is set (a receiver that hangs). `in_flight` and
    `most_in_flight` count requests being answered now and at most at once.
    """

    fail_first: int = 0
    fail_status: int = 500
    always_fail: bool = False
    redirect: bool = False
    delay_seconds: float = 0.0
    hold: asyncio.Event | None = None
    secret: str | None = None
    requests: list[_Received] = field(default_factory=list)
    processed: list[str] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/hooks"

    @property
    def events(self) -> list[dict[str, Any]]:
        """The bodies received, parsed."""
        return [json.loads(request.body) for request in self.requests]

    async def __aenter__(self) -> "WebhookReceiver":
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    def verify(self, body: bytes, header: str, event_id: str, tolerance: float = 300) -> bool:
        """The verification recipe of docs/api.md, written out independently of the service:
        the timestamp, the Monocto-Event-Id header and the body are signed together."""
        assert self.secret is not None
        parts = dict(part.split("=", 1) for part in header.split(","))
        if "t" not in parts or "v2" not in parts:
            return False
        timestamp = int(parts["t"])
        if abs(time.time() - timestamp) > tolerance:
            return False
        signed = f"{timestamp}.{event_id}.".encode() + body
        expected = hmac.new(self.secret.encode(), signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts["v2"])

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")[1:]
            headers = {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in lines if line)
            }
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            status = self._respond(headers, body)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                await asyncio.sleep(self.delay_seconds)
                if self.hold is not None:
                    await self.hold.wait()
            finally:
                self.in_flight -= 1
            # A failing answer tells internal details, as internal services do: the delivery
            # log must not show them to the tenant.
            reply = b"moved" if status == 302 else b"ok" if status < 300 else INTERNAL_DETAIL
            extra = "Location: http://127.0.0.1:1/elsewhere\r\n" if status == 302 else ""
            writer.write(
                f"HTTP/1.1 {status} X\r\nContent-Length: {len(reply)}\r\n{extra}"
                "Connection: close\r\n\r\n".encode()
                + reply
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def _respond(self, headers: dict[str, str], body: bytes) -> int:
        signature = headers.get("monocto-signature", "")
        event_id = headers.get("monocto-event-id", "")
        signature_ok = self.secret is not None and self.verify(body, signature, event_id)
        # Processing is idempotent: an event seen before is acknowledged, not processed again.
        if signature_ok and event_id not in self.processed:
            self.processed.append(event_id)
        failing = self.always_fail or len(self.requests) < self.fail_first
        status = 302 if self.redirect else self.fail_status if failing else 200
        self.requests.append(_Received(headers, body, status, signature_ok))
        return status
