from contextlib import AbstractAsyncContextManager
from typing import Protocol

from moderation.domain.repositories import ContentRepository
from moderation.domain.services.auto_moderation_service import AutoModerationService
from moderation.domain.services.text_scorer import TextScorer


class ModerationUnits(Protocol):
    """Units of work for auto-moderation: a batch is claimed, scored, decided and (on failure)
    deferred in transactions of its own, so that none is held open while the engine runs and a
    crash anywhere leaves the items pending. Each commits when its block succeeds."""

    def content(self, *, write: bool = True) -> AbstractAsyncContextManager[ContentRepository]:
        """The content repository in a transaction of its own (claiming, deferring)."""
        ...

    def decisions(
        self, scorer: TextScorer, *, write: bool = True
    ) -> AbstractAsyncContextManager[AutoModerationService]:
        """The engine-decision service in a transaction of its own (scoring, deciding)."""
        ...
