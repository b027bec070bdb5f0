import json
from pathlib import Path

import numpy as np
import pytest
from tests.unit.ml.embeddings.tiny_export import HIDDEN, write_tiny_export

from moderation.ml.embeddings import FinetunedScorer, MiniLMEncoder
from moderation.ml.vocabulary.category import Category

TEXTS = [
    "you are an idiot",
    "have a nice day",
    "buy cheap pills now click here click here click here",
    "",
    "i will hurt you, shut up and go away",
    "unknown words everywhere",
]


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_export(tmp_path_factory.mktemp("finetuned"))


@pytest.fixture(scope="module")
def scorer(export_dir: Path) -> FinetunedScorer:
    return FinetunedScorer.load(export_dir)


class TestFinetunedScorer:
    def test_probabilities_have_one_column_per_category(self, scorer: FinetunedScorer) -> None:
        got = scorer.probabilities(TEXTS)
        assert got.shape == (len(TEXTS), len(Category))
        assert got.dtype == np.float32
        assert ((got >= 0.0) & (got <= 1.0)).all()
        assert scorer.categories == list(Category)
        assert scorer.max_tokens == 16

    def test_deterministic_and_independent_of_batching(
        self, scorer: FinetunedScorer, export_dir: Path
    ) -> None:
        first = scorer.probabilities(TEXTS, batch_size=32)
        again = FinetunedScorer.load(export_dir).probabilities(TEXTS, batch_size=32)
        np.testing.assert_array_equal(first, again)
        one_by_one = scorer.probabilities(TEXTS, batch_size=1)
        np.testing.assert_allclose(first, one_by_one, atol=1e-6)

    def test_texts_get_different_scores(self, scorer: FinetunedScorer) -> None:
        got = scorer.probabilities(TEXTS)
        assert np.unique(got.round(5), axis=0).shape[0] == len(TEXTS)

    def test_probabilities_are_sigmoid_of_heads_on_raw_mean_pooling(
        self, scorer: FinetunedScorer, export_dir: Path
    ) -> None:
        pooled = MiniLMEncoder.load(export_dir, max_tokens=16).encode(TEXTS, normalize=False)
        with np.load(export_dir / "heads.npz") as heads:
            logits = pooled @ heads["weights"] + heads["bias"]
        np.testing.assert_allclose(scorer.logits(TEXTS), logits, atol=1e-5)
        np.testing.assert_allclose(scorer.probabilities(TEXTS), 1 / (1 + np.exp(-logits)), 1e-5)
        assert scorer.embed(TEXTS).shape == (len(TEXTS), HIDDEN)

    def test_extreme_logits_saturate_without_warnings(self, tmp_path: Path) -> None:
        directory = write_tiny_export(tmp_path / "big")
        with np.load(directory / "heads.npz") as heads:
            weights, bias = heads["weights"] * 1e4, heads["bias"]
        np.savez_compressed(directory / "heads.npz", weights=weights, bias=bias)
        got = FinetunedScorer.load(directory).probabilities(TEXTS)
        assert ((got >= 0.0) & (got <= 1.0)).all()
        assert (got == 0.0).any()
        assert (got == 1.0).any()

    def test_empty_batch(self, scorer: FinetunedScorer) -> None:
        assert scorer.probabilities([]).shape == (0, len(Category))

    def test_missing_file_is_named(self, tmp_path: Path) -> None:
        directory = write_tiny_export(tmp_path / "partial")
        (directory / "heads.npz").unlink()
        with pytest.raises(FileNotFoundError, match=r"heads\.npz"):
            FinetunedScorer.load(directory)

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [("pooling", "cls", "mean pooling"), ("format", 2, "format")],
    )
    def test_rejects_unknown_spec(
        self, tmp_path: Path, field: str, value: object, message: str
    ) -> None:
        directory = write_tiny_export(tmp_path / "spec")
        spec = json.loads((directory / "scorer.json").read_text())
        spec[field] = value
        (directory / "scorer.json").write_text(json.dumps(spec))
        with pytest.raises(ValueError, match=message):
            FinetunedScorer.load(directory)

    def test_heads_must_match_encoder_width(self, tmp_path: Path) -> None:
        directory = write_tiny_export(tmp_path / "wide")
        np.savez_compressed(
            directory / "heads.npz",
            weights=np.zeros((HIDDEN + 1, len(Category)), np.float32),
            bias=np.zeros(len(Category), np.float32),
        )
        with pytest.raises(ValueError, match="features"):
            FinetunedScorer.load(directory)


class TestEncoderWithoutNormalisation:
    def test_default_rows_are_the_normalised_raw_rows(self, export_dir: Path) -> None:
        encoder = MiniLMEncoder.load(export_dir, max_tokens=16)
        raw = encoder.encode(TEXTS, normalize=False)
        unit = encoder.encode(TEXTS)
        np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1.0, atol=1e-5)
        np.testing.assert_allclose(
            raw / np.linalg.norm(raw, axis=1, keepdims=True), unit, atol=1e-6
        )
        assert not np.allclose(np.linalg.norm(raw, axis=1), 1.0, atol=1e-3)
