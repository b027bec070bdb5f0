from enum import StrEnum


class QueueKind(StrEnum):
    """Which items of the review queue: flagged by the engine or a reviewer, reported by users
    (open reports, whatever the item's status), or both."""

    ALL = "all"
    FLAGGED = "flagged"
    REPORTED = "reported"
