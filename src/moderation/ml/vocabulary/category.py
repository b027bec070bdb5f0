from enum import StrEnum


class Category(StrEnum):
    """Harm categories the engine scores, each as a calibrated probability in [0, 1]."""

    TOXICITY = "toxicity"
    INSULT = "insult"
    PROFANITY = "profanity"
    THREAT = "threat"
    HATE_SPEECH = "hate_speech"
    SEXUAL = "sexual"
    SPAM = "spam"
