from dataclasses import dataclass

from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.span import Span
from moderation.ml.vocabulary.term_rule import RuleAction


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One term rule matching `[start, end)` of the ORIGINAL text (`text` is that substring)."""

    rule_id: str
    category: Category
    action: RuleAction
    start: int
    end: int
    text: str

    def as_span(self) -> Span:
        """This hit as a domain span (source `rule:<id>`)."""
        return Span(start=self.start, end=self.end, category=self.category, source=self.source)

    @property
    def source(self) -> str:
        return f"rule:{self.rule_id}"
