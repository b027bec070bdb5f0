from pydantic import BaseModel, ConfigDict

from moderation.api.schemas.moderated_text import ModeratedText


class ModerateTextsResponse(BaseModel):
    """Results in request order, with the model and policy version that produced them."""

    model_config = ConfigDict(
        protected_namespaces=(),
        json_schema_extra={
            "examples": [
                {
                    "model_version": "1.1.0+a061f4f5f0a6",
                    "policy_version": 0,
                    "processing_time_ms": 2,
                    "results": ModeratedText.model_config["json_schema_extra"]["examples"],  # type: ignore[index]
                }
            ]
        },
    )

    model_version: str
    policy_version: int
    processing_time_ms: int
    results: list[ModeratedText]
