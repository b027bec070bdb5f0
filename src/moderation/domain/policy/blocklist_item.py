import re
from typing import Self

from pydantic import BaseModel, ConfigDict, Field

from moderation.ml.policy.blocklist_info import MAX_BLOCKLIST_DESCRIPTION, NAME_PATTERN
from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.term_rule import RuleAction, TermRule

BLOCKLIST_RULE_PREFIX = "blocklist:"
_NAME = re.compile(NAME_PATTERN)
_RULE_ID = re.compile(r"^blocklist:([0-9A-Za-z._~-]{1,64}):([0-9A-Za-z._~-]{1,64})$")
# Azure's limit on an item's text (ours for words and phrases is 200: the stricter wins).
MAX_ITEM_TEXT = 128
# What a blocklist hit does on the tenant's native routes. Insult, not toxicity: toxicity on a
# profane text that attacks no one is capped at what profanity may do (approve, by default),
# so a blocklisted swear word would silently do nothing; an insult hit always acts, under the
# reason `harassment`, as toxicity would.
DEFAULT_CATEGORY = Category.INSULT
DEFAULT_ACTION: RuleAction = "flag"


def is_blocklist_name(name: str) -> bool:
    """Whether `name` is a valid blocklist name (and so a valid item id)."""
    return _NAME.fullmatch(name) is not None


class BlocklistItem(BaseModel):
    """One item of a text blocklist: a view of the term rule `blocklist:<list>:<id>`.

    The rule's `reason` carries the item's description after the list's name, so the list is
    named wherever a decision explains itself and the description comes back unchanged.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    blocklist_name: str = Field(pattern=NAME_PATTERN)
    item_id: str = Field(pattern=NAME_PATTERN)
    text: str = Field(min_length=1)
    description: str | None = Field(default=None, max_length=MAX_BLOCKLIST_DESCRIPTION)
    category: Category = DEFAULT_CATEGORY
    action: RuleAction = DEFAULT_ACTION

    @staticmethod
    def rule_id(blocklist_name: str, item_id: str) -> str:
        return f"{BLOCKLIST_RULE_PREFIX}{blocklist_name}:{item_id}"

    @staticmethod
    def owner(rule_id: str) -> tuple[str, str] | None:
        """(list name, item id) of a blocklist rule's id; None for any other rule."""
        match = _RULE_ID.fullmatch(rule_id)
        return (match.group(1), match.group(2)) if match else None

    @classmethod
    def of_rule(cls, rule: TermRule) -> Self | None:
        """The item `rule` stores, or None when it is not a blocklist rule."""
        owner = cls.owner(rule.id)
        if owner is None:
            return None
        name, item_id = owner
        return cls(
            blocklist_name=name,
            item_id=item_id,
            text=rule.pattern,
            description=_description(name, rule.reason),
            category=rule.category,
            action=rule.action,
        )

    def rule(self) -> TermRule:
        """The term rule that stores this item: a phrase when it holds whitespace."""
        label = f"blocklist {self.blocklist_name}"
        return TermRule(
            id=self.rule_id(self.blocklist_name, self.item_id),
            pattern=self.text,
            kind="phrase" if any(ch.isspace() for ch in self.text) else "word",
            category=self.category,
            action=self.action,
            reason=f"{label}: {self.description}" if self.description else label,
        )


def _description(name: str, reason: str | None) -> str | None:
    # A rule written through PUT /api/v1/policy may carry any reason: it is then the
    # description as it stands.
    if reason is None or reason == f"blocklist {name}":
        return None
    return reason.removeprefix(f"blocklist {name}: ")[:MAX_BLOCKLIST_DESCRIPTION]
