from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.job_response import JOB_EXAMPLE, JobResponse


class JobPageResponse(BaseModel):
    """A page of the tenant's jobs, newest first."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"items": [JOB_EXAMPLE], "total": 1, "page": 1, "size": 20}]
        }
    )

    items: list[JobResponse]
    total: int
    page: int
    size: int
