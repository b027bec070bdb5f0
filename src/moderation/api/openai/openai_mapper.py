"""Our results under OpenAI's moderation categories."""

from collections.abc import Mapping
from typing import Any

# OpenAI's names, in the order its responses list them.
CATEGORIES = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)
# No model of ours measures these: always false / 0.0, and named in a response header.
UNSUPPORTED = (
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual/minors",
    "violence/graphic",
)


class OpenAIModerationMapper:
    """Maps one result (as `/api/v1/moderate` returns it) onto OpenAI's `results[]` item.

    Scores: harassment = insult (the larger of insult and toxicity when the policy reported
    harassment, so the score agrees with the decision: friendly swearing is toxic but not an
    attack); harassment/threatening and violence = threat; hate = hate_speech;
    hate/threatening = the smaller of hate_speech and threat; sexual = sexual. A category is
    true when the policy gave its reason (harassment, violence, hate_speech, adult_content);
    the two "threatening" ones need violence as well. `flagged` is the policy's decision not
    being approve, so spam or an unsupported language flag a text with every category false.
    """

    def result(self, result: Mapping[str, Any]) -> dict[str, Any]:
        scores: Mapping[str, float] = result["scores"]
        reasons = set(result["reasons"])
        insult, toxicity = scores.get("insult", 0.0), scores.get("toxicity", 0.0)
        threat, hate = scores.get("threat", 0.0), scores.get("hate_speech", 0.0)
        harassment = "harassment" in reasons
        violence = "violence" in reasons
        hateful = "hate_speech" in reasons
        values: dict[str, tuple[bool, float]] = {
            "harassment": (harassment, max(insult, toxicity) if harassment else insult),
            "harassment/threatening": (harassment and violence, threat),
            "hate": (hateful, hate),
            "hate/threatening": (hateful and violence, min(hate, threat)),
            "sexual": ("adult_content" in reasons, scores.get("sexual", 0.0)),
            "violence": (violence, threat),
        }
        flags = {name: values.get(name, (False, 0.0))[0] for name in CATEGORIES}
        category_scores = {name: float(values.get(name, (False, 0.0))[1]) for name in CATEGORIES}
        applied = {name: [] if name in UNSUPPORTED else ["text"] for name in CATEGORIES}
        return {
            "flagged": result["decision"] != "approve",
            "categories": flags,
            "category_scores": category_scores,
            "category_applied_input_types": applied,
        }
