"""The trace context a content item, an event and a delivery carry is the service's own: no
dump of them (what the API, the broker and webhooks send) contains it."""

import uuid
from datetime import UTC, datetime

from pydantic import BaseModel

from moderation.domain.events import EventEnvelope
from moderation.domain.models import (
    ContentItem,
    ContentType,
    DomainEvent,
    WebhookDelivery,
    WebhookDeliveryStatus,
)

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
NOW = datetime.now(UTC)


def _assert_internal(model: BaseModel) -> None:
    assert getattr(model, "trace_parent") == TRACEPARENT  # noqa: B009 - any of the three
    for dumped in (model.model_dump_json(), str(model.model_dump()), repr(model)):
        assert TRACEPARENT not in dumped
        assert "trace_parent" not in dumped


def test_a_content_item_keeps_it_out_of_its_dumps() -> None:
    item = ContentItem(
        id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        author_id="a",
        title="t",
        body="b",
        content_type=ContentType.TEXT,
        created_at=NOW,
        trace_parent=TRACEPARENT,
    )
    _assert_internal(item)
    # A decision copies the item, context included: the worker continues it.
    assert item.model_copy(update={"moderated_by": "engine"}).trace_parent == TRACEPARENT


def test_an_event_keeps_it_out_of_its_dumps_and_its_envelope() -> None:
    event = DomainEvent(
        event_id=uuid.uuid4(),
        event_type="ContentModerated",
        tenant_id=uuid.uuid4(),
        aggregate_id=uuid.uuid4(),
        occurred_at=NOW,
        payload={"status": "approved"},
        trace_parent=TRACEPARENT,
    )
    _assert_internal(event)
    assert TRACEPARENT.encode() not in EventEnvelope.from_event(event).to_json()


def test_a_delivery_keeps_it_out_of_its_dumps() -> None:
    delivery = WebhookDelivery(
        id=uuid.uuid4(),
        endpoint_id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        event_id=uuid.uuid4(),
        event_type="ContentModerated",
        payload={},
        status=WebhookDeliveryStatus.PENDING,
        created_at=NOW,
        trace_parent=TRACEPARENT,
    )
    _assert_internal(delivery)
