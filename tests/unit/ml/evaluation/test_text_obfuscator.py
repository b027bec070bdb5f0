import pytest

from moderation.ml.evaluation import TextObfuscator


class TestTextObfuscator:
    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            ("asterisk", "you f*ck*ng b*tch"),
            ("leet", "you fvck1ng b17ch"),
            ("spacing", "you f u c k i n g b i t c h"),
            ("char_swap", "you fukcing btich"),
            ("homoglyph", "you fuсkіng bіtсh"),
            ("repeat", "you fuuucking biiitch"),
        ],
    )
    def test_each_kind_rewrites_the_chosen_words(self, kind: str, expected: str) -> None:
        assert TextObfuscator().obfuscate("you fucking bitch", kind) == expected

    def test_lexicon_words_go_first_then_the_longest(self) -> None:
        obfuscator = TextObfuscator(words_per_text=2, targets=["darn"])
        text = "well darn, that extraordinary day"
        assert obfuscator.chosen(text) == [(5, 9), (16, 29)]
        assert obfuscator.obfuscate(text, "asterisk") == "well d*rn, that extr**rd*n*ry day"

    def test_short_words_and_empty_texts_are_left_alone(self) -> None:
        obfuscator = TextObfuscator()
        assert obfuscator.chosen("go on, ok") == []
        assert obfuscator.obfuscate("", "leet") == ""

    def test_unknown_kind_and_bad_word_count_are_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown obfuscation"):
            TextObfuscator().obfuscate("fuck", "rot13")
        with pytest.raises(ValueError, match="words_per_text"):
            TextObfuscator(words_per_text=0)
