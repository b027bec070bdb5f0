from enum import StrEnum


class QueueAssignment(StrEnum):
    """Whose items of the review queue: claimed by the caller, claimed by nobody (or by a
    lapsed claim), or any."""

    ANY = "any"
    ME = "me"
    UNASSIGNED = "unassigned"
