import pytest

from moderation.ml.text import NormalizedText


class TestNormalizedText:
    def test_identity_offsets_when_nothing_moved(self) -> None:
        text = NormalizedText("hello", "hello", "hello")
        assert text.original_span(1, 4) == (1, 4)
        assert text.original_text(0, 5) == "hello"

    def test_explicit_offsets_and_empty_spans(self) -> None:
        text = NormalizedText("a\u200bb", "ab", "ab", [0, 2], [2, 3])
        assert text.original_span(0, 2) == (0, 3)
        assert text.original_span(1, 1) == (2, 2)
        assert text.original_span(2, 2) == (3, 3)

    def test_out_of_range_spans_are_rejected(self) -> None:
        text = NormalizedText("abc", "abc", "abc")
        with pytest.raises(ValueError, match="outside"):
            text.original_span(2, 4)
        with pytest.raises(ValueError, match="outside"):
            text.original_span(2, 1)

    def test_squeezed_view_and_value_semantics(self) -> None:
        text = NormalizedText("Fuuuck", "fuuck", "fuuck", None, None)
        assert text.squeezed == "fuck"
        assert text == NormalizedText("Fuuuck", "fuuck", "other", [0], [1])
        assert hash(text) == hash(NormalizedText("Fuuuck", "fuuck"))
