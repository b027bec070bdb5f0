from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from moderation.ml.features.featurizer_config import FeaturizerConfig
from moderation.ml.features.identity_term_masker import PLACEHOLDER, IdentityTermMasker

_WORD_CACHE_LIMIT = 200_000
_CHAR_CACHE_LIMIT = 300_000


class FastFeaturizer:
    """Hashed word and character n-grams with sublinear TF-IDF, plus dense extra signals.

    Hashing keeps the artifact small and inference stateless: only the IDF vector is learned.
    Character n-grams within word boundaries survive the obfuscations normalisation misses.
    """

    def __init__(self, config: FeaturizerConfig, idf: NDArray[np.float32] | None = None) -> None:
        self.config = config
        self._word = HashingVectorizer(
            analyzer="word",
            token_pattern=r"(?u)\b\w+\b",  # noqa: S106 - a regex, not a password
            ngram_range=config.word_ngrams,
            n_features=1 << config.word_bits,
            alternate_sign=False,
            norm=None,
            lowercase=False,
            dtype=np.float32,
        )
        self._char = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=config.char_ngrams,
            n_features=1 << config.char_bits,
            alternate_sign=False,
            norm=None,
            lowercase=False,
            dtype=np.float32,
        )
        self._masker = IdentityTermMasker() if config.identity_blind else None
        self._word_index_cache: dict[str, int] = {}
        self._char_cache: dict[str, tuple[NDArray[np.int32], NDArray[np.float32]]] = {}
        n_hashed = (1 << config.word_bits) + (1 << config.char_bits)
        self.idf: NDArray[np.float32] = (
            idf if idf is not None else np.ones(n_hashed, dtype=np.float32)
        )

    def prepare(self, texts: Sequence[str]) -> Sequence[str]:
        """What gets hashed: the normalised texts, identity words masked if configured."""
        if self._masker is None:
            return texts
        return [self._masker.mask(t) for t in texts]

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Raw hashed counts (word block, then char block)."""
        texts = self.prepare(texts)
        return sp.hstack(
            [self._word.transform(texts), self._char_counts(texts)], format="csr"
        ).astype(np.float32)

    def _char_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The char_wb block, assembled from per-word pieces.

        char_wb n-grams never cross a word boundary, so a text's counts are the sum of its
        words' counts. Words repeat (Zipf), so each word is hashed once by scikit-learn and
        cached; this is several times faster than re-running the Python n-gram analyzer on
        every text, and identical to it (a test checks).
        """
        cache = self._char_cache
        split = [t.split() for t in texts]
        unseen = list(dict.fromkeys(w for words in split for w in words if w not in cache))
        if unseen:
            if len(cache) + len(unseen) > _CHAR_CACHE_LIMIT:
                cache.clear()
            pieces = self._char.transform(unseen)
            for row, word in enumerate(unseen):
                start, end = pieces.indptr[row], pieces.indptr[row + 1]
                cache[word] = (pieces.indices[start:end], pieces.data[start:end])
        indices: list[NDArray[np.int32]] = []
        values: list[NDArray[np.float32]] = []
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        total = 0
        for row, words in enumerate(split):
            for word in words:
                word_indices, word_values = cache[word]
                indices.append(word_indices)
                values.append(word_values)
                total += word_indices.size
            indptr[row + 1] = total
        shape = (len(texts), 1 << self.config.char_bits)
        if not indices:
            return sp.csr_matrix(shape, dtype=np.float32)
        matrix = sp.csr_matrix(
            (np.concatenate(values), np.concatenate(indices), indptr), shape=shape
        )
        matrix.sum_duplicates()
        return matrix

    def word_indices(self, words: Sequence[str]) -> NDArray[np.int64]:
        """Feature index of each single word's unigram (for per-word attributions).

        Cached per word: sklearn's transform costs ~0.2 ms a call whatever its size, and
        explanations ask about the same everyday words again and again.
        """
        cache = self._word_index_cache
        missing = [w for w in dict.fromkeys(words) if w not in cache]
        if missing:
            if len(cache) > _WORD_CACHE_LIMIT:
                cache.clear()
            counts = self._word.transform(self.prepare(missing))
            for row, word in enumerate(missing):
                start, end = counts.indptr[row], counts.indptr[row + 1]
                # A word that hashes to nothing points at a bucket of weight ~0.
                cache[word] = int(counts.indices[start]) if end > start else 0
        return np.array([cache[w] for w in words], dtype=np.int64)

    def fit_idf(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Learn smoothed IDF from `texts` and keep it."""
        counts = self.counts(texts)
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
        n_docs = counts.shape[0]
        self.idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
        if self._masker is not None:
            # The group word alone carries no signal by design; only its context may.
            self.idf[self.counts([PLACEHOLDER]).indices] = 0.0
        return self.idf

    def transform(
        self, texts: Sequence[str], extras: NDArray[np.float32] | None = None
    ) -> sp.csr_matrix:
        """Feature matrix for already-normalised `texts`; `extras` is (n, len(extra_features))."""
        texts = self.prepare(texts)
        n_word = 1 << self.config.word_bits
        word = self._weight(self._word.transform(texts), self.idf[:n_word])
        char = self._weight(self._char_counts(texts), self.idf[n_word:])
        blocks: list[sp.csr_matrix] = [word, char]
        if self.config.extra_features:
            if extras is None:
                extras = np.zeros((len(texts), len(self.config.extra_features)), np.float32)
            blocks.append(sp.csr_matrix(extras.astype(np.float32)))
        return sp.hstack(blocks, format="csr")

    @staticmethod
    def _weight(counts: sp.csr_matrix, idf: NDArray[np.float32]) -> sp.csr_matrix:
        counts = counts.astype(np.float32)
        counts.data = 1.0 + np.log(counts.data)
        counts.data *= idf[counts.indices]
        weighted: sp.csr_matrix = normalize(counts, norm="l2", copy=False)
        return weighted
