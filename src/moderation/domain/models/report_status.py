from enum import StrEnum


class ReportStatus(StrEnum):
    """Where a report stands: waiting for a reviewer, or closed by their decision on the item
    (`actioned`: the item was rejected; `dismissed`: it was approved)."""

    OPEN = "open"
    ACTIONED = "actioned"
    DISMISSED = "dismissed"
