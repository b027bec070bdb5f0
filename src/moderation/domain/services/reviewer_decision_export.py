from collections.abc import AsyncIterator
from datetime import datetime
from uuid import UUID

from moderation.domain.models import AuditEntry, ContentItem
from moderation.domain.services.transactions import Transactions

EXPORT_PAGE_SIZE = 500


class ReviewerDecisionExport:
    """The reviewers' verdicts of one tenant as labelled data (`moderation export-decisions`):
    each item's latest human decision from the audit log, with the item.

    Read a page per read-only transaction: an export of millions holds one page in memory and
    no transaction open while its consumer writes, and on SQLite it never waits for the writer.
    The log is append-only, so paging by item id misses nothing decided before the export
    began; with `until` in the past the same call gives the same lines every time.
    """

    def __init__(self, transactions: Transactions, *, page_size: int = EXPORT_PAGE_SIZE) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self._transactions = transactions
        self._page_size = page_size

    async def decisions(
        self,
        tenant_id: UUID,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> AsyncIterator[tuple[AuditEntry, ContentItem]]:
        """Each item's latest human decision before `until` (exclusive), when it was made at or
        after `since`, in item id order. An item a reviewer decided again after `until`
        counts with the decision it had then."""
        after: UUID | None = None
        while True:
            async with self._transactions.transaction(write=False) as repos:
                page = await repos.audit.latest_human_decisions(
                    tenant_id, since=since, until=until, after=after, limit=self._page_size
                )
            for decision in page:
                yield decision
            if len(page) < self._page_size:
                return
            after = page[-1][1].id
