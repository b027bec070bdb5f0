from collections.abc import Mapping, Sequence

from moderation.ml.policy.moderation_policy import ModerationPolicy
from moderation.ml.policy.policy_verdict import PolicyVerdict
from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.decision import Decision
from moderation.ml.vocabulary.moderation_reason import ModerationReason

# A rule hit raises the overall risk to at least this, so the score agrees with the decision.
_RULE_SCORE = {Decision.FLAG: 0.5, Decision.REJECT: 0.9}
# Categories that say someone is attacked or harmed. Toxicity without any of them, on a text
# that is profane, is the swearing itself: it may do no more than profanity may.
_ATTACKS = (Category.INSULT, Category.THREAT, Category.HATE_SPEECH, Category.SEXUAL)


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
        caps = self._caps(scores, rule_actions)
        for category, probability in scores.items():
            thresholds = self._policy.thresholds(category)
            if not thresholds.enabled:
                continue
            cap = caps.get(category)
            if cap is Decision.APPROVE:
                # Reported in `scores`, but it cannot act, so it is not the risk either.
                continue
            score = max(score, probability)
            action = thresholds.decide(probability)
            if cap is not None and action.severity > cap.severity:
                action = cap
            if action is not Decision.APPROVE:
                triggered.append(category)
                decision = _worst(decision, action)
        for category, action in rule_actions:
            if action is Decision.APPROVE or not self._policy.thresholds(category).enabled:
                continue
            cap = caps.get(category)
            if cap is not None and action.severity > cap.severity:
                action = cap
            if action is Decision.APPROVE:
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

    def _caps(
        self,
        scores: Mapping[Category, float],
        rule_actions: Sequence[tuple[Category, Decision]],
    ) -> dict[Category, Decision]:
        """The most each category may do on this text: profanity acts only where the policy
        lets it (`flag_profanity`, then its thresholds and `max_action`), and toxicity on a
        profane text that attacks no one is held to what profanity may do, so a profanity cap
        is not undone through toxicity."""
        profanity = self._policy.thresholds(Category.PROFANITY)
        probability = scores.get(Category.PROFANITY, 0.0)
        if not self._policy.flag_profanity:
            allowed = Decision.APPROVE
        else:
            allowed = profanity.decide(probability)
            for category, action in rule_actions:
                if category is Category.PROFANITY and action.severity > allowed.severity:
                    allowed = min(action, profanity.max_action, key=lambda d: d.severity)
        # Rule hits in profanity (the built-in lexicon's included) obey its max_action too.
        caps = {
            Category.PROFANITY: allowed if not self._policy.flag_profanity else profanity.max_action
        }
        profane = probability >= profanity.flag_at or any(
            category is Category.PROFANITY and action is not Decision.APPROVE
            for category, action in rule_actions
        )
        attacked = any(
            self._policy.thresholds(c).decide(scores.get(c, 0.0)) is not Decision.APPROVE
            for c in _ATTACKS
        ) or any(c in _ATTACKS and a is not Decision.APPROVE for c, a in rule_actions)
        if profane and not attacked:
            caps[Category.TOXICITY] = allowed
        return caps

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
