"""Text blocklists inside the policy document: old documents load, lists and items stay
consistent with the term rules, the policy's limits hold, lost updates are retried."""

import asyncio
import uuid
from datetime import UTC, datetime
from uuid import UUID

import pytest
from pydantic import ValidationError

from moderation.core.exceptions import ConflictError, InvalidRequestError, NotFoundError
from moderation.domain.models import Category, DomainEvent, TermRule
from moderation.domain.policy import (
    BlocklistInfo,
    BlocklistItem,
    ModerationPolicy,
    PolicyBlocklists,
    TenantPolicy,
)
from moderation.domain.services import PolicyService
from moderation.domain.services.blocklist_service import MAX_ATTEMPTS, BlocklistService
from moderation.infrastructure.database.tables import PolicyRow
from moderation.infrastructure.repositories.sql_policy_repository import _to_domain
from moderation.ml.policy.moderation_policy import MAX_BLOCKLISTS

OLD_DOCUMENT = {
    "categories": {"spam": {"enabled": True, "flag_at": 0.4, "reject_at": 0.8}},
    "term_rules": [
        {"id": "blocklist:legacy", "pattern": "foo", "kind": "word", "category": "spam"},
        {"id": "scam", "pattern": "free money", "kind": "phrase", "category": "spam"},
    ],
    "supported_languages": ["en"],
}


def test_a_stored_policy_from_before_blocklists_still_loads() -> None:
    row = PolicyRow(
        tenant_id=uuid.uuid4(),
        version=7,
        document=OLD_DOCUMENT,
        created_at=datetime.now(UTC),
        created_by="system",
    )
    policy = _to_domain(row).policy
    assert policy.blocklists == {}
    assert [rule.id for rule in policy.term_rules] == ["blocklist:legacy", "scam"]
    # A rule id that only starts like a blocklist rule is an ordinary rule.
    assert PolicyBlocklists(policy).names() == []
    assert ModerationPolicy.model_validate(policy.model_dump(mode="json")) == policy


def test_lists_are_declared_or_named_by_their_rules() -> None:
    policy = ModerationPolicy.model_validate(
        {
            "blocklists": {"declared": {"description": "d"}},
            "term_rules": [
                {"id": "blocklist:derived:a1", "pattern": "zorblax", "category": "insult"},
            ],
        }
    )
    lists = PolicyBlocklists(policy)
    assert lists.names() == ["declared", "derived"]
    assert lists.info("derived") == BlocklistInfo()
    assert lists.item("derived", "a1").text == "zorblax"
    with pytest.raises(NotFoundError):
        lists.info("neither")
    with pytest.raises(NotFoundError):
        lists.item("derived", "b2")


def test_blocklist_names_and_count_are_bounded() -> None:
    with pytest.raises(ValidationError):
        ModerationPolicy.model_validate({"blocklists": {"has space": {}}})
    with pytest.raises(ValidationError):
        ModerationPolicy.model_validate({"blocklists": {"x" * 65: {}}})
    many: dict[str, dict[str, str]] = {f"l{i}": {} for i in range(MAX_BLOCKLISTS + 1)}
    with pytest.raises(ValidationError):
        ModerationPolicy.model_validate({"blocklists": many})


def test_items_are_rules_and_re_adding_updates_in_place() -> None:
    lists = PolicyBlocklists(ModerationPolicy())
    policy, created = lists.with_list("words", {"description": "mine"})
    assert created
    policy, items = PolicyBlocklists(policy).with_items(
        "words", [("bad  word", "two words", None), ("zorblax", None, None)]
    )
    rules = {rule.id: rule for rule in policy.term_rules}
    phrase = rules[BlocklistItem.rule_id("words", items[0].item_id)]
    assert (phrase.kind, phrase.pattern, phrase.category, phrase.action) == (
        "phrase",
        "bad word",
        Category.INSULT,
        "flag",
    )
    assert phrase.reason == "blocklist words: two words"
    again, updated = PolicyBlocklists(policy).with_items("words", [("ZORBLAX", "now", None)])
    assert updated[0].item_id == items[1].item_id
    assert [i.text for i in PolicyBlocklists(again).items("words")] == ["bad word", "ZORBLAX"]
    with pytest.raises(NotFoundError):
        PolicyBlocklists(again).with_items("words", [("x", None, "no-such-id")])
    with pytest.raises(NotFoundError):
        PolicyBlocklists(again).with_items("other", [("x", None, None)])


def test_merge_patch_sets_keeps_and_removes_the_description() -> None:
    policy, _ = PolicyBlocklists(ModerationPolicy()).with_list("l", {"description": "d"})
    kept, created = PolicyBlocklists(policy).with_list("l", {})
    assert not created
    assert kept == policy
    removed, _ = PolicyBlocklists(policy).with_list("l", {"description": None})
    assert removed.blocklists["l"].description is None


def test_deleting_a_list_drops_its_items_and_nothing_else() -> None:
    base = ModerationPolicy.model_validate(
        {
            "blocklists": {"a": {}, "b": {}},
            "term_rules": [
                {"id": "blocklist:a:1", "pattern": "one", "category": "insult"},
                {"id": "blocklist:b:1", "pattern": "two", "category": "insult"},
                {"id": "own", "pattern": "three", "category": "spam"},
            ],
        }
    )
    policy = PolicyBlocklists(base).without_list("a")
    assert list(policy.blocklists) == ["b"]
    assert [rule.id for rule in policy.term_rules] == ["blocklist:b:1", "own"]
    assert PolicyBlocklists(policy).without_list("a") == policy


def test_the_policy_limits_refuse_an_add_naming_the_limit() -> None:
    rules = [TermRule(id=f"r{i}", pattern=f"term{i}", category=Category.SPAM) for i in range(1000)]
    policy = ModerationPolicy(term_rules=rules, blocklists={"full": BlocklistInfo()})
    with pytest.raises(InvalidRequestError, match="at most 1000 term rules"):
        PolicyBlocklists(policy).with_items("full", [("one", None, None)])
    with pytest.raises(InvalidRequestError, match="blocklist item"):
        PolicyBlocklists(policy).with_items("full", [("   ", None, None)])


class _MemoryPolicies:
    """Stored versions in memory; `conflicts` adds that fail as a lost race would."""

    def __init__(self, conflicts: int = 0) -> None:
        self.versions: list[TenantPolicy] = []
        self.conflicts = conflicts

    async def latest(self, tenant_id: UUID) -> TenantPolicy | None:
        found = [v for v in self.versions if v.tenant_id == tenant_id]
        return found[-1] if found else None

    async def add(self, policy: TenantPolicy) -> None:
        if self.conflicts:
            self.conflicts -= 1
            raise ConflictError("the policy was changed concurrently; retry")
        self.versions.append(policy)


class _Events:
    def __init__(self) -> None:
        self.added: list[DomainEvent] = []

    async def add(self, event: DomainEvent) -> None:
        self.added.append(event)


def _service(store: _MemoryPolicies, restarts: list[int] | None = None) -> BlocklistService:
    async def restart() -> None:
        assert restarts is not None
        restarts.append(1)

    policies = PolicyService(store, _Events())  # type: ignore[arg-type]
    return BlocklistService(policies, restart=restart if restarts is not None else None)


def test_a_lost_race_is_derived_again_after_a_restart() -> None:
    store, restarts = _MemoryPolicies(conflicts=2), list[int]()
    tenant = uuid.uuid4()
    updated, created = asyncio.run(
        _service(store, restarts).change(tenant, "admin", lambda b: b.with_list("l", {}))
    )
    assert created
    assert updated is not None
    assert updated.version == 1
    assert len(restarts) == 2


def test_conflicts_past_the_attempts_or_without_restart_are_the_callers() -> None:
    tenant = uuid.uuid4()
    with pytest.raises(ConflictError):
        asyncio.run(
            _service(_MemoryPolicies(conflicts=MAX_ATTEMPTS), []).change(
                tenant, "admin", lambda b: b.with_list("l", {})
            )
        )
    with pytest.raises(ConflictError):
        asyncio.run(
            _service(_MemoryPolicies(conflicts=1)).change(
                tenant, "admin", lambda b: b.with_list("l", {})
            )
        )


def test_a_change_that_changes_nothing_writes_no_version() -> None:
    store = _MemoryPolicies()
    service = _service(store)
    tenant = uuid.uuid4()
    asyncio.run(service.change(tenant, "admin", lambda b: b.with_list("l", {"description": "d"})))
    updated, _ = asyncio.run(
        service.change(tenant, "admin", lambda b: b.with_list("l", {"description": "d"}))
    )
    assert updated is None
    assert len(store.versions) == 1
