from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from moderation.ml.vocabulary.moderation_reason import ModerationReason


class StrikeRule(BaseModel):
    """ "`count` rejections for `reason` within `window_days` → recommend `action`".

    Every rejected item gives its author one strike per reason; the rule fires when an author's
    active strikes for its reason reach `count` within the window (once per crossing: a further
    strike does not repeat it, an overturned decision removes its strike)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")
    reason: ModerationReason
    count: int = Field(ge=1, le=1000)
    window_days: int = Field(ge=1, le=3650)
    action: Literal["warn", "mute", "suspend"]
