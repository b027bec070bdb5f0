from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AutomatedDecision = Literal[
    "AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY", "AUTOMATED_DECISION_NOT_AUTOMATED"
]
SourceType = Literal["SOURCE_ARTICLE_16", "SOURCE_VOLUNTARY"]


class StatementOfReasons(BaseModel):
    """One statement of reasons (DSA Art. 17) with the field names and values of the EU DSA
    Transparency Database API's `POST /api/v1/statement`, for a decision that removed an item
    on the platform's terms (incompatible content; this service makes no legal finding)."""

    model_config = ConfigDict(frozen=True)

    decision_visibility: list[Literal["DECISION_VISIBILITY_CONTENT_REMOVED"]] = Field(
        default=["DECISION_VISIBILITY_CONTENT_REMOVED"]
    )
    decision_ground: Literal["DECISION_GROUND_INCOMPATIBLE_CONTENT"] = (
        "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    )
    incompatible_content_ground: str = Field(max_length=500)
    incompatible_content_explanation: str = Field(max_length=2000)
    category: str = Field(pattern=r"^STATEMENT_CATEGORY_[A-Z_]+$")
    content_type: list[Literal["CONTENT_TYPE_TEXT"]] = Field(default=["CONTENT_TYPE_TEXT"])
    content_language: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    content_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    application_date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    decision_facts: str = Field(max_length=5000)
    source_type: SourceType
    automated_detection: Literal["Yes", "No"]
    automated_decision: AutomatedDecision
    puid: str = Field(max_length=500, description="The item's id, unique on the platform.")
