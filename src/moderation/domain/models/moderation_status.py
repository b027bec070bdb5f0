from enum import StrEnum


class ModerationStatus(StrEnum):
    """Where an item stands: waiting for the engine, or decided."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    FLAGGED = "flagged"
