from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

import structlog

from moderation.infrastructure.database.after_commit_actions import AfterCommitActions

_log = structlog.get_logger(__name__)


@dataclass
class _Noted:
    pending: dict[UUID, None] = field(default_factory=dict)  # ordered, each id once
    changed: set[tuple[UUID, UUID]] = field(default_factory=set)
    policies: set[UUID] = field(default_factory=set)
    jobs: dict[UUID, None] = field(default_factory=dict)
    events: bool = False
    deliveries: bool = False

    def merge(self, other: "_Noted") -> None:
        self.pending.update(other.pending)
        self.changed |= other.changed
        self.policies |= other.policies
        self.jobs.update(other.jobs)
        self.events = self.events or other.events
        self.deliveries = self.deliveries or other.deliveries


class PendingEffects:
    """The `CommitEffects` of one session: noted while its transaction is open, kept when it
    commits, dropped when it rolls back, and run once by `run`."""

    def __init__(self) -> None:
        self._open = _Noted()
        self._committed = _Noted()

    def content_pending(self, content_ids: Sequence[UUID]) -> None:
        self._open.pending.update(dict.fromkeys(content_ids))

    def content_changed(self, tenant_id: UUID, content_id: UUID) -> None:
        self._open.changed.add((tenant_id, content_id))

    def events_written(self) -> None:
        self._open.events = True

    def job_queued(self, job_id: UUID) -> None:
        self._open.jobs[job_id] = None

    def deliveries_added(self) -> None:
        self._open.deliveries = True

    def policy_changed(self, tenant_id: UUID) -> None:
        self._open.policies.add(tenant_id)

    def committed(self) -> None:
        self._committed.merge(self._open)
        self._open = _Noted()

    def rolled_back(self) -> None:
        self._open = _Noted()

    async def run(self, actions: AfterCommitActions) -> None:
        """Carry out what the committed transactions noted, each effect once. A failure is
        logged and does not fail the caller: the commit has happened, and what was lost is
        recovered from the database (the sweeper re-sends tasks, pollers poll)."""
        done, self._committed = self._committed, _Noted()
        # Caches first: a client that reads its own write after the response must not get
        # the cached copy from before it.
        if done.changed and actions.invalidate_content is not None:
            await _attempt("invalidate_content", actions.invalidate_content(done.changed))
        if actions.forget_policy is not None:
            for tenant_id in done.policies:
                actions.forget_policy(tenant_id)
        if done.pending and actions.moderate is not None:
            await _attempt("moderate", actions.moderate(list(done.pending)))
        if actions.run_job is not None:
            for job_id in done.jobs:
                await _attempt("run_job", actions.run_job(job_id))
        if done.events and actions.wake_relay is not None:
            actions.wake_relay()
        if done.deliveries and actions.wake_deliveries is not None:
            actions.wake_deliveries()


async def _attempt(name: str, effect: Awaitable[None]) -> None:
    try:
        await effect
    except Exception:
        _log.warning("after_commit.failed", effect=name, exc_info=True)
