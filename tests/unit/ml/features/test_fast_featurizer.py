import numpy as np
import pytest

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


class TestCharCache:
    def test_cached_char_block_equals_scikit_learn(self) -> None:
        f = FastFeaturizer(FeaturizerConfig(word_bits=12, char_bits=12))
        texts = [
            "you are an idiot",
            "idiot idiot  idiot\tagain",
            "",
            "   ",
            "a\n\nb c",
            "ǂǂ naïve café",
            "you are an idiot",
        ]
        expected = f._char.transform(texts)
        for _ in range(2):  # cold, then from the cache
            got = f._char_counts(texts)
            assert abs(got - expected).sum() == 0.0
            assert got.shape == expected.shape

    def test_cache_is_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from moderation.ml.features import fast_featurizer

        monkeypatch.setattr(fast_featurizer, "_CHAR_CACHE_LIMIT", 3)
        f = FastFeaturizer(FeaturizerConfig(word_bits=10, char_bits=10))
        f._char_counts(["one two three"])
        f._char_counts(["four five"])
        assert len(f._char_cache) <= 3
