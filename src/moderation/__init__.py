"""Monocto Moderation: self-hostable content moderation."""

__version__ = "0.1.0"
