import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from moderation.core.exceptions import InvalidRequestError, NotFoundError
from moderation.domain.policy.blocklist_item import BlocklistItem
from moderation.ml.policy.blocklist_info import BlocklistInfo
from moderation.ml.policy.moderation_policy import ModerationPolicy
from moderation.ml.vocabulary.term_rule import TermRule

# The item a caller asks to add or update: (text, description, item id or None).
ItemInput = tuple[str, str | None, str | None]


class PolicyBlocklists:
    """A policy's text blocklists: read them, and derive the policy that changes one.

    A list exists when `blocklists` declares it or when a term rule `blocklist:<name>:…`
    names it (a rule written through PUT /api/v1/policy), so no stored or hand-written
    policy can hold an item without a list. Every edit returns a new, fully validated
    `ModerationPolicy`: the policy's limits (rule count, pattern size) apply to blocklist items
    as to any rule, and a refusal is an `InvalidRequestError` naming the limit.
    """

    def __init__(self, policy: ModerationPolicy) -> None:
        self.policy = policy

    def names(self) -> list[str]:
        """Every list's name, sorted."""
        derived = {owner[0] for rule in self.policy.term_rules if (owner := _owner(rule))}
        return sorted(set(self.policy.blocklists) | derived)

    def exists(self, name: str) -> bool:
        return name in self.policy.blocklists or any(
            (owner := _owner(rule)) and owner[0] == name for rule in self.policy.term_rules
        )

    def info(self, name: str) -> BlocklistInfo:
        """The list `name`; NotFoundError when there is none."""
        self.require(name)
        return self.policy.blocklists.get(name) or BlocklistInfo()

    def items(self, name: str) -> list[BlocklistItem]:
        """The list's items, in the order they were added."""
        return [
            item
            for rule in self.policy.term_rules
            if (item := BlocklistItem.of_rule(rule)) is not None and item.blocklist_name == name
        ]

    def item(self, name: str, item_id: str) -> BlocklistItem:
        self.require(name)
        for item in self.items(name):
            if item.item_id == item_id:
                return item
        raise NotFoundError(f"blocklist item {item_id!r} not found in blocklist {name!r}")

    def with_list(self, name: str, changes: dict[str, Any]) -> tuple[ModerationPolicy, bool]:
        """The policy with list `name` created or merged with `changes` (JSON merge patch:
        a member set to None is removed), and whether the list is new."""
        created = not self.exists(name)
        current = self.policy.blocklists.get(name) or BlocklistInfo()
        merged = {**current.model_dump(), **changes}
        info = BlocklistInfo.model_validate(merged)
        return self._replaced(blocklists={**self.policy.blocklists, name: info}), created

    def without_list(self, name: str) -> ModerationPolicy:
        """The policy without list `name` and its items (unchanged when there is none)."""
        lists = {k: v for k, v in self.policy.blocklists.items() if k != name}
        rules = [r for r in self.policy.term_rules if not _in_list(r, name)]
        return self._replaced(blocklists=lists, term_rules=rules)

    def with_items(
        self, name: str, inputs: Sequence[ItemInput]
    ) -> tuple[ModerationPolicy, list[BlocklistItem]]:
        """The policy with `inputs` added to list `name`, or updating the items they name.

        An input names an item by its id, or else by its text (compared ignoring case and
        surrounding blanks), so sending the same item twice updates it instead of adding a
        duplicate. An updated item keeps its id, place, category and action."""
        self.require(name)
        rules = list(self.policy.term_rules)
        items = {item.item_id: item for item in self.items(name)}
        by_text = {_key(item.text): item.item_id for item in items.values()}
        written: dict[str, BlocklistItem] = {}
        for text, description, wanted_id in inputs:
            item_id = wanted_id or by_text.get(_key(text)) or str(uuid.uuid4())
            if wanted_id is not None and wanted_id not in items:
                raise NotFoundError(
                    f"blocklist item {wanted_id!r} not found in blocklist {name!r}; leave "
                    "blocklistItemId out to add a new item"
                )
            old = items.get(item_id)
            item = _item(name, item_id, text, description, old)
            if old is not None:
                by_text.pop(_key(old.text), None)
            items[item_id] = item
            by_text[_key(item.text)] = item_id
            written[item_id] = item
        places = {rule.id: i for i, rule in enumerate(rules)}
        for item in written.values():
            rule = item.rule()
            if rule.id in places:
                rules[places[rule.id]] = rule
            else:
                places[rule.id] = len(rules)
                rules.append(rule)
        return self._replaced(term_rules=rules), list(written.values())

    def without_items(self, name: str, item_ids: Sequence[str]) -> ModerationPolicy:
        """The policy without the named items of list `name` (ids it lacks are ignored)."""
        self.require(name)
        doomed = {BlocklistItem.rule_id(name, item_id) for item_id in item_ids}
        return self._replaced(term_rules=[r for r in self.policy.term_rules if r.id not in doomed])

    def require(self, name: str) -> None:
        """NotFoundError unless list `name` exists."""
        if not self.exists(name):
            raise NotFoundError(f"blocklist {name!r} not found")

    def _replaced(
        self,
        *,
        blocklists: dict[str, BlocklistInfo] | None = None,
        term_rules: list[TermRule] | None = None,
    ) -> ModerationPolicy:
        document = self.policy.model_dump(mode="json")
        if blocklists is not None:
            document["blocklists"] = {k: v.model_dump(mode="json") for k, v in blocklists.items()}
        if term_rules is not None:
            document["term_rules"] = [rule.model_dump(mode="json") for rule in term_rules]
        try:
            return ModerationPolicy.model_validate(document)
        except ValidationError as error:
            raise InvalidRequestError(
                "the change would break the tenant's policy limits: " + _first_message(error)
            ) from None


def _owner(rule: TermRule) -> tuple[str, str] | None:
    return BlocklistItem.owner(rule.id)


def _in_list(rule: TermRule, name: str) -> bool:
    owner = _owner(rule)
    return owner is not None and owner[0] == name


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _item(
    name: str, item_id: str, text: str, description: str | None, old: BlocklistItem | None
) -> BlocklistItem:
    try:
        item = BlocklistItem(
            blocklist_name=name,
            item_id=item_id,
            text=" ".join(text.split()),
            description=description,
        )
    except ValidationError as error:
        raise InvalidRequestError(f"blocklist item: {_first_message(error)}") from None
    # An update keeps what PUT /api/v1/policy may have made of the item's rule.
    return item.model_copy(update={"category": old.category, "action": old.action}) if old else item


def _first_message(error: ValidationError) -> str:
    problem = error.errors()[0]
    return str(problem["msg"]).removeprefix("Value error, ")
