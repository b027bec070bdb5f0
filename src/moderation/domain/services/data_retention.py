from datetime import datetime
from uuid import UUID

from moderation.domain.services.transactions import Transactions

# Rows per transaction: large enough that a purge of millions takes minutes, small enough that
# no batch holds its locks (on SQLite, the one writer) for more than a moment.
PURGE_BATCH_SIZE = 1_000


class DataRetention:
    """Purges of what the service needs only for a while (`moderation db purge`): outbox
    events once published (the relay has handed them on and fanned out their webhook
    deliveries), and idempotency records past the window in which a client retries.

    Each batch is its own transaction, so the API and the workers write between batches and a
    purge stopped half-way keeps what it deleted.
    """

    def __init__(self, transactions: Transactions, *, batch_size: int = PURGE_BATCH_SIZE) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._transactions = transactions
        self._batch = batch_size

    async def purge_published_events(self, published_before: datetime) -> int:
        """Delete the outbox events published before `published_before`; how many went."""
        total = 0
        while True:
            async with self._transactions.transaction() as repos:
                deleted = await repos.events.delete_published_before(published_before, self._batch)
            total += deleted
            if deleted < self._batch:
                return total

    async def purge_idempotency_records(self, created_before: datetime) -> int:
        """Delete the idempotency records created before `created_before`; how many went."""
        total = 0
        after: tuple[UUID, str] | None = None
        while True:
            async with self._transactions.transaction() as repos:
                keys = await repos.idempotency.delete_created_before(
                    created_before, self._batch, after=after
                )
            total += len(keys)
            if len(keys) < self._batch:
                return total
            # The repository returns them in its own key order (a PostgreSQL collation need
            # not be Python's), so the last one is where its next batch starts.
            after = keys[-1]
