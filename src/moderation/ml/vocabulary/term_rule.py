from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from moderation.ml.vocabulary.category import Category

RuleKind = Literal["word", "phrase", "regex"]
RuleAction = Literal["flag", "reject", "allow"]


class TermRule(BaseModel):
    """A block- or allow-list entry matched on normalised text ("f4ck", "ｆｕｃｋ" hit "fuck").

    `allow` rules suppress model and rule hits on the span they cover (the Scunthorpe problem).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    pattern: str = Field(min_length=1, max_length=1000)
    kind: RuleKind = "word"
    category: Category
    action: RuleAction = "flag"
    reason: str | None = None
