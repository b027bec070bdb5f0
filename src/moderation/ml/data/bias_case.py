"""One identity-bias template text: the identity group it mentions and whether it is toxic."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BiasCase:
    """`label` is 1 for a toxic text, 0 for a neutral or positive one; `group` the identity key."""

    text: str
    group: str
    label: int
