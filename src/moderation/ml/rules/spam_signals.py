from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

FEATURE_NAMES: tuple[str, ...] = (
    "url_count",
    "shortener_count",
    "phone_count",
    "email_count",
    "caps_ratio",
    "repeated_char_ratio",
    "repeated_token_ratio",
    "promo_phrase_count",
    "money_count",
    "exclamation_ratio",
)


@dataclass(frozen=True, slots=True)
class SpamSignals:
    """Hand-made spam indicators of one text; counts are raw, ratios lie in [0, 1].

    `as_vector` gives them in `FEATURE_NAMES` order, so a classifier can append them to its
    features.
    """

    FEATURE_NAMES: ClassVar[tuple[str, ...]] = FEATURE_NAMES

    url_count: float = 0.0
    shortener_count: float = 0.0
    phone_count: float = 0.0
    email_count: float = 0.0
    caps_ratio: float = 0.0
    repeated_char_ratio: float = 0.0
    repeated_token_ratio: float = 0.0
    promo_phrase_count: float = 0.0
    money_count: float = 0.0
    exclamation_ratio: float = 0.0

    def as_vector(self) -> NDArray[np.float32]:
        """The signals as a float32 vector in `FEATURE_NAMES` order."""
        return np.array(
            [
                self.url_count,
                self.shortener_count,
                self.phone_count,
                self.email_count,
                self.caps_ratio,
                self.repeated_char_ratio,
                self.repeated_token_ratio,
                self.promo_phrase_count,
                self.money_count,
                self.exclamation_ratio,
            ],
            dtype=np.float32,
        )
