from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from moderation.ml.features._ngram_hashing import char_wb_ngrams, hash_index, word_ngrams
from moderation.ml.features.featurizer_config import FeaturizerConfig
from moderation.ml.features.identity_term_masker import PLACEHOLDER, IdentityTermMasker

_GRAM_CACHE_LIMIT = 500_000
_CHAR_CACHE_LIMIT = 300_000

_Piece = tuple[NDArray[np.int32], NDArray[np.float32]]


class FastFeaturizer:
    """Hashed word and character n-grams with sublinear TF-IDF, plus dense extra signals.

    Hashing keeps the artifact small and inference stateless: only the IDF vector is learned.
    Character n-grams within word boundaries survive the obfuscations normalisation misses.
    The hashing is scikit-learn's HashingVectorizer (word 1-2-grams, char_wb), bit for bit,
    done with cached MurmurHash3 lookups (see `_ngram_hashing`).
    """

    def __init__(self, config: FeaturizerConfig, idf: NDArray[np.float32] | None = None) -> None:
        self.config = config
        self._n_word = 1 << config.word_bits
        self._n_char = 1 << config.char_bits
        self._masker = IdentityTermMasker() if config.identity_blind else None
        self._gram_cache: dict[str, int] = {}
        self._char_cache: dict[str, _Piece] = {}
        self.idf: NDArray[np.float32] = (
            idf if idf is not None else np.ones(self._n_word + self._n_char, dtype=np.float32)
        )

    def prepare(self, texts: Sequence[str]) -> Sequence[str]:
        """What gets hashed: the normalised texts, identity words masked if configured."""
        if self._masker is None:
            return texts
        return [self._masker.mask(t) for t in texts]

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Raw hashed counts (word block, then char block)."""
        texts = self.prepare(texts)
        return sp.hstack([self._word_counts(texts), self._char_counts(texts)], format="csr")

    def word_indices(self, words: Sequence[str]) -> NDArray[np.int64]:
        """Feature index of each single word's unigram (for per-word attributions)."""
        out = np.zeros(len(words), dtype=np.int64)
        for i, word in enumerate(self.prepare(words)):
            grams = word_ngrams(word, 1, 1)
            # A word that hashes to nothing (punctuation only) points at a bucket of weight ~0.
            out[i] = self._gram_index(grams[0]) if grams else 0
        return out

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
        word = _weighted(self._word_counts(texts), self.idf[: self._n_word])
        char = _weighted(self._char_counts(texts), self.idf[self._n_word :])
        blocks: list[sp.csr_matrix] = [word, char]
        if self.config.extra_features:
            if extras is None:
                extras = np.zeros((len(texts), len(self.config.extra_features)), np.float32)
            blocks.append(sp.csr_matrix(extras.astype(np.float32)))
        return sp.hstack(blocks, format="csr")

    def _gram_index(self, gram: str) -> int:
        index = self._gram_cache.get(gram)
        if index is None:
            if len(self._gram_cache) >= _GRAM_CACHE_LIMIT:
                self._gram_cache.clear()
            index = self._gram_cache[gram] = hash_index(gram, self._n_word)
        return index

    def _word_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        low, high = self.config.word_ngrams
        indices: list[int] = []
        indptr = [0]
        for text in texts:
            indices.extend(self._gram_index(g) for g in word_ngrams(text, low, high))
            indptr.append(len(indices))
        return _csr(indices, indptr, self._n_word)

    def _char_counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The char_wb block, assembled from per-word pieces.

        char_wb n-grams never cross a word boundary, so a text's counts are the sum of its
        words' counts. Words repeat (Zipf), so each word's n-grams are hashed once and cached.
        """
        cache = self._char_cache
        low, high = self.config.char_ngrams
        split = [t.split() for t in texts]
        pieces_i: list[NDArray[np.int32]] = []
        pieces_v: list[NDArray[np.float32]] = []
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        total = 0
        for row, words in enumerate(split):
            for word in words:
                piece = cache.get(word)
                if piece is None:
                    if len(cache) >= _CHAR_CACHE_LIMIT:
                        cache.clear()
                    grams = [hash_index(g, self._n_char) for g in char_wb_ngrams(word, low, high)]
                    unique, counts = np.unique(np.array(grams, dtype=np.int32), return_counts=True)
                    piece = cache[word] = (unique, counts.astype(np.float32))
                pieces_i.append(piece[0])
                pieces_v.append(piece[1])
                total += piece[0].size
            indptr[row + 1] = total
        shape = (len(texts), self._n_char)
        if not pieces_i:
            return sp.csr_matrix(shape, dtype=np.float32)
        matrix = sp.csr_matrix(
            (np.concatenate(pieces_v), np.concatenate(pieces_i), indptr), shape=shape
        )
        matrix.sum_duplicates()
        return matrix


def _csr(indices: list[int], indptr: list[int], n_features: int) -> sp.csr_matrix:
    matrix = sp.csr_matrix(
        (
            np.ones(len(indices), dtype=np.float32),
            np.asarray(indices, dtype=np.int32),
            np.asarray(indptr, dtype=np.int64),
        ),
        shape=(len(indptr) - 1, n_features),
    )
    matrix.sum_duplicates()
    return matrix


def _weighted(counts: sp.csr_matrix, idf: NDArray[np.float32]) -> sp.csr_matrix:
    """Sublinear TF times IDF, then unit L2 length per row (empty rows stay empty)."""
    counts = counts.astype(np.float32)
    counts.data = 1.0 + np.log(counts.data)
    counts.data *= idf[counts.indices]
    squares = counts.multiply(counts).sum(axis=1)
    norms = np.sqrt(np.asarray(squares, dtype=np.float32).ravel())
    norms[norms == 0.0] = 1.0
    counts.data /= np.repeat(norms, np.diff(counts.indptr))
    return counts
