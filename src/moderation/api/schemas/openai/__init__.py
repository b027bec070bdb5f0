"""Request models of the OpenAI-compatible moderation route."""

from moderation.api.schemas.openai.openai_moderation_request import OpenAIModerationRequest
from moderation.api.schemas.openai.text_input_part import TextInputPart

__all__ = ["OpenAIModerationRequest", "TextInputPart"]
