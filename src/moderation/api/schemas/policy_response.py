from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from moderation.domain.policy import ModerationPolicy

POLICY_EXAMPLE: dict[str, Any] = {
    "categories": {
        "profanity": {"enabled": True, "flag_at": 0.5, "reject_at": 0.95, "max_action": "flag"},
        "spam": {"enabled": True, "flag_at": 0.4, "reject_at": 0.8, "max_action": "reject"},
    },
    "default_thresholds": {
        "enabled": True,
        "flag_at": 0.3,
        "reject_at": 0.7,
        "max_action": "reject",
    },
    "term_rules": [
        {
            "id": "brand-slur",
            "pattern": "crapple",
            "kind": "word",
            "category": "insult",
            "action": "flag",
        },
        {
            "id": "town",
            "pattern": "scunthorpe",
            "kind": "word",
            "category": "profanity",
            "action": "allow",
        },
    ],
    "use_builtin_lexicon": True,
    "flag_profanity": True,
    "flag_reclaimable_slurs": False,
    "supported_languages": ["en"],
    "unsupported_language_action": "flag",
    "min_language_confidence": 0.85,
}


class PolicyResponse(BaseModel):
    """The tenant's policy in force, with its version (0 = the built-in default)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 3,
                    "created_at": "2026-11-23T12:00:00Z",
                    "created_by": "key:1f0c…",
                    "policy": POLICY_EXAMPLE,
                }
            ]
        }
    )

    version: int
    created_at: datetime | None
    created_by: str | None
    policy: ModerationPolicy
