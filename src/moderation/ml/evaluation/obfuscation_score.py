"""What one obfuscation kind did to a scorer."""

from pydantic import BaseModel, ConfigDict


class ObfuscationScore(BaseModel):
    """Detections kept and false positives added by one obfuscation kind, pooled over folds.

    `retained` is the share of held-out harmful texts flagged as written that are still
    flagged once obfuscated; `clean_flag_rate_*` the share of clean texts flagged before and
    after (their difference is the false-positive rise).
    """

    model_config = ConfigDict(extra="forbid", ser_json_inf_nan="constants")

    scorer: str
    kind: str
    detected: int
    retained: float
    clean: int
    clean_flag_rate_before: float
    clean_flag_rate_after: float

    @property
    def false_positive_rise(self) -> float:
        return self.clean_flag_rate_after - self.clean_flag_rate_before
