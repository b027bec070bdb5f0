from typing import Any

from pydantic import ConfigDict

from moderation.domain.models import TransparencyReport

_EXAMPLE: dict[str, Any] = {
    "start": "2026-03-01T00:00:00Z",
    "end": "2026-04-01T00:00:00Z",
    "decisions": 6,
    "decisions_by_source": {"engine": 3, "human": 3},
    "decisions_by_status": {"approved": 2, "rejected": 3, "flagged": 1},
    "decisions_by_reason": {"none": 2, "harassment": 2, "spam": 2, "hate_speech": 1},
    "automated_share": 0.5,
    "median_seconds_to_first_decision": 4.0,
    "reports_received": 3,
    "reports_actioned": 1,
    "reports_dismissed": 1,
    "median_seconds_report_to_decision": 82800.0,
    "appeals_received": 2,
    "appeals_upheld": 1,
    "appeals_overturned": 0,
    "median_seconds_to_appeal_decision": 86400.0,
    "engine_decisions_reviewed": 2,
    "engine_decisions_overturned": 1,
    "engine_overturn_rate": 0.333,
}


class TransparencyResponse(TransparencyReport):
    """The DSA Art. 15 figures of the caller's tenant over [start, end) (see docs/api.md for
    how each is counted)."""

    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [_EXAMPLE]})
