from enum import StrEnum


class ContentType(StrEnum):
    """What kind of content an item is (the engine reads the text of every kind)."""

    TEXT = "text"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
