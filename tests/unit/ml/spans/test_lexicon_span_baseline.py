from moderation.ml.spans import LexiconSpanBaseline


class TestLexiconSpanBaseline:
    def test_learns_words_that_are_usually_toxic(self) -> None:
        texts = ["you idiot", "what an idiot", "idiot savant is a term", "you are fine"]
        # "idiot" is gold toxic in 2 of 3 uses, "you" in none.
        offsets = [list(range(4, 9)), list(range(8, 13)), [], []]
        baseline = LexiconSpanBaseline.train(texts, offsets)
        assert "idiot" in baseline.lexicon
        assert "you" not in baseline.lexicon
        assert baseline.predict_spans("Such an IDIOT, you") == [(8, 13)]

    def test_rare_words_stay_out(self) -> None:
        baseline = LexiconSpanBaseline.train(["moron"], [[0, 1, 2, 3, 4]])
        assert baseline.lexicon == frozenset()
