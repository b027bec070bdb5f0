import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from moderation.ml.policy.blocklist_info import NAME_PATTERN, BlocklistInfo
from moderation.ml.policy.category_thresholds import CategoryThresholds
from moderation.ml.policy.strike_rule import StrikeRule
from moderation.ml.vocabulary._regex_safety import check_regex
from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.decision import Decision
from moderation.ml.vocabulary.term_rule import TermRule

# Every text is matched against every rule of its tenant, on an engine all tenants share, so a
# policy's size is bounded. Measured on worst-case (all-vowel, leet-ambiguous) phrases: 16 KiB
# of terms compile in 0.2 s to ~24 MB of RE2 programs; 64 KiB took 0.8 s and ~100 MB.
MAX_RULES = 1000
MAX_REGEX_RULES = 100
MAX_TERM_LENGTH = 200
MAX_TOTAL_PATTERN_CHARS = 16 * 1024
MAX_TOTAL_REGEX_PROGRAM = 30_000
# Each rule costs a count query per rejection of its reason.
MAX_STRIKE_RULES = 20
# Each list is a few bytes of metadata, but every version of the policy stores them all.
MAX_BLOCKLISTS = 100


def _tenant_rule(rule: TermRule) -> TermRule:
    # Runs per list item, so a refusal's location names the rule's index as well.
    try:
        if rule.kind == "regex":
            check_regex(rule.pattern)
        elif len(rule.pattern) > MAX_TERM_LENGTH:
            raise ValueError(f"a word or phrase is at most {MAX_TERM_LENGTH} characters")
    except ValueError as error:
        raise ValueError(f"rule {rule.id!r}, pattern `{rule.pattern}`: {error}") from None
    return rule


TenantTermRule = Annotated[TermRule, AfterValidator(_tenant_rule)]
BlocklistName = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]


class ModerationPolicy(BaseModel):
    """A tenant's moderation policy: per-category thresholds, term rules and language handling.

    Categories not listed use the seed's default thresholds (0.3 / 0.7).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: dict[Category, CategoryThresholds] = Field(default_factory=dict)
    default_thresholds: CategoryThresholds = Field(default_factory=CategoryThresholds)
    term_rules: list[TenantTermRule] = Field(
        default_factory=list,
        description=(
            f"At most {MAX_RULES} rules ({MAX_REGEX_RULES} of them regexes), "
            f"{MAX_TOTAL_PATTERN_CHARS} pattern characters in all."
        ),
    )
    blocklists: dict[BlocklistName, BlocklistInfo] = Field(
        default_factory=dict,
        max_length=MAX_BLOCKLISTS,
        description=(
            "Named text blocklists (the Azure AI Content Safety drop-in's), at most "
            f"{MAX_BLOCKLISTS}. Their items are the term rules with ids "
            "`blocklist:<name>:<item id>`; a list named only by such a rule exists too."
        ),
    )
    use_builtin_lexicon: bool = Field(
        default=True, description="Also apply the shipped profanity/slur/threat/sexual lexicon."
    )
    flag_profanity: bool = Field(
        default=False,
        description=(
            "Let profanity act on its own: flag or reject by the profanity thresholds, built-in "
            "lexicon hits included. Off by default, as mainstream moderation APIs behave: "
            'untargeted swearing ("fuck yeah, we won") keeps its profanity score but is '
            "approved, while insults, threats, hate, sexual content and spam still act."
        ),
    )
    flag_reclaimable_slurs: bool = Field(
        default=False,
        description=(
            "Also flag slurs that communities commonly reclaim (queer, dyke, ...) on sight. "
            "Off by default: in-group use is common, so the models judge them in context."
        ),
    )
    strike_rules: list[StrikeRule] = Field(
        default_factory=list,
        max_length=MAX_STRIKE_RULES,
        description=(
            'Repeat-offender rules, e.g. "3 rejections for harassment within 30 days → '
            'suspend": each emits `author.action_recommended` when an author reaches it; the '
            "platform acts. Overturned decisions remove their strike."
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

    @field_validator("term_rules", mode="before")
    @classmethod
    def _bounded_rules(cls, rules: Any) -> Any:
        # Before the rules are parsed, so an oversized list costs no regex compilation.
        if isinstance(rules, list):
            _check_limits(
                [_raw(rule, "kind") for rule in rules], [_raw(r, "pattern") for r in rules]
            )
        return rules

    @field_validator("term_rules")
    @classmethod
    def _distinct_rules(cls, rules: list[TermRule]) -> list[TermRule]:
        program = sum(check_regex(rule.pattern) for rule in rules if rule.kind == "regex")
        if program > MAX_TOTAL_REGEX_PROGRAM:
            raise ValueError(
                f"the regex rules compile to {program} RE2 instructions in all; the limit is "
                f"{MAX_TOTAL_REGEX_PROGRAM}"
            )
        ids = [rule.id for rule in rules]
        if len(ids) != len(set(ids)):
            raise ValueError("term rule ids must be unique")
        return rules

    @field_validator("strike_rules")
    @classmethod
    def _distinct_strike_rules(cls, rules: list[StrikeRule]) -> list[StrikeRule]:
        ids = [rule.id for rule in rules]
        if len(ids) != len(set(ids)):
            raise ValueError("strike rule ids must be unique")
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


def _raw(rule: Any, name: str) -> Any:
    return rule.get(name) if isinstance(rule, dict) else getattr(rule, name, None)


def _check_limits(kinds: list[Any], patterns: list[Any]) -> None:
    if len(kinds) > MAX_RULES:
        raise ValueError(f"a policy has at most {MAX_RULES} term rules, not {len(kinds)}")
    regexes = sum(kind == "regex" for kind in kinds)
    if regexes > MAX_REGEX_RULES:
        raise ValueError(f"a policy has at most {MAX_REGEX_RULES} regex rules, not {regexes}")
    size = sum(len(p) for p in patterns if isinstance(p, str))
    if size > MAX_TOTAL_PATTERN_CHARS:
        raise ValueError(
            f"the term rules' patterns have {size} characters in all; the limit is "
            f"{MAX_TOTAL_PATTERN_CHARS}"
        )
