import time
from collections import OrderedDict

from moderation.ml.engine.rule_match import RuleMatch
from moderation.ml.policy.moderation_policy import ModerationPolicy
from moderation.ml.rules import DefaultLexicon, MatchSubject, RuleHit, TermMatcher
from moderation.ml.text import TextNormalizer

# Compiled policies kept; a policy at the caps can hold tens of MB of RE2 programs.
_CACHE_SIZE = 32


class RuleBook:
    """Applies the built-in lexicon (compiled once) and each policy's own term rules (compiled
    once per distinct rule list) to texts.

    A text's tenant rules stop at its deadline: the hits found so far still count, and the
    match says it is incomplete, so the caller can report it rather than pass it silently.
    """

    def __init__(self, normalizer: TextNormalizer) -> None:
        self._normalizer = normalizer
        lexicon = DefaultLexicon()
        builtin = lexicon.rules()
        reclaimable = lexicon.reclaimable_ids()
        self._builtin_rules = {
            True: builtin,
            False: [r for r in builtin if r.id not in reclaimable],
        }
        self._builtin: dict[bool, TermMatcher] = {}
        self._matchers: OrderedDict[str, TermMatcher] = OrderedDict()
        # The key of the last policies seen, so a batch does not serialise its rules per text.
        self._keys: OrderedDict[int, tuple[ModerationPolicy, str]] = OrderedDict()

    def matcher(self, policy: ModerationPolicy) -> TermMatcher:
        """The compiled matcher for `policy`'s own rules (LRU-cached by the rules' content)."""
        key = self._key(policy)
        matcher = self._matchers.get(key)
        if matcher is None:
            matcher = TermMatcher(policy.term_rules, self._normalizer)
            self._matchers[key] = matcher
            if len(self._matchers) > _CACHE_SIZE:
                self._matchers.popitem(last=False)
        else:
            self._matchers.move_to_end(key)
        return matcher

    def builtin(self, policy: ModerationPolicy) -> TermMatcher | None:
        """The compiled built-in lexicon `policy` asks for, if any."""
        if not policy.use_builtin_lexicon:
            return None
        reclaimable = policy.flag_reclaimable_slurs
        matcher = self._builtin.get(reclaimable)
        if matcher is None:
            rules = self._builtin_rules[reclaimable]
            matcher = self._builtin[reclaimable] = TermMatcher(
                rules, self._normalizer, trusted=True
            )
        return matcher

    def match(
        self, text: str, policy: ModerationPolicy, deadline_seconds: float | None = None
    ) -> RuleMatch:
        """Hits of the lexicon and `policy`'s rules on `text`, allow rules applied; the
        policy's rules stop after `deadline_seconds` (None: no limit)."""
        subject = MatchSubject(self._normalizer.normalize(text))
        hits: list[RuleHit] = []
        builtin = self.builtin(policy)
        if builtin is not None:
            hits += builtin.scan(subject)[0]
        complete = True
        if policy.term_rules:
            # Only the policy's own rules are timed: the lexicon is ours and linear.
            started = time.perf_counter()
            deadline = None if deadline_seconds is None else started + deadline_seconds
            own, complete = self.matcher(policy).scan(subject, deadline)
            hits += own
        hits = TermMatcher.resolve(hits)
        allowed = [h for h in hits if h.action == "allow"]
        blocking = [h for h in hits if h.action != "allow"]
        model_text = _blanked(text, allowed)
        # The rule view's normalised text is exactly what the classifiers see, so reuse it
        # unless an allow rule blanked part of the text.
        features_text = (
            subject.normalized.text
            if not allowed
            else self._normalizer.normalize_for_features(model_text)
        )
        return RuleMatch(
            model_text, features_text, blocking=blocking, allowed=allowed, complete=complete
        )

    def _key(self, policy: ModerationPolicy) -> str:
        cached = self._keys.get(id(policy))
        if cached is not None and cached[0] is policy:
            return cached[1]
        key = "|".join(r.model_dump_json() for r in policy.term_rules)
        # Holding the policy keeps its id from being reused while the entry lives.
        self._keys[id(policy)] = (policy, key)
        if len(self._keys) > _CACHE_SIZE:
            self._keys.popitem(last=False)
        return key


def _blanked(text: str, allowed: list[RuleHit]) -> str:
    """`text` with allowed spans replaced by spaces (offsets unchanged), in one pass."""
    if not allowed:
        return text
    pieces: list[str] = []
    done = 0
    for hit in sorted(allowed, key=lambda h: h.start):
        start, end = max(hit.start, done), hit.end
        if end <= start:
            continue
        pieces += [text[done:start], " " * (end - start)]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)
