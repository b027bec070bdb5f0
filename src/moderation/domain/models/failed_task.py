from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class FailedTask(BaseModel):
    """A dead letter: a task that failed on every allowed attempt, kept for an operator to
    inspect and replay (`moderation jobs failed`, `moderation jobs retry ID`)."""

    model_config = ConfigDict(from_attributes=True)

    id: UUID
    task_name: str
    args: list[Any]
    error: str
    attempts: int
    failed_at: datetime
    replayed_at: datetime | None = None
