import mmh3
import numpy as np
import pytest
import scipy.sparse as sp

from moderation.ml.features import FastFeaturizer, FeaturizerConfig
from moderation.ml.features.identity_term_masker import PLACEHOLDER, IdentityTermMasker


class TestIdentityTermMasker:
    def test_masks_group_words_only(self) -> None:
        masked = IdentityTermMasker().mask("i hate muslims and women but love pizza")
        assert masked == f"i hate {PLACEHOLDER} and {PLACEHOLDER} but love pizza"

    def test_whole_words_only(self) -> None:
        assert IdentityTermMasker().mask("blackberry mantis") == "blackberry mantis"


class TestFastFeaturizer:
    def test_rows_are_unit_length_and_extras_appended(self) -> None:
        f = FastFeaturizer(FeaturizerConfig(word_bits=10, char_bits=10, extra_features=["a", "b"]))
        f.fit_idf(["hello world", "you idiot", "hello again"])
        x = f.transform(["hello world"], np.array([[3.0, 4.0]], dtype=np.float32))
        assert x.shape == (1, f.config.n_features)
        word = x[:, : 1 << 10].toarray()
        assert abs(float(np.linalg.norm(word)) - 1.0) < 1e-5
        assert x[0, -2] == 3.0
        assert x[0, -1] == 4.0

    def test_rare_terms_weigh_more(self) -> None:
        f = FastFeaturizer(FeaturizerConfig(word_bits=10, char_bits=10))
        idf = f.fit_idf(["the cat", "the dog", "the bird"])
        the = f.counts(["the"]).indices[0]
        cat = f.counts(["cat"]).indices[0]
        assert idf[cat] > idf[the]

    def test_identity_blind_switches_off_the_group_word(self) -> None:
        f = FastFeaturizer(FeaturizerConfig(word_bits=10, char_bits=10, identity_blind=True))
        f.fit_idf(["i hate women", "women are great", "muslims are great"])
        assert f.transform(["women"]).sum() == 0.0
        assert f.transform(["muslims"]).sum() == 0.0
        same = f.transform(["i hate women"]) - f.transform(["i hate muslims"])
        assert abs(same).sum() == 0.0


class TestSameAsScikitLearn:
    """The hashing must equal scikit-learn's HashingVectorizer bit for bit: shipped models
    were trained with it."""

    TEXTS = (
        "you are an idiot",
        "idiot idiot  idiot\tagain",
        "",
        "   ",
        "a\n\nb c",
        "ǂǂ naïve café",
        "you are an idiot",
        "x\u00a0y z",
        "!!! ??",
        "a",
        "Ünïcödé 😀 日本語 text, with punctuation...",
    )

    def reference(self, f: FastFeaturizer) -> sp.csr_matrix:
        from sklearn.feature_extraction.text import HashingVectorizer

        options = {"alternate_sign": False, "norm": None, "lowercase": False, "dtype": np.float32}
        word = HashingVectorizer(
            analyzer="word",
            token_pattern=r"(?u)\b\w+\b",
            ngram_range=f.config.word_ngrams,
            n_features=1 << f.config.word_bits,
            **options,
        )
        char = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=f.config.char_ngrams,
            n_features=1 << f.config.char_bits,
            **options,
        )
        texts = list(self.TEXTS)
        return sp.hstack([word.transform(texts), char.transform(texts)], format="csr")

    def test_counts_equal_hashing_vectorizer(self) -> None:
        f = FastFeaturizer(FeaturizerConfig(word_bits=12, char_bits=12))
        expected = self.reference(f)
        for _ in range(2):  # cold, then from the caches
            got = f.counts(list(self.TEXTS))
            assert got.shape == expected.shape
            assert abs(got - expected).sum() == 0.0

    def test_int32_min_hash_uses_scikit_learns_bucket(self) -> None:
        from moderation.ml.features._ngram_hashing import hash_index

        assert hash_index("x", 1 << 10) == abs(mmh3.hash("x", 0)) % (1 << 10)


class TestCaches:
    def test_char_cache_is_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from moderation.ml.features import fast_featurizer

        monkeypatch.setattr(fast_featurizer, "_CHAR_CACHE_LIMIT", 3)
        f = FastFeaturizer(FeaturizerConfig(word_bits=10, char_bits=10))
        f.counts(["one two three"])
        f.counts(["four five"])
        assert len(f._char_cache) <= 3

    def test_gram_cache_is_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from moderation.ml.features import fast_featurizer

        monkeypatch.setattr(fast_featurizer, "_GRAM_CACHE_LIMIT", 4)
        f = FastFeaturizer(FeaturizerConfig(word_bits=10, char_bits=10))
        before = f.counts(["one two three four five six"])
        after = f.counts(["one two three four five six"])
        assert len(f._gram_cache) <= 4
        assert abs(before - after).sum() == 0.0

    def test_word_indices_of_punctuation_is_a_zero_bucket(self) -> None:
        f = FastFeaturizer(FeaturizerConfig(word_bits=10, char_bits=10))
        indices = f.word_indices(["idiot", "!!!"])
        assert indices[1] == 0
        assert indices[0] == f.counts(["idiot"]).indices[0]
