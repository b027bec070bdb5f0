from enum import StrEnum


class Decision(StrEnum):
    """What happens to a piece of content; ordered by severity."""

    APPROVE = "approve"
    FLAG = "flag"
    REJECT = "reject"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Decision.APPROVE: 0, Decision.FLAG: 1, Decision.REJECT: 2}
