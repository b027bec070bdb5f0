"""Decisions recorded on the entity: the engine's and a reviewer's, their audit entries, and
the page type listings return."""

import uuid
from datetime import UTC, datetime, timedelta

from moderation.domain.models import (
    ENGINE_ACTOR,
    AuditEntry,
    Category,
    ContentItem,
    ContentType,
    Decision,
    ModerationReason,
    ModerationResult,
    ModerationStatus,
    Page,
    Span,
)

CREATED = datetime(2026, 12, 1, tzinfo=UTC)
DECIDED = CREATED + timedelta(minutes=3)


def _item(**changes: object) -> ContentItem:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "tenant_id": uuid.uuid4(),
        "author_id": "u1",
        "title": "t",
        "body": "you idiot",
        "content_type": ContentType.TEXT,
        "created_at": CREATED,
    }
    fields.update(changes)
    return ContentItem.model_validate(fields)


def _result(**changes: object) -> ModerationResult:
    fields: dict[str, object] = {
        "scores": {Category.INSULT: 0.91, Category.TOXICITY: 0.8},
        "score": 0.91,
        "confidence": 0.88,
        "decision": Decision.REJECT,
        "reasons": [ModerationReason.HARASSMENT],
        "spans": [Span(start=13, end=18, category=Category.INSULT)],
        "language": "en",
        "language_confidence": 0.97,
        "tier": "fast",
        "model_version": "m-1",
    }
    fields.update(changes)
    return ModerationResult.model_validate(fields)


def test_the_engine_decision_sets_status_scores_actor_and_a_sure_language() -> None:
    item = _item()
    decided = item.decided_by_engine(_result(), DECIDED)

    assert decided.moderation_status == ModerationStatus.REJECTED
    assert (decided.moderation_score, decided.moderation_confidence) == (0.91, 0.88)
    assert decided.moderation_reasons == [ModerationReason.HARASSMENT]
    assert decided.moderated_by == ENGINE_ACTOR
    assert decided.moderated_at == decided.updated_at == DECIDED
    assert decided.language == "en"
    assert item.moderation_status == ModerationStatus.PENDING, "the original is unchanged"
    assert not decided.decided_by_human


def test_an_unsure_or_undetermined_language_is_not_stored_and_the_clients_is_kept() -> None:
    assert _item().decided_by_engine(_result(language_confidence=0.6), DECIDED).language is None
    assert _item().decided_by_engine(_result(language="und"), DECIDED).language is None
    assert _item(language="de").decided_by_engine(_result(), DECIDED).language == "de"


def test_each_engine_decision_maps_to_its_status() -> None:
    expected = {
        Decision.APPROVE: ModerationStatus.APPROVED,
        Decision.FLAG: ModerationStatus.FLAGGED,
        Decision.REJECT: ModerationStatus.REJECTED,
    }
    for decision, status in expected.items():
        assert ModerationStatus.of(decision) == status
        decided = _item().decided_by_engine(_result(decision=decision), DECIDED)
        assert decided.moderation_status == status


def test_a_reviewer_decision_is_certain_deduplicates_reasons_and_keeps_the_engine_score() -> None:
    engine = _item().decided_by_engine(_result(), DECIDED)
    later = DECIDED + timedelta(hours=1)
    reasons = [ModerationReason.SPAM, ModerationReason.SPAM, ModerationReason.HARASSMENT]

    decided = engine.decided_by_reviewer("user:ana", ModerationStatus.APPROVED, reasons, later)

    assert decided.moderation_status == ModerationStatus.APPROVED
    assert decided.moderation_reasons == [ModerationReason.SPAM, ModerationReason.HARASSMENT]
    assert decided.moderation_confidence == 1.0
    assert decided.moderation_score == 0.91
    assert (decided.moderated_by, decided.moderated_at) == ("user:ana", later)
    assert decided.decided_by_human


def test_a_pending_item_or_one_only_the_engine_decided_is_not_a_human_decision() -> None:
    assert not _item().decided_by_human
    reopened = _item(moderated_by="user:ana", moderation_status=ModerationStatus.PENDING)
    assert not reopened.decided_by_human


def test_audit_entries_of_both_decisions_carry_what_a_reviewer_needs() -> None:
    result = _result()
    decided = _item().decided_by_engine(result, DECIDED)
    entry = AuditEntry.of_engine_decision(
        decided, result, actor=ENGINE_ACTOR, policy_version=4, processing_time_ms=12
    )
    assert entry.source == "engine"
    assert (entry.tenant_id, entry.content_id) == (decided.tenant_id, decided.id)
    assert entry.status == ModerationStatus.REJECTED
    assert entry.scores == {"insult": 0.91, "toxicity": 0.8}
    assert entry.spans == [{"start": 13, "end": 18, "category": "insult", "source": "model"}]
    assert (entry.model_version, entry.policy_version, entry.processing_time_ms) == ("m-1", 4, 12)
    assert entry.created_at == DECIDED

    reviewed = decided.decided_by_reviewer(
        "key:1", ModerationStatus.FLAGGED, [], DECIDED + timedelta(seconds=5)
    )
    human = AuditEntry.of_reviewer_decision(reviewed, "looks borderline")
    assert (human.source, human.actor, human.notes) == ("human", "key:1", "looks borderline")
    assert (human.status, human.confidence, human.score) == (ModerationStatus.FLAGGED, 1.0, 0.91)
    assert human.created_at == DECIDED + timedelta(seconds=5)
    assert human.id != entry.id


def test_a_page_counts_its_pages() -> None:
    assert Page[int](items=[1, 2], total=41, page=1, size=20).pages == 3
    assert Page[int](items=[], total=0, page=1, size=20).pages == 0
    assert Page[int](items=[], total=5, page=1, size=0).pages == 0
