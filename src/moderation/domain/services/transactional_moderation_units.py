from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from moderation.domain.repositories import ContentRepository
from moderation.domain.services.auto_moderation_service import AutoModerationService
from moderation.domain.services.service_set import ServiceSet
from moderation.domain.services.text_scorer import TextScorer
from moderation.domain.services.transactions import Transactions


class TransactionalModerationUnits:
    """`ModerationUnits` on the `Transactions` port: each block is one of its transactions, so
    the decisions' after-commit effects (the relay's wake, cache invalidation) follow their
    commit."""

    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions

    @asynccontextmanager
    async def content(self, *, write: bool = True) -> AsyncIterator[ContentRepository]:
        async with self._transactions.transaction(write=write) as repos:
            yield repos.content

    @asynccontextmanager
    async def decisions(
        self, scorer: TextScorer, *, write: bool = True
    ) -> AsyncIterator[AutoModerationService]:
        async with self._transactions.transaction(write=write) as repos:
            yield ServiceSet(repos).auto_moderation(scorer)
