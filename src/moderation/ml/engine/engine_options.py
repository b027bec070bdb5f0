from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SemanticMode = Literal["auto", "always", "never"]
SentimentMode = Literal["always", "flagged", "never"]


class EngineOptions(BaseModel):
    """Run-time knobs of the engine (the model bundle fixes everything else)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    semantic: SemanticMode = Field(
        default="auto",
        description="auto: semantic tier only for texts the fast tier is unsure about.",
    )
    max_text_chars: int = Field(
        default=100_000,
        ge=1,
        description=(
            "Longer texts are scored on their first max_text_chars characters, and the result "
            "says so (truncated). The API's own limit per text is the same, so via the API no "
            "text is cut."
        ),
    )
    part_chars: int | None = Field(
        default=160,
        ge=20,
        description=(
            "Texts longer than this are also scored in parts of whole sentences of about this "
            "length, and each category takes the worst of the whole and its parts, so benign "
            "padding cannot dilute abuse. None: score the whole text only."
        ),
    )
    semantic_batch_size: int = Field(default=32, ge=1)
    sentiment: SentimentMode = Field(
        default="flagged",
        description=(
            "flagged: sentiment only for texts a reviewer will see (it costs as much as the "
            "fast tier itself); always: for every text."
        ),
    )
    rule_deadline_ms: float | None = Field(
        default=100.0,
        gt=0.0,
        le=60_000.0,
        description=(
            "Time a policy's own term rules may take on one text; past it the remaining rules "
            "are skipped and the result is flagged with reason rules_incomplete. None: no limit."
        ),
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Processes for large batches (batch mode); 1 scores in-process.",
    )
