"""A reviewer's verdict as labels: what `moderation export-decisions` writes."""

import pytest

from moderation.ml.data import ReviewerLabels
from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.moderation_reason import ModerationReason


def test_an_approval_is_negative_in_every_category() -> None:
    assert ReviewerLabels.approved() == dict.fromkeys(Category, 0)


@pytest.mark.parametrize(
    ("reasons", "positive"),
    [
        ([ModerationReason.SPAM], {Category.SPAM}),
        ([ModerationReason.HATE_SPEECH], {Category.HATE_SPEECH, Category.TOXICITY}),
        ([ModerationReason.VIOLENCE], {Category.THREAT, Category.TOXICITY}),
        ([ModerationReason.ADULT_CONTENT], {Category.SEXUAL}),
        ([ModerationReason.HARASSMENT], {Category.TOXICITY}),
        ([ModerationReason.PROFANITY], {Category.PROFANITY}),
        (
            [ModerationReason.SPAM, ModerationReason.HARASSMENT, ModerationReason.SPAM],
            {Category.SPAM, Category.TOXICITY},
        ),
        ([ModerationReason.MISINFORMATION, ModerationReason.RULES_INCOMPLETE], set()),
        ([], set()),
    ],
)
def test_a_rejection_is_positive_only_where_its_reasons_decide(
    reasons: list[ModerationReason], positive: set[Category]
) -> None:
    # Every other category is unknown (absent), never a negative.
    assert ReviewerLabels.harmful(reasons) == dict.fromkeys(positive, 1)


def test_each_category_is_decided_by_the_reason_the_engine_reports_it_under() -> None:
    # Insult is the one left out: harassment also covers abuse that is not an insult.
    decided = {
        category
        for reason, categories in ReviewerLabels.REASON_CATEGORIES.items()
        for category in categories
        if ModerationReason.for_category(category) == reason
    }
    assert decided == set(Category) - {Category.INSULT}
