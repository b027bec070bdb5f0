import math

from pydantic import BaseModel, ConfigDict

from moderation.domain.models.content_item import ContentItem


class ContentPage(BaseModel):
    """One page of a filtered content listing."""

    model_config = ConfigDict(frozen=True)

    items: list[ContentItem]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.size) if self.size else 0
