"""Baseline span predictor: every token whose word is usually toxic in the training data."""

from collections import Counter
from collections.abc import Sequence

from moderation.ml.spans._decode import decode_spans
from moderation.ml.spans._text import deobfuscate, normalize, tokenize
from moderation.ml.spans._training import token_labels


class LexiconSpanBaseline:
    """Lexicon baseline (as in the SemEval-2021 Task 5 organisers' one): a word is in the lexicon
    when at least `min_ratio` of its `min_count`+ training occurrences were gold toxic."""

    def __init__(self, lexicon: frozenset[str]) -> None:
        self.lexicon = lexicon

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        offsets_lists: Sequence[Sequence[int]],
        min_ratio: float = 0.5,
        min_count: int = 2,
    ) -> "LexiconSpanBaseline":
        """Collect the lexicon from gold-labelled posts."""
        seen: Counter[str] = Counter()
        toxic: Counter[str] = Counter()
        for text, gold in zip(texts, offsets_lists, strict=True):
            tokens = tokenize(text)
            for token, label in zip(tokens, token_labels(tokens, set(gold)), strict=True):
                word = deobfuscate(normalize(token.text))
                seen[word] += 1
                toxic[word] += label
        return cls(
            frozenset(w for w, n in seen.items() if n >= min_count and toxic[w] >= min_ratio * n)
        )

    def predict_spans(self, text: str) -> list[tuple[int, int]]:
        """Merged [start, end) ranges of the lexicon words in `text`."""
        tokens = tokenize(text)
        hits = [float(deobfuscate(normalize(t.text)) in self.lexicon) for t in tokens]
        return decode_spans(text, tokens, hits, threshold=0.5)
