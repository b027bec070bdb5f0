"""Domain entities and value objects."""

from moderation.domain.models.category import Category
from moderation.domain.models.decision import Decision
from moderation.domain.models.moderation_reason import ModerationReason
from moderation.domain.models.moderation_result import ModerationResult
from moderation.domain.models.span import Span
from moderation.domain.models.term_rule import TermRule

__all__ = ["Category", "Decision", "ModerationReason", "ModerationResult", "Span", "TermRule"]
