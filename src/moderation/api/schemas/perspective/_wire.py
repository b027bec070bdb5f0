"""Wire conventions shared by the Perspective DTOs."""

from pydantic import ConfigDict
from pydantic.alias_generators import to_camel

# Perspective clients send and expect camelCase; Python code keeps snake_case. Serializing by
# alias by default keeps `model_dump()` and FastAPI responses byte-compatible with Perspective.
WIRE_CONFIG = ConfigDict(
    alias_generator=to_camel,
    validate_by_name=True,
    validate_by_alias=True,
    serialize_by_alias=True,
)
