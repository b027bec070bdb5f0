"""Wire conventions shared by the Perspective DTOs."""

from typing import Annotated

from pydantic import ConfigDict, StringConstraints
from pydantic.alias_generators import to_camel

# Perspective clients send and expect camelCase; Python code keeps snake_case. Serializing by
# alias by default keeps `model_dump()` and FastAPI responses byte-compatible with Perspective.
WIRE_CONFIG = ConfigDict(
    alias_generator=to_camel,
    validate_by_name=True,
    validate_by_alias=True,
    serialize_by_alias=True,
)

# A language tag ("en", "pt-BR", "zh_Hant"); only its shape is checked, since any language is
# scored (an underscore is let through: clients built on locale names send "en_US").
LanguageCode = Annotated[
    str,
    StringConstraints(
        min_length=2, max_length=35, pattern=r"^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$"
    ),
]
