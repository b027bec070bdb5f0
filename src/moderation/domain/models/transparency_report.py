from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class TransparencyReport(BaseModel):
    """The DSA Art. 15 figures of one tenant over [start, end): what was decided, by whom,
    how fast, and how often reviewers overturned the engine."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime
    decisions: int = Field(description="Decisions recorded in the period, engine and human.")
    decisions_by_source: dict[str, int] = Field(description="engine / human.")
    decisions_by_status: dict[str, int]
    decisions_by_reason: dict[str, int] = Field(
        description="A decision counts once per reason; one without reasons under 'none'."
    )
    automated_share: float | None = Field(description="Engine decisions / all decisions.")
    median_seconds_to_first_decision: float | None = Field(
        description="From storing an item to its first decision, over items first decided in "
        "the period."
    )
    reports_received: int
    reports_actioned: int = Field(description="Reports closed in the period by a rejection.")
    reports_dismissed: int = Field(description="Reports closed in the period by an approval.")
    median_seconds_report_to_decision: float | None
    appeals_received: int
    appeals_upheld: int
    appeals_overturned: int
    median_seconds_to_appeal_decision: float | None
    engine_decisions_reviewed: int = Field(
        description="Engine decisions of the period that a reviewer later decided again."
    )
    engine_decisions_overturned: int = Field(
        description="Of those, the ones the reviewer decided differently."
    )
    engine_overturn_rate: float | None = Field(
        description="Overturned engine decisions / engine decisions: the accuracy figure."
    )
