from collections import OrderedDict

from moderation.domain.models.term_rule import TermRule
from moderation.domain.policy.moderation_policy import ModerationPolicy
from moderation.ml.engine.rule_match import RuleMatch
from moderation.ml.rules import DefaultLexicon, TermMatcher
from moderation.ml.text import TextNormalizer

_CACHE_SIZE = 64


class RuleBook:
    """Compiles each policy's term rules once (plus the built-in lexicon) and applies them."""

    def __init__(self, normalizer: TextNormalizer) -> None:
        self._normalizer = normalizer
        lexicon = DefaultLexicon()
        self._builtin_all = lexicon.rules()
        reclaimable = lexicon.reclaimable_ids()
        self._builtin_default = [r for r in self._builtin_all if r.id not in reclaimable]
        self._matchers: OrderedDict[str, TermMatcher] = OrderedDict()

    def matcher(self, policy: ModerationPolicy) -> TermMatcher:
        """The compiled matcher for `policy` (LRU-cached by the rules' content)."""
        key = f"{policy.use_builtin_lexicon}|{policy.flag_reclaimable_slurs}|" + "|".join(
            r.model_dump_json() for r in policy.term_rules
        )
        matcher = self._matchers.get(key)
        if matcher is None:
            builtin: list[TermRule] = []
            if policy.use_builtin_lexicon and policy.flag_reclaimable_slurs:
                builtin = self._builtin_all
            elif policy.use_builtin_lexicon:
                builtin = self._builtin_default
            rules = [*builtin, *policy.term_rules]
            matcher = TermMatcher(rules)
            self._matchers[key] = matcher
            if len(self._matchers) > _CACHE_SIZE:
                self._matchers.popitem(last=False)
        else:
            self._matchers.move_to_end(key)
        return matcher

    def match(self, text: str, policy: ModerationPolicy) -> RuleMatch:
        """Hits of `policy`'s rules on `text`, allow rules applied."""
        normalized = self._normalizer.normalize(text)
        hits = self.matcher(policy).match(normalized)
        allowed = [h for h in hits if h.action == "allow"]
        blocking = [h for h in hits if h.action != "allow"]
        model_text = text
        for hit in allowed:
            model_text = (
                model_text[: hit.start] + " " * (hit.end - hit.start) + model_text[hit.end :]
            )
        # The rule view's normalised text is exactly what the classifiers see, so reuse it
        # unless an allow rule blanked part of the text.
        features_text = (
            normalized.text if not allowed else self._normalizer.normalize_for_features(model_text)
        )
        return RuleMatch(model_text, features_text, blocking=blocking, allowed=allowed)
