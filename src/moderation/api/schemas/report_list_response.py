from uuid import UUID

from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.report_response import REPORT_EXAMPLE, ReportResponse


class ReportListResponse(BaseModel):
    """Every report on an item, newest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"content_id": REPORT_EXAMPLE["content_id"], "reports": [REPORT_EXAMPLE]}]
        }
    )

    content_id: UUID
    reports: list[ReportResponse]
