from enum import StrEnum

from moderation.ml.vocabulary.moderation_reason import ModerationReason


class ReportReason(StrEnum):
    """Why a user reported an item (notice and action), each mapped onto one of our reasons
    and onto the EU DSA Transparency Database's statement category."""

    HARASSMENT = "harassment"
    HATE_SPEECH = "hate_speech"
    VIOLENCE = "violence"
    SEXUAL_CONTENT = "sexual_content"
    CHILD_SAFETY = "child_safety"
    SELF_HARM = "self_harm"
    SPAM = "spam"
    SCAM = "scam"
    MISINFORMATION = "misinformation"
    PRIVACY = "privacy"
    INTELLECTUAL_PROPERTY = "intellectual_property"
    ILLEGAL_GOODS = "illegal_goods"
    OTHER = "other"

    @property
    def moderation_reason(self) -> ModerationReason | None:
        """Our reason a reviewer who upholds the report would most likely record; None where
        no model or rule of ours covers it."""
        return _OURS.get(self)

    @property
    def dsa_category(self) -> str:
        """The DSA Transparency Database `category` of a decision taken on this report."""
        return _DSA[self]


_OURS: dict[ReportReason, ModerationReason] = {
    ReportReason.HARASSMENT: ModerationReason.HARASSMENT,
    ReportReason.HATE_SPEECH: ModerationReason.HATE_SPEECH,
    ReportReason.VIOLENCE: ModerationReason.VIOLENCE,
    ReportReason.SEXUAL_CONTENT: ModerationReason.ADULT_CONTENT,
    ReportReason.SPAM: ModerationReason.SPAM,
    ReportReason.SCAM: ModerationReason.SPAM,
    ReportReason.MISINFORMATION: ModerationReason.MISINFORMATION,
}

_DSA: dict[ReportReason, str] = {
    ReportReason.HARASSMENT: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    ReportReason.HATE_SPEECH: "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    ReportReason.VIOLENCE: "STATEMENT_CATEGORY_VIOLENCE",
    ReportReason.SEXUAL_CONTENT: "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
    ReportReason.CHILD_SAFETY: "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    ReportReason.SELF_HARM: "STATEMENT_CATEGORY_SELF_HARM",
    ReportReason.SPAM: "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
    ReportReason.SCAM: "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    ReportReason.MISINFORMATION: (
        "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"
    ),
    ReportReason.PRIVACY: "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    ReportReason.INTELLECTUAL_PROPERTY: "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    ReportReason.ILLEGAL_GOODS: "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS",
    ReportReason.OTHER: "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
}
