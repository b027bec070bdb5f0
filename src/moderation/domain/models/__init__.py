"""Domain entities and value objects."""

from moderation.domain.models.category import Category
from moderation.domain.models.decision import Decision
from moderation.domain.models.moderation_reason import ModerationReason
from moderation.domain.models.span import Span

__all__ = ["Category", "Decision", "ModerationReason", "Span"]
