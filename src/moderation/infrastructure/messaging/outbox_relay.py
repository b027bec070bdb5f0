import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

import structlog
from opentelemetry import trace
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.core.backoff import Backoff
from moderation.core.polling_loop import PollingLoop
from moderation.domain.services.event_sink import EventSink
from moderation.infrastructure.database import Database
from moderation.infrastructure.repositories import SqlTransactions
from moderation.infrastructure.telemetry import link_to

log = structlog.get_logger(__name__)
_tracer = trace.get_tracer(__name__)

# Any constant works, as long as every relay sharing a database uses the same one.
_RELAY_LOCK_KEY = 0x4D4F445F4F555458  # "MOD_OUTX"
# When another replica's relay holds the turn, look again this soon: its batch may have
# started before our events were committed, and it would only find them at its next poll.
_CONTENDED_RETRY_SECONDS = 0.05


@runtime_checkable
class _Preparable(Protocol):
    """A sink that can get ready (connect) before the relay opens its transaction."""

    async def prepare(self) -> None: ...


@runtime_checkable
class _Closable(Protocol):
    async def close(self) -> None: ...


class OutboxRelay(PollingLoop):
    """Moves committed outbox events to the event sinks (broker, webhooks), at least once.

    A batch is claimed, handed to every sink, and marked published in ONE transaction: if a
    sink fails, the transaction rolls back and the batch is retried after a backoff; if the
    process dies after a sink published but before the commit, the batch is published again
    after restart, which is why sinks deduplicate by `event_id`.

    Order: events are relayed oldest first, and only one relay works at a time per database
    (a transaction-scoped advisory lock on PostgreSQL; the process's write lock on SQLite), so
    the events of one aggregate reach each sink in the order they occurred even with several
    API replicas each running a relay.
    """

    def __init__(
        self,
        database: Database,
        sinks: Sequence[EventSink],
        *,
        batch_size: int = 100,
        poll_seconds: float = 1.0,
        base_backoff_seconds: float = 0.5,
        max_backoff_seconds: float = 30.0,
        batch_timeout_seconds: float = 60.0,
        on_failure: Callable[[], None] | None = None,
    ) -> None:
        super().__init__("outbox-relay", poll_seconds)
        self._database = database
        self._transactions = SqlTransactions(database)
        self.sinks: tuple[EventSink, ...] = tuple(sinks)
        self._batch_size = batch_size
        self._retry = Backoff(
            base_backoff_seconds, max_backoff_seconds, jitter=0.5, max_exponent=16
        )
        self._batch_timeout = batch_timeout_seconds
        self._on_failure = on_failure
        self._contended = False

    async def stop(self) -> None:
        """Stop the loop (letting a batch in flight finish) and close the sinks."""
        await super().stop()
        for sink in self.sinks:
            if isinstance(sink, _Closable):
                try:
                    await sink.close()
                except Exception:
                    log.exception("relay.sink_close_failed", sink=type(sink).__name__)

    async def run_once(self, limit: int | None = None) -> int:
        """Relay one batch; returns how many events were published. A sink error propagates
        after the batch was rolled back (it stays unpublished)."""
        limit = limit or self._batch_size
        # A read without the write lock first: an idle relay must not make SQLite writers wait.
        async with self._transactions.transaction(write=False) as reading:
            if not await reading.events.has_unpublished():
                return 0
        # Connecting happens before the transaction, for the same reason.
        for sink in self.sinks:
            if isinstance(sink, _Preparable):
                await sink.prepare()
        async with self._transactions.transaction() as repos:
            self._contended = not await self._take_turn(repos.unit.session)
            if self._contended:
                return 0
            events = repos.events
            batch = await events.claim_unpublished(limit)
            if not batch:
                return 0
            # A batch carries the events of many traces: its span links them all.
            links = [link for event in batch if (link := link_to(event.trace_parent)) is not None]
            with _tracer.start_as_current_span("outbox.publish", links=links) as span:
                if span.is_recording():
                    span.set_attribute("outbox.events", len(batch))
                async with asyncio.timeout(self._batch_timeout):
                    for sink in self.sinks:
                        await sink.publish(repos, batch)
            await events.mark_published([event.event_id for event in batch], datetime.now(UTC))
        log.debug("relay.published", events=len(batch))
        return len(batch)

    async def unpublished_count(self) -> int:
        """Events committed but not yet relayed (the outbox backlog)."""
        async with self._transactions.transaction(write=False) as repos:
            return await repos.events.unpublished_count()

    async def _take_turn(self, session: AsyncSession) -> bool:
        if self._database.is_sqlite:
            return True
        taken = await session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _RELAY_LOCK_KEY}
        )
        return bool(taken)

    async def _cycle(self) -> bool:
        return await self.run_once() >= self._batch_size

    def _pause(self) -> float:
        return _CONTENDED_RETRY_SECONDS if self._contended else self._poll_seconds

    def _cycle_failed(self, error: Exception, failures: int) -> float | None:
        delay = self._backoff(failures)
        # The traceback once per outage; afterwards one line per retry.
        log.warning(
            "relay.batch_failed",
            error=repr(error),
            failures=failures,
            retry_in_seconds=round(delay, 2),
            exc_info=error if failures == 1 else False,
        )
        if self._on_failure is not None:
            self._on_failure()
        # Wakes are ignored while backing off: every request would otherwise retry a broker
        # that is down.
        return delay

    def _recovered(self, failures: int) -> None:
        log.info("relay.recovered", failures=failures)

    def _backoff(self, failures: int) -> float:
        return self._retry.delay(failures - 1)
