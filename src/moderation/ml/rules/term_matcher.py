import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import Any

from moderation.ml.rules import _bounded_search, _regex_gate
from moderation.ml.rules._literal_trie import literal_trie
from moderation.ml.rules._term_trie import LEXICON_MEMORY, POLICY_MEMORY, TermTrie, plausible
from moderation.ml.rules.match_subject import MatchSubject, chars
from moderation.ml.rules.rule_hit import RuleHit
from moderation.ml.text.normalized_text import NormalizedText
from moderation.ml.text.text_normalizer import TextNormalizer
from moderation.ml.vocabulary._regex_safety import compile_regex
from moderation.ml.vocabulary.term_rule import TermRule

# Enough to explain a decision; a rule matching all over a long text adds nothing past it.
MAX_HITS_PER_RULE = 100

_Found = list[tuple[int, int, TermRule]]


class TermMatcher:
    """Finds term-rule hits in normalised text, with spans in the original text.

    Word and phrase rules are normalised like the text and compiled into one trie-shaped
    RE2 regex per kind, matched at word boundaries on the undecoded view, so "f4ck", "ｆｕｃｋ",
    "f u c k", "fuuuuck", "fսck" and "f\\u200buck" all hit "fuck" while "Scunthorpe" does
    not hit "cunt". Phrases are matched without overlap (at one start the longest wins).
    Regex rules are matched case-insensitively on the normalised, decoded text: with RE2
    (linear time, no backtracking features) unless the rules are `trusted`, as the built-in
    lexicon is; trusted ones run on Python's `re`, gated by one scan for the literals each
    requires. All matching is linear in the text's length times the number of rules.
    Allow rules win over what they cover: a block hit inside an allow hit is dropped; allow
    hits are returned too, so callers can shield those spans from the models. A block hit
    that only overlaps one stands, so an allowed word or idiom cannot hide a longer phrase
    around it ("refugees are cockroaches", "you deserve to die for this").
    """

    def __init__(
        self,
        rules: Iterable[TermRule],
        normalizer: TextNormalizer | None = None,
        *,
        trusted: bool = False,
    ) -> None:
        self.rules: tuple[TermRule, ...] = tuple(rules)
        self._normalizer = normalizer or TextNormalizer()
        # Allow terms get their own regex, so a block term sharing a start ("asses" in
        # "assess") can never hide them.
        groups = ("word", "phrase", "allow")
        terms: dict[str, dict[str, list[TermRule]]] = {g: {} for g in groups}
        regexes: list[TermRule] = []
        for rule in self.rules:
            if rule.kind == "regex":
                regexes.append(rule)
                continue
            normalized = self._normalizer.normalize_for_features(rule.pattern)
            if normalized:
                group = "allow" if rule.action == "allow" else rule.kind
                group = "phrase" if group == "word" and " " in normalized else group
                terms[group].setdefault(normalized, []).append(rule)
        memory = LEXICON_MEMORY if trusted else POLICY_MEMORY
        self._tries = [
            (trie, list(terms[g].values()))
            for g in groups
            if not (trie := TermTrie(list(terms[g]), memory)).empty
        ]
        self._linear: list[tuple[Any, TermRule]] = []
        self._gated: list[tuple[re.Pattern[str], TermRule, frozenset[str]]] = []
        self._ungated: list[tuple[re.Pattern[str], TermRule]] = []
        self._gate: re.Pattern[str] | None = None
        if trusted:
            self._compile_trusted(regexes)
        else:
            self._linear = [(compile_regex(rule.pattern), rule) for rule in regexes]

    def _compile_trusted(self, regexes: list[TermRule]) -> None:
        # Trusted regexes may use lookaround. They run one by one, but only on texts holding
        # one of their required literals (found by one combined scan); rules without provable
        # literals always run.
        for rule in regexes:
            compiled = re.compile(rule.pattern, re.IGNORECASE)
            literals = _regex_gate.required_literals(rule.pattern)
            if literals is None:
                self._ungated.append((compiled, rule))
            else:
                self._gated.append((compiled, rule, frozenset(x.casefold() for x in literals)))
        gate = sorted({x for _, _, literals in self._gated for x in literals})
        self._gate = re.compile(literal_trie(gate)) if gate else None

    def match(self, normalized: NormalizedText) -> list[RuleHit]:
        """All hits in `normalized`, allow hits included, block hits inside an allow dropped."""
        hits, _ = self.scan(MatchSubject(normalized))
        return self.resolve(hits)

    def match_text(self, text: str) -> list[RuleHit]:
        """Normalise `text` and match it."""
        return self.match(self._normalizer.normalize(text))

    def scan(
        self, subject: MatchSubject, deadline: float | None = None
    ) -> tuple[list[RuleHit], bool]:
        """Every hit, allow rules not yet applied, and whether all rules ran: matching stops
        once `time.perf_counter()` passes `deadline` (None: no limit)."""
        normalized = subject.normalized
        found: _Found = []
        complete = True
        view = normalized.undecoded or normalized.text
        for trie, rules in self._tries:
            spans, complete = trie.scan(subject, deadline)
            for start, end, terms in spans:
                if plausible(view[start:end]):
                    found += [(start, end, rule) for term in terms for rule in rules[term]]
            if not complete:
                break
        if complete:
            complete = self._regex_hits(subject, deadline, found)
        return [self._hit(normalized, start, end, rule) for start, end, rule in found], complete

    def _regex_hits(self, subject: MatchSubject, deadline: float | None, found: _Found) -> bool:
        text = subject.normalized.text
        if self._gate is not None and self._gate.search(text) is not None:
            for pattern, rule, literals in self._gated:
                if any(x in text for x in literals):
                    found += _python_hits(pattern, rule, text)
        for pattern, rule in self._ungated:
            found += _python_hits(pattern, rule, text)
        if not self._linear:
            return True
        data, offsets = subject.decoded
        for regex, rule in self._linear:
            pos = count = 0
            while count < MAX_HITS_PER_RULE:
                try:
                    match = _bounded_search.search(regex, data, pos, deadline)
                except _bounded_search.DeadlinePassed:
                    return False
                if match is None:
                    break
                start, end = match.span()
                if end > start:
                    found.append((chars(offsets, start), chars(offsets, end), rule))
                    count += 1
                pos = end if end > start else end + 1
                if pos > len(data):
                    break
        return True

    @staticmethod
    def resolve(hits: list[RuleHit]) -> list[RuleHit]:
        """`hits` sorted, without the block hits that lie inside an allow hit."""
        allowed = _merged(sorted((h.start, h.end) for h in hits if h.action == "allow"))
        if allowed:
            starts = [start for start, _ in allowed]
            hits = [h for h in hits if h.action == "allow" or not _covered(h, allowed, starts)]
        return sorted(hits, key=lambda h: (h.start, h.end, h.rule_id))

    @staticmethod
    def _hit(normalized: NormalizedText, start: int, end: int, rule: TermRule) -> RuleHit:
        first, last = normalized.original_span(start, end)
        return RuleHit(
            rule_id=rule.id,
            category=rule.category,
            action=rule.action,
            start=first,
            end=last,
            text=normalized.original[first:last],
        )


def _python_hits(pattern: re.Pattern[str], rule: TermRule, text: str) -> _Found:
    found: _Found = []
    for m in pattern.finditer(text):
        if m.group():
            found.append((m.start(), m.end(), rule))
            if len(found) >= MAX_HITS_PER_RULE:
                break
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping ones joined, so one bisection finds the only span
    that can contain a hit."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _covered(hit: RuleHit, allowed: list[tuple[int, int]], starts: list[int]) -> bool:
    index = bisect_right(starts, hit.start) - 1
    return index >= 0 and allowed[index][1] >= hit.end
