import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from moderation.domain.models._regex_safety import check_regex
from moderation.domain.models.category import Category
from moderation.domain.models.decision import Decision
from moderation.domain.models.term_rule import TermRule
from moderation.domain.policy.category_thresholds import CategoryThresholds


class ModerationPolicy(BaseModel):
    """A tenant's moderation policy: per-category thresholds, term rules and language handling.

    Categories not listed use the seed's default thresholds (0.3 / 0.7).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: dict[Category, CategoryThresholds] = Field(default_factory=dict)
    default_thresholds: CategoryThresholds = Field(default_factory=CategoryThresholds)
    term_rules: list[TermRule] = Field(default_factory=list)
    use_builtin_lexicon: bool = Field(
        default=True, description="Also apply the shipped profanity/slur/threat/sexual lexicon."
    )
    flag_reclaimable_slurs: bool = Field(
        default=False,
        description=(
            "Also flag slurs that communities commonly reclaim (queer, dyke, ...) on sight. "
            "Off by default: in-group use is common, so the models judge them in context."
        ),
    )
    supported_languages: list[str] = Field(default_factory=lambda: ["en"])
    unsupported_language_action: Decision = Decision.FLAG
    min_language_confidence: float = Field(
        default=0.85,
        ge=0.0,
        le=1.0,
        description="Language calls below this probability are not trusted (short texts).",
    )

    @field_validator("term_rules")
    @classmethod
    def _safe_rules(cls, rules: list[TermRule]) -> list[TermRule]:
        # Tenant rules share the engine thread with every other tenant: refuse patterns that
        # could backtrack for seconds, and ambiguous duplicate ids.
        for rule in rules:
            if rule.kind == "regex":
                check_regex(rule.pattern)
        ids = [rule.id for rule in rules]
        if len(ids) != len(set(ids)):
            raise ValueError("term rule ids must be unique")
        return rules

    @field_validator("supported_languages")
    @classmethod
    def _language_codes(cls, languages: list[str]) -> list[str]:
        bad = [code for code in languages if not re.fullmatch(r"[a-z]{2,3}", code)]
        if bad:
            raise ValueError(f"languages are ISO 639 codes like 'en' or 'fr', not {bad}")
        return languages

    def thresholds(self, category: Category) -> CategoryThresholds:
        """Thresholds in force for `category`."""
        return self.categories.get(category, self.default_thresholds)
