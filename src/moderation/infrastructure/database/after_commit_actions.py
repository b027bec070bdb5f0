from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from uuid import UUID


@dataclass
class AfterCommitActions:
    """How this process carries out the effects a committed transaction noted; one per
    `Database`, filled in by whoever starts the process's workers, relays, queues and caches.
    An action left `None` is not this process's to do (a CLI has no relay to wake)."""

    invalidate_content: Callable[[Collection[tuple[UUID, UUID]]], Awaitable[None]] | None = None
    forget_policy: Callable[[UUID], None] | None = None
    # Wakes the in-process worker (embedded) or sends `moderate_content` tasks (broker).
    moderate: Callable[[Sequence[UUID]], Awaitable[None]] | None = None
    run_job: Callable[[UUID], Awaitable[None]] | None = None
    wake_relay: Callable[[], None] | None = None
    wake_deliveries: Callable[[], None] | None = None
