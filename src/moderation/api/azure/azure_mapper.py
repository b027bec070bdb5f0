"""Our results under Azure AI Content Safety's categories and severity levels."""

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from typing import Any

from moderation.api.schemas.azure import (
    TextBlocklistMatch,
    TextCategoriesAnalysis,
    TextCategory,
)
from moderation.domain.models import Category, ModerationReason
from moderation.domain.policy import BlocklistItem

# Probability cut points of the eight levels: a score's severity is how many it reaches. Level
# 2 starts at our default flag threshold (0.3) and level 4 at our default reject threshold
# (0.7), so Azure's usual filter ("block Medium", severity >= 4) blocks what we reject and
# "block Low" (>= 2) what we flag; the levels between and above spread the rest evenly-ish.
SEVERITY_CUTS = (0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99)
# Azure rates "verbal insults that do not target an identity group" Low (2-3) in Hate, so an
# insult alone reaches at most 3 there; identity-based hate (hate_speech) uses the whole scale.
INSULT_MAX_SEVERITY = 3
# No model of ours measures these: always 0, and named in a response header.
UNSUPPORTED = (TextCategory.SELF_HARM,)
# A rule hit that acted (the lexicon's "I will find you and hurt you", a tenant's own rule)
# counts as this probability, as the policy evaluator raises a text's score for it: a flag.
RULE_PROBABILITY = 0.5
_RULE_SOURCE = "rule:"
_BLOCKLIST_SOURCE = "rule:blocklist:"
# Our categories that feed an Azure one, with the reason the policy gives when one acts.
_ACTED = {
    category.value: ModerationReason.for_category(category).value
    for category in (Category.HATE_SPEECH, Category.INSULT, Category.THREAT, Category.SEXUAL)
}


class AzureContentSafetyMapper:
    """Maps one result (as `/api/v1/moderate` returns it) onto Azure's `AnalyzeTextResult`.

    Hate = max(hate_speech, insult capped at 3), Violence = threat, Sexual = sexual,
    SelfHarm = 0. A term rule of one of those categories that acted on the text (the policy
    gave its reason) lifts the probability to at least 0.5, so a severity never contradicts
    the decision; blocklist items do not, since Azure reports them apart from the categories.
    FourSeverityLevels folds the eight levels as Azure does: 0-1 → 0, 2-3 → 2, 4-5 → 4,
    6-7 → 6. Profanity, toxicity and spam have no Azure category: untargeted swearing is not
    harm in either service (Azure users list words in a blocklist).
    """

    def severity(self, probability: float) -> int:
        """The eight-level severity (0-7) of a calibrated probability."""
        return bisect_right(SEVERITY_CUTS, probability)

    def categories(
        self, result: Mapping[str, Any], wanted: Sequence[TextCategory], eight_levels: bool
    ) -> list[TextCategoriesAnalysis]:
        """`wanted`'s severities for one result (its `scores`, `reasons` and `spans`)."""
        scores = self._probabilities(result)
        hate = max(
            self.severity(scores.get("hate_speech", 0.0)),
            min(self.severity(scores.get("insult", 0.0)), INSULT_MAX_SEVERITY),
        )
        levels = {
            TextCategory.HATE: hate,
            TextCategory.SEXUAL: self.severity(scores.get("sexual", 0.0)),
            TextCategory.VIOLENCE: self.severity(scores.get("threat", 0.0)),
        }
        return [
            TextCategoriesAnalysis(
                category=category,
                severity=_folded(levels.get(category, 0), eight_levels),
            )
            for category in wanted
        ]

    def _probabilities(self, result: Mapping[str, Any]) -> dict[str, float]:
        scores = {str(k): float(v) for k, v in (result.get("scores") or {}).items()}
        reasons = set(result.get("reasons") or ())
        for span in result.get("spans") or ():
            source = str(span.get("source", ""))
            category = str(span.get("category", ""))
            if not source.startswith(_RULE_SOURCE) or source.startswith(_BLOCKLIST_SOURCE):
                continue
            if category in _ACTED and _ACTED[category] in reasons:
                scores[category] = max(scores.get(category, 0.0), RULE_PROBABILITY)
        return scores

    def blocklist_matches(
        self, result: Mapping[str, Any], items: Mapping[str, BlocklistItem]
    ) -> list[TextBlocklistMatch]:
        """The items of `items` (by rule id) that the result's rule spans name, in the order
        they first occur in the text, each once."""
        matches: dict[str, TextBlocklistMatch] = {}
        spans = sorted(result.get("spans") or [], key=lambda span: span.get("start", 0))
        for span in spans:
            source = str(span.get("source", ""))
            item = items.get(source.removeprefix(_RULE_SOURCE))
            if item is None or not source.startswith(_RULE_SOURCE) or source in matches:
                continue
            matches[source] = TextBlocklistMatch(
                blocklist_name=item.blocklist_name,
                blocklist_item_id=item.item_id,
                blocklist_item_text=item.text,
            )
        return list(matches.values())


def _folded(severity: int, eight_levels: bool) -> int:
    return severity if eight_levels else severity - severity % 2
