from enum import StrEnum

from moderation.ml.vocabulary.decision import Decision


class ModerationStatus(StrEnum):
    """Where an item stands: waiting for the engine, or decided."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    FLAGGED = "flagged"

    @classmethod
    def of(cls, decision: Decision) -> "ModerationStatus":
        """The status an engine decision puts an item in."""
        return STATUS_FOR_DECISION[decision]


STATUS_FOR_DECISION = {
    Decision.APPROVE: ModerationStatus.APPROVED,
    Decision.FLAG: ModerationStatus.FLAGGED,
    Decision.REJECT: ModerationStatus.REJECTED,
}
