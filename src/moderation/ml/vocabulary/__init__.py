"""The engine's vocabulary: categories, decisions, reasons, spans, term rules and results.

The engine owns these; the domain uses them (the arrow points domain → engine)."""

from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.decision import Decision
from moderation.ml.vocabulary.moderation_reason import ModerationReason
from moderation.ml.vocabulary.moderation_result import ModerationResult
from moderation.ml.vocabulary.span import Span
from moderation.ml.vocabulary.term_rule import RuleAction, RuleKind, TermRule

__all__ = [
    "Category",
    "Decision",
    "ModerationReason",
    "ModerationResult",
    "RuleAction",
    "RuleKind",
    "Span",
    "TermRule",
]
