from typing import Protocol

from moderation.domain.models import ModerationResult
from moderation.domain.policy import ModerationPolicy


class TextScorer(Protocol):
    """Scores texts under a policy; the serving implementation batches and runs off the loop."""

    @property
    def model_version(self) -> str: ...

    async def score(self, texts: list[str], policy: ModerationPolicy) -> list[ModerationResult]: ...
