from dataclasses import dataclass, field

from moderation.ml.rules import RuleHit


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """Term-rule hits for one text, and the text the models should see.

    Allow-listed spans are blanked with spaces in `model_text` (offsets unchanged), so an
    allowed "Scunthorpe" cannot push the character n-gram model either. `complete` is False
    when the policy's own rules ran out of time on this text and some were skipped.
    """

    model_text: str
    features_text: str
    blocking: list[RuleHit] = field(default_factory=list)
    allowed: list[RuleHit] = field(default_factory=list)
    complete: bool = True
