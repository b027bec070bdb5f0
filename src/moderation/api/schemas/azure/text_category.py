from enum import StrEnum


class TextCategory(StrEnum):
    """Azure's text harm categories, in the order Azure lists them."""

    HATE = "Hate"
    SELF_HARM = "SelfHarm"
    SEXUAL = "Sexual"
    VIOLENCE = "Violence"
