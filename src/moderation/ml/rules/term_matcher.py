import re
from collections.abc import Iterable

from moderation.domain.models.term_rule import TermRule
from moderation.ml.rules import _term_trie
from moderation.ml.rules.rule_hit import RuleHit
from moderation.ml.text.normalized_text import NormalizedText
from moderation.ml.text.text_normalizer import TextNormalizer

_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P[=<]")


class TermMatcher:
    """Finds term-rule hits in normalised text, with spans in the original text.

    Word and phrase rules are normalised like the text and compiled into one trie-shaped
    regex per kind, matched at word boundaries on the undecoded view, so "f4ck", "ｆｕｃｋ",
    "f u c k", "fuuuuck", "fսck" and "f\u200buck" all hit "fuck" while "Scunthorpe" does not hit
    "cunt". Regex rules are matched on the normalised (lowercase, decoded) text, combined into
    one alternation. Allow rules win: a block hit overlapping an allow hit is dropped; allow
    hits are returned too, so callers can shield those spans from the models.
    """

    def __init__(self, rules: Iterable[TermRule], normalizer: TextNormalizer | None = None) -> None:
        self.rules: tuple[TermRule, ...] = tuple(rules)
        self._normalizer = normalizer or TextNormalizer()
        terms: dict[str, dict[str, list[TermRule]]] = {"word": {}, "phrase": {}}
        regexes: list[TermRule] = []
        for rule in self.rules:
            if rule.kind == "regex":
                regexes.append(rule)
                continue
            normalized = self._normalizer.normalize_for_features(rule.pattern)
            if normalized:
                kind = "phrase" if " " in normalized else "word"
                terms[kind].setdefault(normalized, []).append(rule)
        self._word_rules = list(terms["word"].values())
        self._phrase_rules = list(terms["phrase"].values())
        self._words = _term_trie.compile_terms(list(terms["word"]))
        phrases = _term_trie.compile_terms(list(terms["phrase"]))
        # A lookahead finds phrases at every word start, overlapping ones included.
        self._phrases = re.compile(f"(?={phrases.pattern})") if phrases else None
        self._regex_rules: list[TermRule] = []
        self._separate: list[tuple[re.Pattern[str], TermRule]] = []
        combined: list[str] = []
        for rule in regexes:
            compiled = re.compile(rule.pattern, re.IGNORECASE)
            if compiled.groups and _BACKREFERENCE.search(rule.pattern):
                self._separate.append((compiled, rule))
            else:
                combined.append(f"(?P<r{len(self._regex_rules)}>{rule.pattern})")
                self._regex_rules.append(rule)
        self._regex = re.compile("|".join(combined), re.IGNORECASE) if combined else None

    def match(self, normalized: NormalizedText) -> list[RuleHit]:
        """All hits in `normalized`, allow hits included, block hits under an allow dropped."""
        found: list[tuple[int, int, TermRule]] = []
        view = normalized.undecoded or normalized.text
        if self._words is not None:
            self._collect(self._words.finditer(view), self._word_rules, found)
        if self._phrases is not None:
            self._collect(self._phrases.finditer(view), self._phrase_rules, found)
        text = normalized.text
        if self._regex is not None:
            for m in self._regex.finditer(text):
                if m.end() > m.start() and m.lastgroup:
                    found.append((m.start(), m.end(), self._regex_rules[int(m.lastgroup[1:])]))
        for pattern, rule in self._separate:
            found += [(m.start(), m.end(), rule) for m in pattern.finditer(text) if m.group()]
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
