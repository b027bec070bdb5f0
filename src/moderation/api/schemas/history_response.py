from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.audit_entry_response import AUDIT_EXAMPLE, AuditEntryResponse


class HistoryResponse(BaseModel):
    """Every decision on an item, oldest first (the audit log is append-only)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"content_id": "0b6f2d4e-4c1a-4c36-9a55-8c1f5a0e2f11", "entries": [AUDIT_EXAMPLE]}
            ]
        }
    )

    content_id: UUID
    entries: list[AuditEntryResponse]
