import re
from collections.abc import Iterable

from moderation.domain.models.term_rule import TermRule
from moderation.ml.rules import _regex_gate, _term_trie
from moderation.ml.rules._literal_trie import literal_trie
from moderation.ml.rules.rule_hit import RuleHit
from moderation.ml.text.normalized_text import NormalizedText
from moderation.ml.text.text_normalizer import TextNormalizer


class TermMatcher:
    """Finds term-rule hits in normalised text, with spans in the original text.

    Word and phrase rules are normalised like the text and compiled into one trie-shaped
    regex per kind, matched at word boundaries on the undecoded view, so "f4ck", "ｆｕｃｋ",
    "f u c k", "fuuuuck", "fսck" and "f\\u200buck" all hit "fuck" while "Scunthorpe" does
    not hit "cunt". Phrases are matched without overlap (at one start the longest wins).
    Regex rules are matched case-insensitively on the normalised, decoded text; one scan for
    the literals each regex requires picks the few rules worth running on a text.
    Allow rules win: a block hit overlapping an allow hit is dropped; allow hits are
    returned too, so callers can shield those spans from the models.
    """

    def __init__(self, rules: Iterable[TermRule], normalizer: TextNormalizer | None = None) -> None:
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
        self._tries = [
            (compiled, list(terms[g].values()))
            for g in groups
            if (compiled := _term_trie.compile_terms(list(terms[g]))) is not None
        ]
        # Regex rules run one by one, but only on texts holding one of their required
        # literals (found by one combined scan); rules without provable literals always run.
        self._gated: list[tuple[re.Pattern[str], TermRule, frozenset[str]]] = []
        self._ungated: list[tuple[re.Pattern[str], TermRule]] = []
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
        """All hits in `normalized`, allow hits included, block hits under an allow dropped."""
        found: list[tuple[int, int, TermRule]] = []
        view = normalized.undecoded or normalized.text
        for pattern, rules in self._tries:
            self._collect(pattern.finditer(view), rules, found)
        text = normalized.text
        if self._gate is not None and self._gate.search(text) is not None:
            for pattern, rule, literals in self._gated:
                if any(x in text for x in literals):
                    found += _regex_hits(pattern, rule, text)
        for pattern, rule in self._ungated:
            found += _regex_hits(pattern, rule, text)
        if not found:
            return []
        hits = [self._hit(normalized, start, end, rule) for start, end, rule in found]
        allowed = [(h.start, h.end) for h in hits if h.action == "allow"]
        if allowed:
            hits = [
                h
                for h in hits
                if h.action == "allow" or not any(h.start < e and s < h.end for s, e in allowed)
            ]
        return sorted(hits, key=lambda h: (h.start, h.end, h.rule_id))

    def match_text(self, text: str) -> list[RuleHit]:
        """Normalise `text` and match it."""
        return self.match(self._normalizer.normalize(text))

    @staticmethod
    def _collect(
        matches: Iterable[re.Match[str]],
        rules: list[list[TermRule]],
        found: list[tuple[int, int, TermRule]],
    ) -> None:
        for m in matches:
            group = m.lastgroup
            if group is None:
                continue
            start, end = m.start(), m.end(group)
            if not _term_trie.plausible(m.string[start:end]):
                continue
            found += [(start, end, rule) for rule in rules[int(group[1:])]]

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


def _regex_hits(
    pattern: re.Pattern[str], rule: TermRule, text: str
) -> list[tuple[int, int, TermRule]]:
    return [(m.start(), m.end(), rule) for m in pattern.finditer(text) if m.group()]
