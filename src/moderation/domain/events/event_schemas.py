"""The JSON Schemas (2020-12) of published events, shipped as package data.

One file per event type and version, `schemas/<EventType>.v<version>.json`. A version changes
only when a change would break a consumer (a field removed, renamed or retyped); adding an
optional payload field keeps the version.
"""

import json
from functools import cache
from importlib import resources
from typing import Any

from moderation.domain.models.webhook_event_type import WebhookEventType

# The catalogue is the domain's `WebhookEventType`: a schema per type it names.
EVENT_TYPES: tuple[str, ...] = tuple(str(event_type) for event_type in WebhookEventType)


def schema_file_name(event_type: str, version: int = 1) -> str:
    """The schema's file name, e.g. `ContentCreated.v1.json`."""
    return f"{event_type}.v{version}.json"


@cache
def _load(name: str) -> str:
    return resources.files(__package__).joinpath("schemas", name).read_text(encoding="utf-8")


def event_schema(event_type: str, version: int = 1) -> dict[str, Any]:
    """The parsed JSON Schema of one event type and version (a fresh copy each call)."""
    if event_type not in EVENT_TYPES:
        raise KeyError(f"unknown event type {event_type!r}")
    try:
        text = _load(schema_file_name(event_type, version))
    except FileNotFoundError:
        raise KeyError(f"no schema for {event_type} version {version}") from None
    schema: dict[str, Any] = json.loads(text)
    return schema
