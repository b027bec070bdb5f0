from pydantic import ConfigDict

from moderation.domain.models import ModerationResult


class ModeratedText(ModerationResult):
    """The engine's result for one text: the same record `moderation score` prints."""

    model_config = ConfigDict(
        frozen=True,
        protected_namespaces=(),
        json_schema_extra={
            "examples": [
                {
                    "id": "c-2",
                    "scores": {
                        "toxicity": 0.93,
                        "insult": 0.9,
                        "profanity": 0.05,
                        "threat": 0.01,
                        "hate_speech": 0.02,
                        "sexual": 0.01,
                        "spam": 0.0,
                    },
                    "score": 0.93,
                    "confidence": 0.9,
                    "decision": "reject",
                    "reasons": ["harassment"],
                    "spans": [{"start": 11, "end": 16, "category": "insult", "source": "model"}],
                    "language": "en",
                    "language_confidence": 0.98,
                    "sentiment": -0.51,
                    "tier": "fast",
                    "model_version": "1.1.0+a061f4f5f0a6",
                }
            ]
        },
    )

    id: str
