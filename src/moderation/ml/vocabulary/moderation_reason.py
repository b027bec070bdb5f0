from enum import StrEnum

from moderation.ml.vocabulary.category import Category


class ModerationReason(StrEnum):
    """Why content was flagged or rejected (the seed's reasons plus harassment and profanity)."""

    SPAM = "spam"
    HATE_SPEECH = "hate_speech"
    VIOLENCE = "violence"
    ADULT_CONTENT = "adult_content"
    MISINFORMATION = "misinformation"
    HARASSMENT = "harassment"
    PROFANITY = "profanity"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    # The policy's own rules ran out of time on this text, so a person should look.
    RULES_INCOMPLETE = "rules_incomplete"

    @classmethod
    def for_category(cls, category: Category) -> "ModerationReason":
        """The reason a score in `category` is reported under."""
        return _CATEGORY_REASON[category]


_CATEGORY_REASON: dict[Category, ModerationReason] = {
    Category.TOXICITY: ModerationReason.HARASSMENT,
    Category.INSULT: ModerationReason.HARASSMENT,
    Category.PROFANITY: ModerationReason.PROFANITY,
    Category.THREAT: ModerationReason.VIOLENCE,
    Category.HATE_SPEECH: ModerationReason.HATE_SPEECH,
    Category.SEXUAL: ModerationReason.ADULT_CONTENT,
    Category.SPAM: ModerationReason.SPAM,
}
