import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import structlog
from opentelemetry import trace
from opentelemetry.trace import Status, StatusCode

from moderation.core.circuit_breaker import CircuitBreaker
from moderation.core.config import Settings
from moderation.domain.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
)
from moderation.infrastructure.database import Database
from moderation.infrastructure.network import EgressGuard, GuardedTransport
from moderation.infrastructure.repositories import SqlTransactions
from moderation.infrastructure.telemetry import context_from
from moderation.infrastructure.webhooks.delivery_slots import DeliverySlots
from moderation.infrastructure.webhooks.failure_reason import failure_reason, status_reason
from moderation.infrastructure.webhooks.retry_schedule import RetrySchedule
from moderation.infrastructure.webhooks.webhook_signer import WebhookSigner

log = structlog.get_logger(__name__)
_tracer = trace.get_tracer(__name__)

USER_AGENT = "Monocto-Webhooks/1"
# Time kept in hand at the end of a lease to record the results (at most one timeout).
_LEASE_MARGIN_SECONDS = 5.0
_BREAKER_OPEN = "not attempted: the endpoint's circuit breaker is open after repeated failures"
_LAST_ERROR = "; last error: "
# How long `aclose` lets the attempts in flight finish before cancelling them.
_CLOSE_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class _Outcome:
    status: WebhookDeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    status_code: int | None
    error: str | None
    delivered_at: datetime | None = None
    attempted: bool = True


class WebhookDeliverer:
    """Sends due webhook deliveries: signed POSTs, retried with backoff for a day, then dead.

    The database is the queue. A batch is claimed (leased) in one transaction, the requests are
    made outside any transaction, and each endpoint's results are recorded in another; a process
    that dies in between leaves its deliveries to be retried when the lease ends. Delivery is
    therefore at least once: receivers deduplicate by `Monocto-Event-Id`.

    Requests go only where the `EgressGuard` allows, checked on the address connected to. One
    tenant's slow endpoints cannot hold up the others: claims take the tenants in turn, at most
    `max_concurrency_per_endpoint` / `_per_tenant` requests are in flight per endpoint / tenant
    (`max_concurrency` in all), and a tenant or endpoint at its cap is left out of further
    claims until a slot frees. `dispatch` starts a batch in the background (the delivery
    loop); `run_once` also waits for it.

    A small per-endpoint circuit breaker stops hammering a receiver that is down: after
    `breaker_threshold` consecutive failures its deliveries are deferred, without an attempt,
    for `breaker_cooldown_seconds` (then one trial request decides).

    `on_outcome` (for metrics) is called once per claimed delivery with "delivered", "failed",
    "dead", or "deferred" (handed back without an attempt: breaker open, or lease used up);
    `on_capacity` whenever a batch is recorded and its slots are free again.
    One deliverer belongs to one event loop (its HTTP client does).
    """

    def __init__(
        self,
        database: Database,
        *,
        schedule: RetrySchedule | None = None,
        guard: EgressGuard | None = None,
        client: httpx.AsyncClient | None = None,
        timeout_seconds: float = 10.0,
        lease_seconds: float = 60.0,
        max_concurrency: int = 64,
        max_concurrency_per_tenant: int = 4,
        max_concurrency_per_endpoint: int = 2,
        breaker_threshold: int = 5,
        breaker_cooldown_seconds: float = 60.0,
        on_outcome: Callable[[str], None] | None = None,
    ) -> None:
        self._database = database
        self._transactions = SqlTransactions(database)
        self.schedule = schedule or RetrySchedule()
        # Secure by default: without a guard, only public addresses are reached.
        self._guard = guard or EgressGuard()
        self._timeout = timeout_seconds
        # The lease must outlast the requests made under it, or another deliverer would claim
        # the same deliveries meanwhile: no request starts later than `_budget` after the claim.
        lease_seconds = max(lease_seconds, timeout_seconds * 3)
        self._lease = timedelta(seconds=lease_seconds)
        self._budget = lease_seconds - timeout_seconds - min(_LEASE_MARGIN_SECONDS, timeout_seconds)
        self._slots = DeliverySlots(
            max_concurrency, max_concurrency_per_tenant, max_concurrency_per_endpoint
        )
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(
            transport=GuardedTransport(
                self._guard,
                limits=httpx.Limits(
                    max_connections=max_concurrency, max_keepalive_connections=max_concurrency
                ),
            ),
            timeout=httpx.Timeout(timeout_seconds),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": USER_AGENT},
        )
        self._breaker_threshold = breaker_threshold
        self._breaker_cooldown = timedelta(seconds=breaker_cooldown_seconds)
        self._breakers: dict[UUID, CircuitBreaker] = {}
        self._on_outcome = on_outcome
        self.on_capacity: Callable[[], None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._next_retry_at: datetime | None = None

    @classmethod
    def from_settings(
        cls,
        database: Database,
        settings: Settings,
        *,
        on_outcome: Callable[[str], None] | None = None,
    ) -> "WebhookDeliverer":
        """The deliverer the settings describe (schedule, timeout, egress, concurrency)."""
        return cls(
            database,
            schedule=RetrySchedule(
                base_seconds=settings.webhook_retry_base_seconds,
                max_delay_seconds=settings.webhook_retry_max_seconds,
                window_seconds=settings.webhook_retry_window_seconds,
            ),
            guard=EgressGuard.from_settings(settings),
            timeout_seconds=settings.webhook_timeout_seconds,
            max_concurrency=settings.webhook_max_concurrency,
            max_concurrency_per_tenant=settings.webhook_max_concurrency_per_tenant,
            max_concurrency_per_endpoint=settings.webhook_max_concurrency_per_endpoint,
            on_outcome=on_outcome,
        )

    @property
    def in_flight(self) -> int:
        """Deliveries claimed here whose results are not recorded yet."""
        return self._slots.assigned

    async def run_once(self, limit: int = 100) -> int:
        """Claim up to `limit` due deliveries and attempt them; returns how many were claimed,
        once every delivery started here is recorded."""
        # The whole `limit`, even beyond the slots free: the caps still hold (the requests
        # wait for slots), and a caller that got fewer than it asked for knows none are due.
        claimed = await self._claim_and_start(limit)
        await self.drain()
        return claimed

    async def dispatch(self, limit: int = 100) -> int:
        """Claim up to `limit` due deliveries (fewer when slots are short) and start them in
        the background; returns how many were claimed."""
        return await self._claim_and_start(min(limit, self._slots.free))

    async def _claim_and_start(self, room: int) -> int:
        if room <= 0:
            return 0
        now = datetime.now(UTC)
        async with self._transactions.transaction() as repos:
            claimed = await repos.webhook_deliveries.claim_due(
                now,
                room,
                now + self._lease,
                exclude_tenants=self._slots.full_tenants(),
                exclude_endpoints=self._slots.full_endpoints(),
            )
        stop_at = time.monotonic() + self._budget
        groups: dict[UUID, tuple[WebhookEndpoint, list[WebhookDelivery]]] = {}
        for delivery, endpoint in claimed:
            groups.setdefault(endpoint.id, (endpoint, []))[1].append(delivery)
            self._slots.assign(endpoint.tenant_id, endpoint.id)
        for endpoint, items in groups.values():
            task = asyncio.create_task(self._serve(endpoint, items, stop_at))
            self._tasks.add(task)
            task.add_done_callback(self._finished)
        return len(claimed)

    async def drain(self) -> None:
        """Wait until every delivery started here is recorded."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    def take_next_retry(self) -> datetime | None:
        """The soonest retry scheduled here since the last call (a poller may wake for it)."""
        retry_at, self._next_retry_at = self._next_retry_at, None
        return retry_at

    async def aclose(self) -> None:
        """Let the attempts in flight finish (cancel them after a grace period), then close the
        HTTP client when this deliverer made it. A cancelled attempt is retried after its
        lease, by this or another deliverer."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=_CLOSE_GRACE_SECONDS)
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._owns_client:
            await self._client.aclose()

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Results not recorded (the database failed): the leases expire, and they retry.
            log.error("webhook.record_failed", exc_info=task.exception())

    async def _serve(
        self, endpoint: WebhookEndpoint, deliveries: list[WebhookDelivery], stop_at: float
    ) -> None:
        try:
            outcomes = await asyncio.gather(
                *(self._in_slot(endpoint, delivery, stop_at) for delivery in deliveries)
            )
            async with self._transactions.transaction() as repos:
                await repos.webhook_deliveries.record_attempts(
                    [
                        WebhookAttempt(
                            delivery.id,
                            status=outcome.status,
                            attempts=outcome.attempts,
                            next_attempt_at=outcome.next_attempt_at,
                            status_code=outcome.status_code,
                            error=outcome.error,
                            delivered_at=outcome.delivered_at,
                        )
                        for delivery, outcome in zip(deliveries, outcomes, strict=True)
                    ]
                )
            for outcome in outcomes:
                self._report(outcome)
        finally:
            for _ in deliveries:
                self._slots.release(endpoint.tenant_id, endpoint.id)
            if self.on_capacity is not None:
                self.on_capacity()

    def _report(self, outcome: _Outcome) -> None:
        if self._on_outcome is not None:
            deferred = not outcome.attempted and outcome.status.retryable
            self._on_outcome("deferred" if deferred else str(outcome.status))
        retry_at = outcome.next_attempt_at
        if retry_at is not None and (self._next_retry_at is None or retry_at < self._next_retry_at):
            self._next_retry_at = retry_at

    async def _in_slot(
        self, endpoint: WebhookEndpoint, delivery: WebhookDelivery, stop_at: float
    ) -> _Outcome:
        async with self._slots.running(endpoint.tenant_id, endpoint.id):
            if time.monotonic() < stop_at:
                return await self._attempt(endpoint, delivery)
        # Slow receivers used up the lease before this one's turn: hand it back, due now.
        return _Outcome(
            delivery.status,
            delivery.attempts,
            datetime.now(UTC),
            delivery.last_status_code,
            delivery.last_error,
            attempted=False,
        )

    async def _attempt(self, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> _Outcome:
        breaker = self._breakers.get(endpoint.id)
        if breaker is None:
            breaker = self._breakers[endpoint.id] = CircuitBreaker(
                self._breaker_cooldown.total_seconds(), threshold=self._breaker_threshold
            )
        now = datetime.now(UTC)
        # Wall-clock seconds: the time it opens until is also the deferred delivery's due time.
        if breaker.is_open(now.timestamp()):
            return self._deferred(delivery, datetime.fromtimestamp(breaker.open_until, UTC), now)
        attempt = delivery.attempts + 1
        status_code, error = await self._post_in_span(endpoint, delivery, attempt)
        now = datetime.now(UTC)
        if error is None:
            breaker.succeeded()
            return _Outcome(WebhookDeliveryStatus.DELIVERED, attempt, None, status_code, None, now)
        breaker.failed(now.timestamp())
        retry_at = self.schedule.next_attempt(delivery.created_at, now, attempt)
        status = WebhookDeliveryStatus.FAILED if retry_at else WebhookDeliveryStatus.DEAD
        return _Outcome(status, attempt, retry_at, status_code, error)

    def _deferred(self, delivery: WebhookDelivery, until: datetime, now: datetime) -> _Outcome:
        deadline = self.schedule.deadline(delivery.created_at)
        status = delivery.status
        retry_at: datetime | None = min(until, deadline)
        if now >= deadline:
            status, retry_at = WebhookDeliveryStatus.DEAD, None
        # The receiver's own last error is kept (once): it says why the breaker opened.
        error = _BREAKER_OPEN
        last = (delivery.last_error or "").rpartition(_LAST_ERROR)[2]
        if last and last != _BREAKER_OPEN:
            error = f"{error}{_LAST_ERROR}{last}"
        return _Outcome(
            status, delivery.attempts, retry_at, delivery.last_status_code, error, attempted=False
        )

    async def _post_in_span(
        self, endpoint: WebhookEndpoint, delivery: WebhookDelivery, attempt: int
    ) -> tuple[int | None, str | None]:
        """`_post` in a `webhook.deliver` span that continues the event's trace (so the HTTP
        client's span nests in it). It names the endpoint by id: the URL's query and the
        secret are the tenant's, not the trace backend's."""
        with _tracer.start_as_current_span(
            "webhook.deliver", context=context_from(delivery.trace_parent)
        ) as span:
            recording = span.is_recording()
            if recording:
                span.set_attributes(
                    {
                        "webhook.endpoint_id": str(endpoint.id),
                        "webhook.event_id": str(delivery.event_id),
                        "webhook.event_type": delivery.event_type,
                        "webhook.attempt": attempt,
                    }
                )
            status_code, error = await self._post(endpoint, delivery, attempt)
            if recording:
                if status_code is not None:
                    span.set_attribute("http.response.status_code", status_code)
                if error is not None:
                    # A fixed phrase (see failure_reason), never the receiver's answer.
                    span.set_status(Status(StatusCode.ERROR, error))
            return status_code, error

    async def _post(
        self, endpoint: WebhookEndpoint, delivery: WebhookDelivery, attempt: int
    ) -> tuple[int | None, str | None]:
        """(status code, error); error is None exactly when the receiver answered 2xx."""
        # Endpoints stored before these rules (or by another version) are held to them too.
        refusal = self._guard.url_refusal(endpoint.url)
        if refusal is not None:
            return None, f"blocked: {refusal}"
        body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
        headers = WebhookSigner(endpoint.secret).headers(
            body,
            event_id=str(delivery.event_id),
            event_type=delivery.event_type,
            attempt=attempt,
            timestamp=int(time.time()),
        )
        try:
            # httpx's timeout bounds each read; this bounds the whole exchange, so a receiver
            # that trickles its answer cannot hold the deliverer. The answer's body is never
            # read: nothing of it is kept (see failure_reason).
            async with (
                asyncio.timeout(self._timeout),
                self._client.stream("POST", endpoint.url, content=body, headers=headers) as reply,
            ):
                if 200 <= reply.status_code < 300:
                    return reply.status_code, None
                code: int | None = reply.status_code
                error = status_reason(reply.status_code)
                exception = None
        except Exception as failure:  # any failure to deliver is retried, never fatal
            code, error = None, failure_reason(failure, self._timeout)
            exception = type(failure).__name__
        log.info(
            "webhook.attempt_failed",
            endpoint_id=str(endpoint.id),
            event_id=str(delivery.event_id),
            attempt=attempt,
            status_code=code,
            error=error,
            exception=exception,
        )
        return code, error
