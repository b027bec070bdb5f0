from pydantic import BaseModel, ConfigDict

from moderation.domain.models.audit_entry import AuditEntry
from moderation.domain.models.content_item import ContentItem
from moderation.domain.models.report_reason import ReportReason


class RestrictionRecord(BaseModel):
    """A decision that restricted an item, with what a statement of reasons needs to know
    of the item's history before it: whether the engine had decided it, and the reason of the
    first user report filed before the decision (None: own initiative)."""

    model_config = ConfigDict(frozen=True)

    entry: AuditEntry
    item: ContentItem
    engine_decided_before: bool
    reported_for: ReportReason | None
