"""Checks an event document against its published JSON Schema.

With `jsonschema_rs` importable (it comes with schemathesis) the full 2020-12 validation runs;
a structural check that needs nothing but the schema file always runs as well.
"""

import importlib
import json
from typing import Any
from uuid import UUID

from moderation.domain.events import EventEnvelope, event_schema

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "array": (list,),
    "object": (dict,),
    "boolean": (bool,),
}


def assert_valid_event(document: dict[str, Any]) -> None:
    """Fail unless `document` (a parsed message body) matches its event type's schema."""
    schema = event_schema(str(document["event_type"]), int(document["version"]))
    _full_validation(schema, document)
    # The envelope round-trips through the model that produced it.
    envelope = EventEnvelope.model_validate(document)
    assert json.loads(envelope.to_json()) == document
    assert set(document) == set(schema["required"]) == set(schema["properties"])
    assert document["event_type"] == schema["properties"]["event_type"]["const"]
    assert document["version"] == schema["properties"]["version"]["const"]
    for field in ("event_id", "tenant_id", "aggregate_id"):
        UUID(document[field])
    payload_schema = schema["properties"]["payload"]
    payload = document["payload"]
    assert set(payload_schema["required"]) <= set(payload), payload
    # Every field sent is documented: an undocumented addition fails here.
    assert set(payload) <= set(payload_schema["properties"]), payload
    for name, value in payload.items():
        _check_value(payload_schema["properties"][name], value, name)


def _check_value(schema: dict[str, Any], value: Any, where: str) -> None:
    if "type" in schema:
        allowed = _JSON_TYPES[schema["type"]]
        assert isinstance(value, allowed), f"{where}: {value!r} is not {schema['type']}"
        # JSON has no bool-is-an-int confusion; Python does.
        assert bool in allowed or not isinstance(value, bool), f"{where}: {value!r}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    if schema.get("format") == "uuid":
        UUID(value)
    if "minimum" in schema:
        assert value >= schema["minimum"], where
    if "maximum" in schema:
        assert value <= schema["maximum"], where
    if "items" in schema:
        for index, item in enumerate(value):
            _check_value(schema["items"], item, f"{where}[{index}]")


def _full_validation(schema: dict[str, Any], document: dict[str, Any]) -> None:
    try:
        jsonschema_rs = importlib.import_module("jsonschema_rs")
    except ImportError:  # pragma: no cover - present wherever the dev dependencies are
        return
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    errors = [error.message for error in validator.iter_errors(document)]
    assert not errors, errors
