"""Policy versions stored before today's rule checks still load: the refused rules are left out
instead of every request of that tenant failing."""

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from moderation.domain.policy import ModerationPolicy
from moderation.infrastructure.database.tables import PolicyRow
from moderation.infrastructure.repositories.sql_policy_repository import _to_domain


def _row(term_rules: list[dict[str, object]]) -> PolicyRow:
    return PolicyRow(
        tenant_id=uuid.uuid4(),
        version=3,
        document={"term_rules": term_rules},
        created_at=datetime.now(UTC),
        created_by="system",
    )


def test_a_stored_lookaround_rule_is_dropped_and_the_others_kept() -> None:
    rules: list[dict[str, object]] = [
        {"id": "ok", "pattern": "scam", "kind": "word", "category": "spam", "action": "flag"},
        {"id": "old", "pattern": "foo(?=bar)", "kind": "regex", "category": "spam"},
    ]
    with pytest.raises(ValidationError):
        ModerationPolicy.model_validate({"term_rules": rules})

    policy = _to_domain(_row(rules)).policy

    assert [rule.id for rule in policy.term_rules] == ["ok"]


def test_a_stored_policy_over_the_rule_cap_keeps_the_first_rules() -> None:
    rules: list[dict[str, object]] = [
        {"id": f"r{i}", "pattern": f"term{i}", "kind": "word", "category": "spam"}
        for i in range(1500)
    ]

    policy = _to_domain(_row(rules)).policy

    assert 0 < len(policy.term_rules) <= 1000
