from enum import StrEnum


class WebhookEventType(StrEnum):
    """The domain events a webhook endpoint can subscribe to (the outbox's `event_type`)."""

    CONTENT_CREATED = "ContentCreated"
    CONTENT_MODERATED = "ContentModerated"
    CONTENT_DECIDED = "ContentDecided"
    POLICY_CHANGED = "PolicyChanged"
