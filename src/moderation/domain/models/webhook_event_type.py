from enum import StrEnum


class WebhookEventType(StrEnum):
    """The catalogue of domain events: the outbox's `event_type`, what a webhook endpoint can
    subscribe to, and one published JSON Schema each."""

    CONTENT_CREATED = "ContentCreated"
    CONTENT_MODERATED = "ContentModerated"
    CONTENT_DECIDED = "ContentDecided"
    POLICY_CHANGED = "PolicyChanged"
    REPORT_RECEIVED = "ReportReceived"
    CONTENT_CLAIMED = "ContentClaimed"
    CLAIM_RELEASED = "ClaimReleased"
    APPEAL_RECEIVED = "AppealReceived"
    APPEAL_DECIDED = "AppealDecided"
    AUTHOR_ACTION_RECOMMENDED = "AuthorActionRecommended"
