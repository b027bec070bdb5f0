from enum import StrEnum


class QueueKind(StrEnum):
    """Which items of the review queue: flagged by the engine or a reviewer, reported by users
    (open reports, whatever the item's status), appealed by their author, or all of them."""

    ALL = "all"
    FLAGGED = "flagged"
    REPORTED = "reported"
    APPEALED = "appealed"
