from collections.abc import Mapping, Sequence

from moderation.domain.models.category import Category
from moderation.domain.models.decision import Decision
from moderation.domain.models.moderation_reason import ModerationReason
from moderation.domain.policy.moderation_policy import ModerationPolicy
from moderation.domain.policy.policy_verdict import PolicyVerdict

# A rule hit raises the overall risk to at least this, so the score agrees with the decision.
_RULE_SCORE = {Decision.FLAG: 0.5, Decision.REJECT: 0.9}


class PolicyEvaluator:
    """Turns calibrated category probabilities and rule hits into a decision. Pure, no I/O."""

    def __init__(self, policy: ModerationPolicy) -> None:
        self._policy = policy

    @property
    def policy(self) -> ModerationPolicy:
        return self._policy

    def evaluate(
        self,
        scores: Mapping[Category, float],
        rule_actions: Sequence[tuple[Category, Decision]] = (),
        language: str | None = None,
        language_confidence: float = 0.0,
        rules_complete: bool = True,
    ) -> PolicyVerdict:
        """Decide for one text.

        The overall `score` is the largest probability among enabled categories: the chance
        that the most likely violation is real. A sum or noisy-OR would double count, since
        toxicity, insult and profanity are strongly correlated. When some of the policy's
        rules could not run (`rules_complete` False), a rule that would have rejected may
        have been missed: the text is flagged for review with reason `rules_incomplete`.
        """
        decision = Decision.APPROVE
        triggered: list[Category] = []
        score = 0.0
        for category, probability in scores.items():
            thresholds = self._policy.thresholds(category)
            if not thresholds.enabled:
                continue
            score = max(score, probability)
            action = thresholds.decide(probability)
            if action is not Decision.APPROVE:
                triggered.append(category)
                decision = _worst(decision, action)
        for category, action in rule_actions:
            if action is Decision.APPROVE or not self._policy.thresholds(category).enabled:
                continue
            if category not in triggered:
                triggered.append(category)
            decision = _worst(decision, action)
            score = max(score, _RULE_SCORE.get(action, 0.0))
        reasons = _reasons_for(triggered)
        if self._unsupported(language, language_confidence):
            action = self._policy.unsupported_language_action
            if action is not Decision.APPROVE:
                decision = _worst(decision, action)
                reasons.append(ModerationReason.UNSUPPORTED_LANGUAGE)
        if not rules_complete:
            decision = _worst(decision, Decision.FLAG)
            reasons.append(ModerationReason.RULES_INCOMPLETE)
        return PolicyVerdict(decision=decision, reasons=reasons, triggered=triggered, score=score)

    def _unsupported(self, language: str | None, confidence: float) -> bool:
        if language is None or language == "und":
            return False
        if confidence < self._policy.min_language_confidence:
            return False
        return language not in self._policy.supported_languages


def _worst(a: Decision, b: Decision) -> Decision:
    return a if a.severity >= b.severity else b


def _reasons_for(triggered: Sequence[Category]) -> list[ModerationReason]:
    reasons: list[ModerationReason] = []
    for category in triggered:
        reason = ModerationReason.for_category(category)
        if reason not in reasons:
            reasons.append(reason)
    return reasons
