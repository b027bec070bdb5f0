import itertools

import pytest

from moderation.ml.text import TextSplitter

PAD = (
    "I went to the store yesterday and bought some apples, a loaf of bread, and a bottle of "
    "milk for the week because we were running low on groceries at home."
)


def _texts(text: str, parts: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in parts]


class TestTextSplitter:
    def test_a_short_text_is_one_part(self) -> None:
        assert TextSplitter(160).parts("you are an idiot. Have a nice day.") == []

    def test_sentences_are_grouped_up_to_the_part_size(self) -> None:
        text = "You are a worthless idiot. " + PAD
        parts = TextSplitter(160).parts(text)
        assert _texts(text, parts) == ["You are a worthless idiot. ", PAD]

    def test_parts_cover_every_character_in_order(self) -> None:
        text = " ".join(f"Sentence number {i} says something rather ordinary." for i in range(40))
        parts = TextSplitter(100).parts(text)
        assert parts[0][0] == 0
        assert parts[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(parts))
        assert all(end - start <= 100 for start, end in parts)

    def test_a_long_sentence_is_cut_at_spaces(self) -> None:
        text = "word " * 100
        parts = TextSplitter(60).parts(text)
        assert len(parts) > 1
        assert all(piece.endswith(" ") for piece in _texts(text, parts)[:-1])

    def test_text_without_spaces_is_cut_anyway(self) -> None:
        parts = TextSplitter(50).parts("x" * 500)
        assert len(parts) == 10

    def test_the_number_of_parts_is_bounded(self) -> None:
        text = "Short one. " * 5_000
        parts = TextSplitter(160, max_parts=64).parts(text)
        assert len(parts) <= 65
        assert parts[-1][1] == len(text)

    def test_blank_parts_are_dropped(self) -> None:
        text = "a" * 150 + " " * 300
        parts = TextSplitter(100).parts(text)
        assert parts == [(0, 100), (100, 200)]

    def test_sizes_must_be_positive(self) -> None:
        with pytest.raises(ValueError, match="positive"):
            TextSplitter(0)
