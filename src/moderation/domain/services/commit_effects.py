from collections.abc import Sequence
from typing import Protocol
from uuid import UUID


class CommitEffects(Protocol):
    """What a transaction's changes call for once they are committed, noted by whoever makes
    the change. Each is carried out once, after the commit, by the process's own means (a wake
    in this process, a task on the broker, a cache entry deleted in Redis), and never after a
    rollback: before the commit another reader would find nothing, after a rollback nothing
    happened."""

    def content_pending(self, content_ids: Sequence[UUID]) -> None:
        """New items wait for the engine."""

    def content_changed(self, tenant_id: UUID, content_id: UUID) -> None:
        """An item's visible state changed: cached copies are stale."""

    def events_written(self) -> None:
        """Outbox events were written: the relay should look now rather than at its next poll."""

    def job_queued(self, job_id: UUID) -> None:
        """A job was created and must be run."""

    def deliveries_added(self) -> None:
        """Webhook deliveries were created: the delivery worker should look now."""

    def policy_changed(self, tenant_id: UUID) -> None:
        """A tenant's policy has a new version: cached copies are stale."""
