"""What one load run measured."""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class LoadResult:
    """Throughput, latency and failures of one fixed-duration run at fixed concurrency.

    `errors` counts every request that did not end in a 2xx/3xx response (socket errors,
    timeouts, 4xx/5xx statuses); `error_detail` breaks it down by kind.
    `loadgen_cpu_pct` is the generator's own CPU use, which on a small machine is taken from
    the server, so it is reported next to the server's.
    """

    requests: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: int
    error_detail: dict[str, int] = field(default_factory=dict)
    loadgen_cpu_pct: float = 0.0

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.duration_s if self.duration_s > 0 else 0.0

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["requests_per_second"] = round(self.requests_per_second, 1)
        return data
