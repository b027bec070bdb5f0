import csv
import re
from pathlib import Path

import pytest

from moderation.ml.text import NormalizedText, TextNormalizer

OBFUSCATED_FUCK = [
    ("ｆｕｃｋ", "ｆｕｃｋ"),
    ("f u c k", "f u c k"),
    ("f.u.c.k", "f.u.c.k"),
    ("f-u-c-k", "f-u-c-k"),
    ("f_u_c_k", "f_u_c_k"),
    ("fսck", "fսck"),
    ("f\u200buck", "f\u200buck"),
    ("𝐟𝐮𝐜𝐤", "𝐟𝐮𝐜𝐤"),
    ("🅵🆄🅲🅺", "🅵🆄🅲🅺"),
    ("FUCK", "FUCK"),
]


@pytest.fixture(scope="module")
def normalizer() -> TextNormalizer:
    return TextNormalizer()


class TestTextNormalizer:
    @pytest.mark.parametrize(("disguised", "span"), OBFUSCATED_FUCK)
    def test_disguises_of_a_word_become_the_word(
        self, normalizer: TextNormalizer, disguised: str, span: str
    ) -> None:
        result = normalizer.normalize(f"well {disguised} you")
        assert result.text == "well fuck you"
        start = result.text.index("fuck")
        assert result.original_text(start, start + 4) == span

    def test_letter_runs_are_cut_to_two_and_squeezed_to_one(
        self, normalizer: TextNormalizer
    ) -> None:
        result = normalizer.normalize("fuuuuck yeahhhh")
        assert result.text == "fuuck yeahh"
        assert result.squeezed == "fuck yeah"
        assert normalizer.squeeze("fuuck") == normalizer.squeeze("fuck") == "fuck"
        assert result.original_text(0, 5) == "fuuuuck"
        assert result.original_text(6, 11) == "yeahhhh"

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("sh1t h3ll0", "shit hello"),
            ("a$$hole", "asshole"),
            ("b!tch!!!", "bitch!!!"),
            ("in 2024 it was 100% true", "in 2024 it was 100% true"),
            ("@user covid19 5pm 2nd", "@user covid19 5pm 2nd"),
            ("wow!!! nice!", "wow!!! nice!"),
            ("see http://bit.ly/2xY7ab", "see http://bit.ly/2xy7ab"),
        ],
    )
    def test_leetspeak_only_inside_words_with_letters(
        self, normalizer: TextNormalizer, text: str, expected: str
    ) -> None:
        assert normalizer.normalize(text).text == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("I am a person", "i am a person"),
            ("u r a star", "u r a star"),
            ("s e x", "sex"),
            ("I a m spelling", "iam spelling"),
            ("c.u.n.t face", "cunt face"),
            ("plan a or b", "plan a or b"),
        ],
    )
    def test_spaced_letters_join_only_in_runs_of_three(
        self, normalizer: TextNormalizer, text: str, expected: str
    ) -> None:
        assert normalizer.normalize(text).text == expected

    def test_unicode_cleanup(self, normalizer: TextNormalizer) -> None:
        assert normalizer.normalize("Café naïve Łódź straße").text == "cafe naive lodz strasse"
        assert normalizer.normalize("z̷a̷l̷g̷o̷ ﬁne").text == "zalgo fine"
        assert normalizer.normalize("obama\u2019s \u201cquote\u201d").text == 'obama\'s "quote"'
        assert normalizer.normalize("  tabs\there\n\nnew\u00a0line\x00  ").text == (
            "tabs here new line"
        )

    def test_cyrillic_look_alikes_fold_only_when_disguising_latin(
        self, normalizer: TextNormalizer
    ) -> None:
        assert normalizer.normalize("Ѕех chat").text == "sex chat"
        assert normalizer.normalize("ΗΕLLΟ").text == "hello"
        mixed = normalizer.normalize("привет fսck мир")
        assert mixed.text == "привет fuck мир"
        assert mixed.original_text(7, 11) == "fսck"
        assert normalizer.normalize("Привет, как дела?").text == "привет, как дела?"

    def test_every_character_maps_back_inside_the_original(
        self, normalizer: TextNormalizer
    ) -> None:
        original = "  Ｈｅｌｌｏ\u200b W0rld!!!  f.u.c.k  ß ﬁ 👍🏽 ok\n"
        result = normalizer.normalize(original)
        previous = 0
        for i in range(len(result.text)):
            start, end = result.original_span(i, i + 1)
            assert previous <= start < end <= len(original)
            previous = start
        assert result.original_span(0, len(result.text)) == (2, len(original) - 1)

    def test_features_path_equals_full_normalisation(self, normalizer: TextNormalizer) -> None:
        samples = [d for d, _ in OBFUSCATED_FUCK] + [
            "Hello WORLD!!  How are you?",
            "sh1t h3ll0 a$$ 2024 100% @user covid19 5pm",
            "👍🏽 ok ❤️ f\u200bu\u200bc\u200bk",
            "привет fսck мир",
            "u r a b1tch... f.u.c.k.i.n.g loser!!!!!",
            "",
            "\u200b",
        ]
        for text in samples:
            assert normalizer.normalize_for_features(text) == normalizer.normalize(text).text

    def test_features_path_equals_full_normalisation_on_real_tweets(
        self, normalizer: TextNormalizer, training_data_dir: Path
    ) -> None:
        path = training_data_dir / "davidson_hate_offensive" / "labeled_data.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            lines = [row["tweet"] for row in csv.DictReader(handle)]
        for line in lines:
            result = normalizer.normalize(line)
            assert normalizer.normalize_for_features(line) == result.text
            assert len(result.undecoded) == len(result.text)
            for m in re.finditer(r"\S+", result.text):
                start, end = result.original_span(*m.span())
                assert 0 <= start < end <= len(line)

    def test_undecoded_view_keeps_leet_symbols_at_the_same_offsets(
        self, normalizer: TextNormalizer
    ) -> None:
        result = normalizer.normalize("You  f4ck1ng   a$$")
        assert result.text == "you facking ass"
        assert result.undecoded == "you f4ck1ng a$$"
        assert isinstance(result, NormalizedText)
