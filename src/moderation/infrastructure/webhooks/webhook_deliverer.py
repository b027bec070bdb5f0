import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import structlog

from moderation.domain.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEndpoint,
)
from moderation.infrastructure.database import Database
from moderation.infrastructure.repositories import SqlWebhookDeliveryRepository
from moderation.infrastructure.webhooks.retry_schedule import RetrySchedule
from moderation.infrastructure.webhooks.webhook_signer import WebhookSigner

log = structlog.get_logger(__name__)

USER_AGENT = "Monocto-Webhooks/1"
# What is kept of a failing receiver's answer for the delivery log.
_ERROR_BODY_BYTES = 512
# Time kept in hand at the end of a lease to record the results (at most one timeout).
_LEASE_MARGIN_SECONDS = 5.0


@dataclass
class _Breaker:
    failures: int = 0
    open_until: datetime | None = None


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

    Endpoints are served concurrently, each endpoint's deliveries one after another. A small
    per-endpoint circuit breaker stops hammering a receiver that is down: after
    `breaker_threshold` consecutive failures its deliveries are deferred, without an attempt,
    for `breaker_cooldown_seconds` (then one trial request decides).

    `on_outcome` (for metrics) is called once per claimed delivery with "delivered", "failed",
    "dead", or "deferred" (handed back without an attempt: breaker open, or lease used up).
    One deliverer belongs to one event loop (its HTTP client does).
    """

    def __init__(
        self,
        database: Database,
        *,
        schedule: RetrySchedule | None = None,
        client: httpx.AsyncClient | None = None,
        timeout_seconds: float = 10.0,
        lease_seconds: float = 60.0,
        max_concurrency: int = 16,
        breaker_threshold: int = 5,
        breaker_cooldown_seconds: float = 60.0,
        on_outcome: Callable[[str], None] | None = None,
    ) -> None:
        self._database = database
        self.schedule = schedule or RetrySchedule()
        self._timeout = timeout_seconds
        # The lease must outlast the requests made under it, or another deliverer would claim
        # the same deliveries meanwhile: no request starts later than `_budget` after the claim.
        lease_seconds = max(lease_seconds, timeout_seconds * 3)
        self._lease = timedelta(seconds=lease_seconds)
        self._budget = lease_seconds - timeout_seconds - min(_LEASE_MARGIN_SECONDS, timeout_seconds)
        self._owns_client = client is None
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_seconds),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )
        self._concurrency = asyncio.Semaphore(max_concurrency)
        self._breaker_threshold = breaker_threshold
        self._breaker_cooldown = timedelta(seconds=breaker_cooldown_seconds)
        self._breakers: dict[UUID, _Breaker] = {}
        self._on_outcome = on_outcome
        self.next_retry_at: datetime | None = None
        """The soonest retry the latest `run_once` scheduled (a poller may wake up for it)."""

    async def run_once(self, limit: int = 100) -> int:
        """Claim up to `limit` due deliveries and attempt them; returns how many were claimed."""
        now = datetime.now(UTC)
        self.next_retry_at = None
        async with self._database.transaction() as session:
            claimed = await SqlWebhookDeliveryRepository(session).claim_due(
                now, limit, now + self._lease
            )
        if not claimed:
            return 0
        stop_at = time.monotonic() + self._budget
        groups: dict[UUID, tuple[WebhookEndpoint, list[WebhookDelivery]]] = {}
        for delivery, endpoint in claimed:
            groups.setdefault(endpoint.id, (endpoint, []))[1].append(delivery)
        await asyncio.gather(
            *(self._serve(endpoint, items, stop_at) for endpoint, items in groups.values())
        )
        return len(claimed)

    async def aclose(self) -> None:
        """Close the HTTP client (when this deliverer made it)."""
        if self._owns_client:
            await self._client.aclose()

    async def _serve(
        self, endpoint: WebhookEndpoint, deliveries: list[WebhookDelivery], stop_at: float
    ) -> None:
        outcomes: list[tuple[WebhookDelivery, _Outcome]] = []
        async with self._concurrency:
            for delivery in deliveries:
                if time.monotonic() < stop_at:
                    outcome = await self._attempt(endpoint, delivery)
                else:
                    # A slow receiver used up the lease: hand the rest back, due now.
                    outcome = _Outcome(
                        delivery.status,
                        delivery.attempts,
                        datetime.now(UTC),
                        delivery.last_status_code,
                        delivery.last_error,
                        attempted=False,
                    )
                outcomes.append((delivery, outcome))
        async with self._database.transaction() as session:
            await SqlWebhookDeliveryRepository(session).record_attempts(
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
                    for delivery, outcome in outcomes
                ]
            )
        for _, outcome in outcomes:
            if self._on_outcome is not None:
                deferred = not outcome.attempted and outcome.status.retryable
                self._on_outcome("deferred" if deferred else str(outcome.status))
            retry_at = outcome.next_attempt_at
            if retry_at is not None and (
                self.next_retry_at is None or retry_at < self.next_retry_at
            ):
                self.next_retry_at = retry_at

    async def _attempt(self, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> _Outcome:
        breaker = self._breakers.setdefault(endpoint.id, _Breaker())
        now = datetime.now(UTC)
        if breaker.open_until is not None and now < breaker.open_until:
            return self._deferred(delivery, breaker.open_until, now)
        attempt = delivery.attempts + 1
        status_code, error = await self._post(endpoint, delivery, attempt)
        now = datetime.now(UTC)
        if error is None:
            breaker.failures, breaker.open_until = 0, None
            return _Outcome(WebhookDeliveryStatus.DELIVERED, attempt, None, status_code, None, now)
        breaker.failures += 1
        if breaker.failures >= self._breaker_threshold:
            breaker.open_until = now + self._breaker_cooldown
        log.info(
            "webhook.attempt_failed",
            endpoint_id=str(endpoint.id),
            event_id=str(delivery.event_id),
            attempt=attempt,
            status_code=status_code,
            error=error,
        )
        retry_at = self.schedule.next_attempt(delivery.created_at, now, attempt)
        status = WebhookDeliveryStatus.FAILED if retry_at else WebhookDeliveryStatus.DEAD
        return _Outcome(status, attempt, retry_at, status_code, error)

    def _deferred(self, delivery: WebhookDelivery, until: datetime, now: datetime) -> _Outcome:
        deadline = self.schedule.deadline(delivery.created_at)
        status = delivery.status
        retry_at: datetime | None = min(until, deadline)
        if now >= deadline:
            status, retry_at = WebhookDeliveryStatus.DEAD, None
        # The receiver's own last error is kept: it says why the breaker opened.
        error = "not attempted: the endpoint's circuit breaker is open after repeated failures"
        if delivery.last_error:
            error = f"{error}; last error: {delivery.last_error}"
        return _Outcome(
            status, delivery.attempts, retry_at, delivery.last_status_code, error, attempted=False
        )

    async def _post(
        self, endpoint: WebhookEndpoint, delivery: WebhookDelivery, attempt: int
    ) -> tuple[int | None, str | None]:
        """(status code, error); error is None exactly when the receiver answered 2xx."""
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
            # that trickles its answer cannot hold the deliverer.
            async with (
                asyncio.timeout(self._timeout),
                self._client.stream("POST", endpoint.url, content=body, headers=headers) as reply,
            ):
                if 200 <= reply.status_code < 300:
                    return reply.status_code, None
                return reply.status_code, await _describe(reply)
        except TimeoutError:
            return None, f"timed out after {self._timeout:g} s"
        except Exception as error:  # any failure to deliver is retried, never fatal to the loop
            return None, f"{type(error).__name__}: {error}"[:2000]


async def _describe(reply: httpx.Response) -> str:
    if 300 <= reply.status_code < 400:
        location = reply.headers.get("Location", "?")
        return f"HTTP {reply.status_code}: redirects are not followed (Location: {location})"
    head = b""
    with contextlib.suppress(httpx.HTTPError):
        async for chunk in reply.aiter_raw():
            head += chunk
            if len(head) >= _ERROR_BODY_BYTES:
                break
    text = head[:_ERROR_BODY_BYTES].decode("utf-8", errors="replace").strip()
    return f"HTTP {reply.status_code}: {text}" if text else f"HTTP {reply.status_code}"
