"""Short names for the categories, shared by the label rules and the template tables."""

from moderation.ml.vocabulary.category import Category

TOX, INS, PRO, THR, HATE, SEX, SPAM = (
    Category.TOXICITY,
    Category.INSULT,
    Category.PROFANITY,
    Category.THREAT,
    Category.HATE_SPEECH,
    Category.SEXUAL,
    Category.SPAM,
)
