import math
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of a listing (content, an endpoint's deliveries, …): its items, how many match
    in all, and which page of which size this is (pages count from 1)."""

    model_config = ConfigDict(frozen=True)

    items: list[ItemT]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        return math.ceil(self.total / self.size) if self.size else 0
