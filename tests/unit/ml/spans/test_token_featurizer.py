import numpy as np
import pytest
from numpy.typing import NDArray

from moderation.ml.spans import TokenFeaturizer
from moderation.ml.spans.token_featurizer import BOUNDARY

RAWS = ["You", "IDIOT", "f**k", "idiót", "2017", "sh!t", "naïve", BOUNDARY, "a"]


class TestTokenFeaturizer:
    @pytest.fixture
    def featurizer(self) -> TokenFeaturizer:
        return TokenFeaturizer(n_features=2**12)

    @pytest.fixture
    def coef(self, featurizer: TokenFeaturizer) -> NDArray[np.float32]:
        return np.random.default_rng(0).normal(size=featurizer.n_features).astype(np.float32)

    def test_slot_scores_match_feature_hasher(
        self, featurizer: TokenFeaturizer, coef: NDArray[np.float32]
    ) -> None:
        rows = [feats for raw in RAWS for feats in featurizer.slot_features(raw)]
        expected = (featurizer.hash(rows) @ coef).reshape(len(RAWS), -1)
        np.testing.assert_allclose(featurizer.slot_scores(RAWS, coef), expected, atol=1e-4)

    def test_token_score_is_sum_of_slot_terms(
        self, featurizer: TokenFeaturizer, coef: NDArray[np.float32]
    ) -> None:
        raws = ["you", "stupid", "idiot"]
        full = featurizer.hash(featurizer.token_features(raws)) @ coef
        padded = [BOUNDARY, BOUNDARY, *raws, BOUNDARY, BOUNDARY]
        terms = featurizer.slot_scores(padded, coef)
        for i in range(len(raws)):
            c = i + 2
            total = terms[c, 0] + sum(
                terms[c + k, slot] for slot, k in enumerate(featurizer.offsets[1:], start=1)
            )
            assert total == pytest.approx(float(full[i]), abs=1e-4)

    def test_own_features_cover_forms_ngrams_and_shape(self, featurizer: TokenFeaturizer) -> None:
        feats = featurizer.own_features("STUUUPID")
        assert {"w=stuuupid", "d=stupid", "g=<st", "shape=caps"} <= set(feats)
        assert "shape=star" in featurizer.own_features("f**k")

    def test_config_round_trip(self) -> None:
        featurizer = TokenFeaturizer(n_features=2**10, ngram_min=3, ngram_max=4, window=1)
        assert TokenFeaturizer.from_config(featurizer.to_config()) == featurizer
        assert featurizer.offsets == (0, -1, 1)

    def test_rejects_foreign_hashing_config(self) -> None:
        config = TokenFeaturizer().to_config() | {"alternate_sign": False}
        with pytest.raises(ValueError, match="unsupported hashing"):
            TokenFeaturizer.from_config(config)
