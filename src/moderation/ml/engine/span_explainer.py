import re
from collections.abc import Callable, Sequence

import numpy as np

from moderation.ml.engine.rule_match import RuleMatch
from moderation.ml.features.fast_featurizer import FastFeaturizer
from moderation.ml.models.linear_heads import LinearHeads
from moderation.ml.rules.rule_hit import RuleHit
from moderation.ml.spans import SpanTagger
from moderation.ml.text import common_word
from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.span import Span

_WORD = re.compile(r"\w+", re.UNICODE)
# Below this share of the strongest word's weight, a word is not worth showing a reviewer.
_ATTRIBUTION_FLOOR = 0.35
_MAX_ATTRIBUTED_WORDS = 3
_INDEX_CACHE_LIMIT = 200_000
_TAGGER_CATEGORIES = frozenset({Category.TOXICITY, Category.INSULT, Category.PROFANITY})
# Unigram weights below this barely move a head; pointing at such words misleads reviewers.
_MIN_ATTRIBUTION_WEIGHT = 0.5
_STOPWORDS = frozenset(
    "the and you your are was were for with that this have has had not but they them their "
    "what who will would can could our out all any his her him she its it's from into just "
    "than then there here when where which been being also very".split()
)


class SpanExplainer:
    """Character spans of the ORIGINAL text that explain a non-approve decision.

    Three sources, merged: the span tagger trained on human toxic-span labels, term-rule hits,
    and spam signal hits (links, phone numbers, promo phrases). Where the tagger finds nothing
    for a triggered category (e.g. a threat with no rude word), the fast tier's per-word
    weights point at the words that pushed the score.
    """

    def __init__(
        self,
        featurizer: FastFeaturizer,
        heads: LinearHeads,
        tagger: SpanTagger | Callable[[], SpanTagger | None] | None,
        normalize: Callable[[str], str] = str.lower,
    ) -> None:
        self._normalize = normalize
        self._index_cache: dict[str, int] = {}
        self._featurizer = featurizer
        self._heads = heads
        # A callable defers loading (~0.5 s) until the first text that needs spans, which
        # keeps one-line CLI runs and clean traffic fast.
        self._tagger_source = tagger
        self._tagger_loaded = not callable(tagger) or isinstance(tagger, SpanTagger)
        self._tagger_value = tagger if isinstance(tagger, SpanTagger) else None

    def warm_up(self) -> None:
        """Load the span tagger and pre-score its frequent words now."""
        if self._tagger is not None:
            self._tagger.warm_up()

    @property
    def _tagger(self) -> SpanTagger | None:
        if not self._tagger_loaded:
            source = self._tagger_source
            self._tagger_value = source() if callable(source) else None
            self._tagger_loaded = True
        return self._tagger_value

    def explain(
        self,
        triggered: Sequence[Category],
        rules: RuleMatch,
        spam_hits: Sequence[tuple[int, int, str]],
    ) -> list[Span]:
        spans: list[Span] = [
            Span(start=h.start, end=h.end, category=h.category, source=f"rule:{h.rule_id}")
            for h in _one_per_place(rules.blocking)
        ]
        if Category.SPAM in triggered:
            spans += [
                Span(start=s, end=e, category=Category.SPAM, source=f"signal:{label}")
                for s, e, label in spam_hits
            ]
        covered = {s.category for s in spans}
        harms = [c for c in triggered if c is not Category.SPAM]
        if harms:
            spans += self._model_spans(rules.model_text, harms, covered)
        allowed = [(h.start, h.end) for h in rules.allowed]
        kept = [s for s in spans if not any(a <= s.start and s.end <= b for a, b in allowed)]
        return sorted(set(kept), key=lambda s: (s.start, s.end, s.category))

    def _model_spans(
        self, text: str, harms: Sequence[Category], covered: set[Category]
    ) -> list[Span]:
        words = [
            (m.start(), m.end(), m.group().lower())
            for m in _WORD.finditer(text)
            if len(m.group()) > 2 and m.group().lower() not in _STOPWORDS
        ]
        if not words:
            return []
        weights = self._word_weights([w for _, _, w in words], harms)
        # The tagger learned from posts already judged toxic, so its "always mark the likeliest
        # word" fallback only makes sense when a toxicity-type category fired.
        fallback = any(c in _TAGGER_CATEGORIES for c in harms)
        ranges = (
            self._tagger.predict_spans(text, fallback=fallback) if self._tagger is not None else []
        )
        spans: list[Span] = []
        for start, end in ranges:
            inside = [i for i, (s, e, _) in enumerate(words) if s < end and e > start]
            if inside:
                best = weights[inside].max(axis=0)
                category = harms[int(np.argmax(best))]
            else:
                category = harms[0]
            spans.append(Span(start=start, end=end, category=category, source="model"))
        covered = covered | {s.category for s in spans}
        if covered:
            # Toxicity is the umbrella category: a span for an insult or a threat explains it.
            covered.add(Category.TOXICITY)
        for c, category in enumerate(harms):
            if category in covered:
                continue
            column = weights[:, c]
            top = float(column.max())
            if top < _MIN_ATTRIBUTION_WEIGHT:
                continue
            order = np.argsort(-column)[:_MAX_ATTRIBUTED_WORDS]
            for i in order:
                if column[i] >= _ATTRIBUTION_FLOOR * top:
                    s, e, _ = words[int(i)]
                    spans.append(Span(start=s, end=e, category=category, source="attribution"))
        return spans

    def _word_weights(self, words: Sequence[str], harms: Sequence[Category]) -> np.ndarray:
        """(n_words, n_harms) weight of each word's unigram feature in each category's head."""
        cache = self._index_cache
        missing = [w for w in dict.fromkeys(words) if w not in cache]
        if missing:
            if len(cache) > _INDEX_CACHE_LIMIT:
                cache.clear()
            found = self._featurizer.word_indices([self._normalize(w) for w in missing])
            cache.update(zip(missing, found.tolist(), strict=True))
        rows = np.array([cache[w] for w in words], dtype=np.int64)
        columns = np.array([self._heads.categories.index(c) for c in harms], dtype=np.int64)
        weights: np.ndarray = self._heads.weights[np.ix_(rows, columns)].astype(np.float32)
        return weights


def _one_per_place(hits: Sequence[RuleHit]) -> list[RuleHit]:
    """The hits, with one per span and category where the matcher found several built-in
    words on the same characters and one of them is the common word ("f4cking" fits
    "fucking" and "fecking": a reviewer should see the first). Every hit still counts for
    the decision; this only keeps the explanation readable. Ids of tenant rules are not
    words, so their hits are all kept."""
    places: dict[tuple[int, int, Category], list[RuleHit]] = {}
    for hit in hits:
        places.setdefault((hit.start, hit.end, hit.category), []).append(hit)
    kept: list[RuleHit] = []
    for group in places.values():
        word = common_word(h.rule_id.rpartition(":")[2] for h in group) if len(group) > 1 else None
        chosen = [h for h in group if h.rule_id.rpartition(":")[2] == word][:1]
        kept += chosen or group
    return kept
