from collections.abc import Sequence
from typing import Protocol

from moderation.domain.models import ModerationResult
from moderation.domain.policy import ModerationPolicy


class BlockingEngine(Protocol):
    """What the batching scorer drives: the engine itself, or the engine in another process."""

    @property
    def model_version(self) -> str: ...

    def score(self, texts: Sequence[str], policy: ModerationPolicy) -> list[ModerationResult]: ...

    def close(self) -> None: ...
