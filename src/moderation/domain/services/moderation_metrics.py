from collections.abc import Iterable
from typing import Protocol


class ModerationMetrics(Protocol):
    """What auto-moderation reports, whichever runtime runs it."""

    def record_decision(
        self,
        source: str,
        decision: str,
        reasons: Iterable[str],
        flagged_categories: Iterable[str],
    ) -> None: ...

    def count_worker_failure(self) -> None: ...

    def set_queue_depth(self, n: int) -> None: ...
