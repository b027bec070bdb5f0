"""Perspective-API compatibility: maps engine results to Perspective's response shape."""

from moderation.api.perspective.perspective_mapper import PerspectiveMapper

__all__ = ["PerspectiveMapper"]
