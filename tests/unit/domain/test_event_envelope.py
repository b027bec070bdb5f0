"""The published event format: one JSON Schema file per event, and the envelope that matches it."""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from tests.unit.domain.event_schema_assertions import assert_valid_event

from moderation.domain.events import EVENT_TYPES, EventEnvelope, event_schema, schema_file_name
from moderation.domain.models import DomainEvent

# Payloads as the services write them (content_service, auto_moderation_service,
# policy_service, review_service); the API tests check the real ones that reach the broker.
_PAYLOADS: dict[str, dict[str, Any]] = {
    "ContentCreated": {
        "content_id": "",
        "author_id": "author-1",
        "content_type": "text",
        "tags": ["news"],
    },
    "ContentModerated": {
        "content_id": "",
        "status": "flagged",
        "score": 0.42,
        "reasons": ["harassment"],
        "model_version": "tiny-1",
        "policy_version": 0,
    },
    "ContentDecided": {
        "content_id": "",
        "status": "rejected",
        "reasons": ["spam"],
        "actor": "key:0b7c",
        "previous_status": "flagged",
    },
    "PolicyChanged": {"version": 3, "actor": "user:alice"},
    "ReportReceived": {
        "report_id": str(uuid.uuid4()),
        "content_id": "",
        "reporter_id": "user-5521",
        "reason": "harassment",
        "dsa_category": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
        "content_status": "approved",
        "open_reports": 1,
    },
    "ContentClaimed": {
        "content_id": "",
        "claimed_by": "key:0b7c",
        "claimed_until": "2026-05-01T12:40:15.250000+00:00",
    },
    "ClaimReleased": {"content_id": "", "released_by": "user:lead", "holder": "key:0b7c"},
    "AuthorActionRecommended": {
        "author_id": "user-77",
        "action": "suspend",
        "rule_id": "harassment-3-in-30",
        "reason": "harassment",
        "strikes": 3,
        "window_days": 30,
        "evidence": [str(uuid.uuid4()) for _ in range(3)],
        "policy_version": 2,
    },
    "AppealReceived": {
        "appeal_id": str(uuid.uuid4()),
        "content_id": "",
        "author_id": "user-77",
        "appealed_actor": "key:0b7c",
    },
    "AppealDecided": {
        "appeal_id": str(uuid.uuid4()),
        "content_id": "",
        "outcome": "overturned",
        "decided_by": "user:lead",
        "appealed_actor": "key:0b7c",
        "content_status": "approved",
    },
}


def _event(event_type: str, **payload_overrides: Any) -> DomainEvent:
    aggregate_id = uuid.uuid4()
    payload = dict(_PAYLOADS[event_type])
    if "content_id" in payload:
        payload["content_id"] = str(aggregate_id)
    payload.update(payload_overrides)
    return DomainEvent(
        event_id=uuid.uuid4(),
        event_type=event_type,
        tenant_id=uuid.uuid4(),
        aggregate_id=aggregate_id,
        occurred_at=datetime(2026, 5, 1, 12, 30, 15, 250_000, tzinfo=UTC),
        payload=payload,
    )


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_each_event_type_has_a_2020_12_schema_with_the_common_envelope(event_type: str) -> None:
    schema = event_schema(event_type)

    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/" + schema_file_name(event_type, 1))
    assert schema["required"] == list(EventEnvelope.model_fields)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["event_type"] == {"const": event_type}


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_schemas_are_valid_against_the_2020_12_meta_schema(event_type: str) -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")

    assert jsonschema_rs.meta.is_valid(event_schema(event_type))


@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_the_envelope_of_each_event_matches_its_schema(event_type: str) -> None:
    document = json.loads(EventEnvelope.from_event(_event(event_type)).to_json())

    assert_valid_event(document)


def test_the_wire_json_has_the_documented_field_order_and_utc_times() -> None:
    event = _event("PolicyChanged")

    document = json.loads(EventEnvelope.from_event(event).to_json())

    assert list(document) == [
        "event_id",
        "event_type",
        "version",
        "tenant_id",
        "aggregate_id",
        "occurred_at",
        "payload",
    ]
    assert document["occurred_at"] == "2026-05-01T12:30:15.250000Z"
    assert document["event_id"] == str(event.event_id)


@pytest.mark.parametrize(
    ("event_type", "bad_payload"),
    [
        ("ContentCreated", {"content_type": "pdf"}),
        ("ContentModerated", {"score": "high"}),
        ("ContentDecided", {"status": "maybe"}),
        ("PolicyChanged", {"version": 0}),
    ],
)
def test_a_payload_that_breaks_the_schema_is_refused(
    event_type: str, bad_payload: dict[str, Any]
) -> None:
    document = json.loads(EventEnvelope.from_event(_event(event_type, **bad_payload)).to_json())

    with pytest.raises(AssertionError):
        assert_valid_event(document)


def test_a_missing_payload_field_is_refused_by_the_full_validator() -> None:
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    document = json.loads(EventEnvelope.from_event(_event("ContentDecided")).to_json())
    del document["payload"]["actor"]

    validator = jsonschema_rs.validator_for(event_schema("ContentDecided"))

    assert not validator.is_valid(document)


def test_an_unknown_event_type_or_version_has_no_schema() -> None:
    with pytest.raises(KeyError):
        event_schema("ContentDeleted")
    with pytest.raises(KeyError):
        event_schema("ContentCreated", version=2)


def test_the_envelope_refuses_naive_times() -> None:
    event = _event("PolicyChanged").model_copy(update={"occurred_at": datetime(2026, 1, 1)})

    with pytest.raises(ValueError, match="timezone"):
        EventEnvelope.from_event(event)
