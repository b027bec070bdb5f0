"""Prometheus metrics of the moderation service, kept in a registry of their own."""

from collections.abc import Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

_PREFIX = "moderation_"
_SOURCES = frozenset({"engine", "human"})

# From half a millisecond (a cached lookup) to five seconds (a slow batch under load).
_LATENCY_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class ServiceMetrics:
    """Every metric the service exports, registered in its own `CollectorRegistry`.

    A private registry lets many app instances (tests, one per worker) coexist in one process; the
    global default registry would reject the second registration of each name.
    """

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        reg = self.registry
        self.http_requests = Counter(
            _PREFIX + "http_requests_total",
            "HTTP requests handled, by method, route template and status.",
            ["method", "route", "status"],
            registry=reg,
        )
        self.http_request_duration = Histogram(
            _PREFIX + "http_request_duration_seconds",
            "Time to handle an HTTP request, by method and route template.",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=reg,
        )
        self.decisions = Counter(
            _PREFIX + "decisions_total",
            "Moderation decisions, by source (engine or human) and decision.",
            ["source", "decision"],
            registry=reg,
        )
        self.decision_reasons = Counter(
            _PREFIX + "decision_reasons_total",
            "Reasons attached to moderation decisions, by source and reason.",
            ["source", "reason"],
            registry=reg,
        )
        self.category_flags = Counter(
            _PREFIX + "category_flags_total",
            "Categories scored at or above their flag threshold.",
            ["category"],
            registry=reg,
        )
        self.queue_depth = Gauge(
            _PREFIX + "queue_depth",
            "Content items waiting for automatic moderation.",
            registry=reg,
        )
        self.model_inference = Histogram(
            _PREFIX + "model_inference_seconds",
            "Time the engine spent scoring one batch, by model tier.",
            ["tier"],
            buckets=_LATENCY_BUCKETS,
            registry=reg,
        )
        self.model_batch_size = Histogram(
            _PREFIX + "model_batch_size",
            "Number of texts scored per engine call.",
            buckets=_BATCH_BUCKETS,
            registry=reg,
        )
        self.rate_limited = Counter(
            _PREFIX + "rate_limited_total",
            "Requests refused by the rate limiter.",
            registry=reg,
        )
        self.worker_failures = Counter(
            _PREFIX + "worker_failures_total",
            "Background moderation jobs that failed.",
            registry=reg,
        )
        self.outbox_backlog = Gauge(
            _PREFIX + "outbox_backlog",
            "Events recorded but not yet relayed to the broker and webhooks.",
            registry=reg,
        )
        self.webhook_deliveries = Counter(
            _PREFIX + "webhook_deliveries_total",
            "Webhook delivery attempts by outcome (delivered, failed, dead, deferred).",
            ["outcome"],
            registry=reg,
        )
        self.scoring_backlog = Gauge(
            _PREFIX + "scoring_backlog",
            "Texts waiting for the engine in this process (micro-batcher queue).",
            registry=reg,
        )
        self.content_cache_lookups = Counter(
            _PREFIX + "content_cache_lookups_total",
            "Content reads by cache outcome (hit, miss, bypass while Redis is failing).",
            ["outcome"],
            registry=reg,
        )
        self.redis_errors = Counter(
            _PREFIX + "redis_errors_total",
            "Redis operations that failed.",
            registry=reg,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one HTTP request and its duration under its route template."""
        self.http_requests.labels(method=method, route=route, status=str(status)).inc()
        self.http_request_duration.labels(method=method, route=route).observe(seconds)

    def record_decision(
        self,
        source: str,
        decision: str,
        reasons: Iterable[str],
        flagged_categories: Iterable[str],
    ) -> None:
        """Count a decision from `source` ("engine" or "human") with its reasons and flags."""
        if source not in _SOURCES:
            raise ValueError(f"source must be one of {sorted(_SOURCES)}, got {source!r}")
        self.decisions.labels(source=source, decision=str(decision)).inc()
        # A reason or category listed twice is still one decision's worth of it.
        for reason in dict.fromkeys(str(r) for r in reasons):
            self.decision_reasons.labels(source=source, reason=reason).inc()
        for category in dict.fromkeys(str(c) for c in flagged_categories):
            self.category_flags.labels(category=category).inc()

    def observe_inference(self, tier: str, seconds: float, batch_size: int) -> None:
        """Record one engine call: its duration under `tier` and how many texts it scored."""
        self.model_inference.labels(tier=str(tier)).observe(seconds)
        self.model_batch_size.observe(batch_size)

    def set_queue_depth(self, n: int) -> None:
        """Set how many items wait for automatic moderation."""
        self.queue_depth.set(n)

    def set_outbox_backlog(self, n: int) -> None:
        """Set how many outbox events wait for the relay."""
        self.outbox_backlog.set(n)

    def count_webhook_delivery(self, outcome: str) -> None:
        """Count one webhook delivery attempt's outcome."""
        self.webhook_deliveries.labels(outcome=outcome).inc()

    def set_scoring_backlog(self, n: int) -> None:
        """Set how many texts wait for the engine in this process."""
        self.scoring_backlog.set(n)

    def count_rate_limited(self) -> None:
        """Count one request refused by the rate limiter."""
        self.rate_limited.inc()

    def count_worker_failure(self) -> None:
        """Count one failed background job."""
        self.worker_failures.inc()

    def count_content_cache_lookup(self, outcome: str) -> None:
        """Count one content read answered from the cache ("hit") or not."""
        self.content_cache_lookups.labels(outcome=outcome).inc()

    def count_redis_error(self) -> None:
        """Count one failed Redis operation."""
        self.redis_errors.inc()

    def render(self) -> tuple[bytes, str]:
        """The registry in the Prometheus text format, and that format's content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
