"""What a reviewer's verdict on a text says about each category (`moderation export-decisions`)."""

from collections.abc import Iterable, Mapping

from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.moderation_reason import ModerationReason


class ReviewerLabels:
    """A human decision as 0/1 labels in our categories; a category left out is unknown, as
    in `LabelledText` (the evaluator skips it, a trainer masks it).

    An approval says the text is fine in every category. A rejection or a flag says it is
    harmful for its reasons, and each reason decides only the categories it stands for (the
    inverse of `ModerationReason.for_category`, with the taxonomy's rule that threats and hate
    speech are kinds of toxicity). Harassment is what the engine reports both toxicity and
    insult under, so it decides toxicity (every insult is toxic) but not whether the text is
    an insult. A reason no category stands for (misinformation, unsupported language, rules
    incomplete) decides nothing, and neither does a reason's silence about other categories:
    a reviewer who rejects spam has not said that it is not profane.
    """

    REASON_CATEGORIES: Mapping[ModerationReason, tuple[Category, ...]] = {
        ModerationReason.SPAM: (Category.SPAM,),
        ModerationReason.HATE_SPEECH: (Category.HATE_SPEECH, Category.TOXICITY),
        ModerationReason.VIOLENCE: (Category.THREAT, Category.TOXICITY),
        ModerationReason.ADULT_CONTENT: (Category.SEXUAL,),
        ModerationReason.HARASSMENT: (Category.TOXICITY,),
        ModerationReason.PROFANITY: (Category.PROFANITY,),
    }

    @staticmethod
    def approved() -> dict[Category, int]:
        """The labels of an approved text: negative in every category."""
        return dict.fromkeys(Category, 0)

    @classmethod
    def harmful(cls, reasons: Iterable[ModerationReason]) -> dict[Category, int]:
        """The labels of a text rejected or flagged for `reasons`: positive in the categories
        they stand for, unknown elsewhere (empty when none stands for a category)."""
        return {
            category: 1 for reason in reasons for category in cls.REASON_CATEGORIES.get(reason, ())
        }
