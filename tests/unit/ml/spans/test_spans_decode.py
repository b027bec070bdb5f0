from moderation.ml.spans._decode import decode_spans
from moderation.ml.spans._text import tokenize

TEXT = "what a piece of shit, you fool"


class TestDecodeSpans:
    def test_adjacent_toxic_tokens_merge_across_whitespace_only(self) -> None:
        tokens = tokenize(TEXT)  # what a piece of shit you fool
        probs = [0.0, 0.0, 0.9, 0.9, 0.9, 0.9, 0.9]
        assert decode_spans(TEXT, tokens, probs, threshold=0.5) == [(7, 20), (22, 30)]

    def test_floor_keeps_best_token_when_none_passes_threshold(self) -> None:
        tokens = tokenize(TEXT)
        probs = [0.0, 0.0, 0.1, 0.0, 0.3, 0.0, 0.2]
        assert decode_spans(TEXT, tokens, probs, 0.5, floor=0.2) == [(16, 20)]
        assert decode_spans(TEXT, tokens, probs, 0.5, floor=0.4) == []

    def test_join_function_words(self) -> None:
        tokens = tokenize(TEXT)
        probs = [0.0, 0.0, 0.9, 0.1, 0.9, 0.0, 0.0]
        assert decode_spans(TEXT, tokens, probs, 0.5) == [(7, 12), (16, 20)]
        assert decode_spans(TEXT, tokens, probs, 0.5, join_function_words=True) == [(7, 20)]

    def test_no_tokens(self) -> None:
        assert decode_spans("...", [], [], 0.5, floor=0.0) == []
