import asyncio

import structlog
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from nats.js.errors import NotFoundError

from moderation.domain.events import EventEnvelope
from moderation.domain.models import DomainEvent
from moderation.domain.repositories import RepositorySet

log = structlog.get_logger(__name__)

# The header JetStream deduplicates on, within the stream's duplicate window.
MSG_ID_HEADER = "Nats-Msg-Id"


class NatsEventSink:
    """Publishes events to NATS JetStream: one message per event on
    `<subject_prefix>.<tenant_id>.<EventType>`, body the `EventEnvelope` JSON.

    Each publish waits for the stream's ack, in order, so a batch that fails half-way never
    lets a later event of an aggregate overtake an earlier one. `Nats-Msg-Id` is the event id:
    a batch published again after a crash is dropped by the broker as a duplicate (within the
    stream's duplicate window; consumers still dedupe by `event_id` beyond it).

    Connects lazily and, after a lost connection, connects anew on the next batch: the relay's
    backoff paces the attempts, and while disconnected a batch fails at once instead of waiting
    for acks that cannot come.
    """

    def __init__(
        self,
        url: str,
        *,
        stream: str = "MODERATION_EVENTS",
        subject_prefix: str = "moderation.events",
        publish_timeout_seconds: float = 2.0,
        connect_timeout_seconds: int = 2,
        duplicate_window_seconds: float = 120.0,
    ) -> None:
        self._url = url
        self.stream = stream
        self.subject_prefix = subject_prefix
        self._publish_timeout = publish_timeout_seconds
        self._connect_timeout = connect_timeout_seconds
        self._duplicate_window = duplicate_window_seconds
        self._client: NatsClient | None = None
        self._jetstream: JetStreamContext | None = None
        self._stream_ready = False
        self._lock = asyncio.Lock()

    def subject(self, event: DomainEvent) -> str:
        return f"{self.subject_prefix}.{event.tenant_id}.{event.event_type}"

    async def prepare(self) -> None:
        """Connect and declare the stream if needed; raises when the broker is unreachable."""
        async with self._lock:
            await self._connect()

    async def publish(
        self,
        repos: RepositorySet,  # noqa: ARG002 - the broker is outside the transaction
        events: list[DomainEvent],
    ) -> None:
        """Publish `events` in order, each acknowledged by the stream before the next."""
        async with self._lock:
            jetstream = await self._connect()
            try:
                for event in events:
                    ack = await jetstream.publish(
                        self.subject(event),
                        EventEnvelope.from_event(event).to_json(),
                        timeout=self._publish_timeout,
                        stream=self.stream,
                        headers={MSG_ID_HEADER: str(event.event_id)},
                    )
                    if ack.duplicate:
                        log.info("nats.duplicate_dropped", event_id=str(event.event_id))
            except BaseException:
                # The stream may have been deleted or the server replaced: check it next time.
                self._stream_ready = False
                raise

    async def close(self) -> None:
        async with self._lock:
            client, self._client, self._jetstream = self._client, None, None
            if client is not None and not client.is_closed:
                await client.close()

    async def _connect(self) -> JetStreamContext:
        if self._client is not None and not self._client.is_connected:
            # Lost (no automatic reconnects, see below): start over with a fresh client.
            stale, self._client, self._jetstream = self._client, None, None
            if not stale.is_closed:
                await stale.close()
        if self._client is None or self._jetstream is None:
            client = NatsClient()
            try:
                # No automatic reconnects: the relay retries with backoff, and the state stays
                # simple (connected, or a fresh client next batch). Two quick tries, then fail.
                await client.connect(
                    servers=[self._url],
                    name="monocto-moderation-relay",
                    connect_timeout=self._connect_timeout,
                    allow_reconnect=False,
                    max_reconnect_attempts=1,
                    reconnect_time_wait=0,
                    error_cb=_on_error,
                )
            except BaseException:
                await client.close()
                raise
            self._client = client
            self._jetstream = client.jetstream(timeout=self._publish_timeout)
            self._stream_ready = False
        if not self._stream_ready:
            await self._ensure_stream(self._jetstream)
            self._stream_ready = True
        return self._jetstream

    async def _ensure_stream(self, jetstream: JetStreamContext) -> None:
        subjects = f"{self.subject_prefix}.>"
        try:
            info = await jetstream.stream_info(self.stream)
        except NotFoundError:
            await jetstream.add_stream(
                StreamConfig(
                    name=self.stream,
                    description="Monocto Moderation domain events",
                    subjects=[subjects],
                    duplicate_window=self._duplicate_window,
                )
            )
            log.info("nats.stream_created", stream=self.stream, subjects=subjects)
            return
        # An operator may have added subjects or limits: keep them, only add what we need.
        config = info.config
        current = list(config.subjects or [])
        if subjects in current and (config.duplicate_window or 0) >= self._duplicate_window:
            return
        await jetstream.update_stream(
            config.evolve(
                subjects=current if subjects in current else [*current, subjects],
                duplicate_window=max(config.duplicate_window or 0, self._duplicate_window),
            )
        )
        log.info("nats.stream_updated", stream=self.stream, subjects=subjects)


async def _on_error(error: Exception) -> None:
    log.warning("nats.error", error=repr(error))
