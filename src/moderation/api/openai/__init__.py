"""OpenAI-compatible moderation: category mapping and error envelope."""

from moderation.api.openai.openai_mapper import CATEGORIES, UNSUPPORTED, OpenAIModerationMapper

__all__ = ["CATEGORIES", "UNSUPPORTED", "OpenAIModerationMapper"]
