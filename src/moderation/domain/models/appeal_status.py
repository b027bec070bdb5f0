from enum import StrEnum


class AppealStatus(StrEnum):
    """Where an appeal stands: waiting, or decided by a reviewer other than the one whose
    decision it contests (`upheld`: the decision stands; `overturned`: it was re-decided)."""

    OPEN = "open"
    UPHELD = "upheld"
    OVERTURNED = "overturned"
