from pydantic import BaseModel, ConfigDict, Field

from moderation.domain.models import StatementOfReasons


class StatementBatchResponse(BaseModel):
    """Up to 100 statements of reasons: `{"statements": [...]}` is the body the DSA
    Transparency Database's `POST /api/v1/statements` takes. Pass `next_cursor` as `after` for
    the next batch; null after the last."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "statements": [
                        {
                            "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
                            "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
                            "incompatible_content_ground": "Terms of service: content policy "
                            "(harassment)",
                            "incompatible_content_explanation": "The content breaches the "
                            "platform's content policy on harassment.",
                            "category": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
                            "content_type": ["CONTENT_TYPE_TEXT"],
                            "content_language": "EN",
                            "content_date": "2026-12-04",
                            "application_date": "2026-12-04",
                            "decision_facts": "Removed by a human reviewer after automated "
                            "screening on 2026-12-04 following user report; reasons: "
                            "harassment, risk score 0.12.",
                            "source_type": "SOURCE_ARTICLE_16",
                            "automated_detection": "Yes",
                            "automated_decision": "AUTOMATED_DECISION_PARTIALLY",
                            "puid": "f0b2c87d-4429-4dab-b4ad-002b0636052c",
                        }
                    ],
                    "next_cursor": None,
                }
            ]
        }
    )

    statements: list[StatementOfReasons]
    next_cursor: str | None = Field(description="The `after` of the next batch; null: no more.")
