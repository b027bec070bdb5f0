import pytest

from moderation.ml.rules import DefaultLexicon
from moderation.ml.text import TextNormalizer
from moderation.ml.text.text_normalizer import REPAIR_ENV

# (disguised, repaired word, the original characters the word maps back to)
MASKED = [
    ("f*ck", "fuck", "f*ck"),
    ("f**k", "fuck", "f**k"),
    ("f#ck", "fuck", "f#ck"),
    ("f%ck", "fuck", "f%ck"),
    ("f@ck", "fuck", "f@ck"),
    ("f$ck", "fuck", "f$ck"),
    ("f.ck", "fuck", "f.ck"),
    ("f***ing", "fucking", "f***ing"),
    ("F*CKING", "fucking", "F*CKING"),
    ("f*ck1ng", "fucking", "f*ck1ng"),
    ("@ss", "ass", "@ss"),
    ("@sshole", "asshole", "@sshole"),
    ("b*tch", "bitch", "b*tch"),
    ("b**ch", "bitch", "b**ch"),
    ("sh*t", "shit", "sh*t"),
    ("s**t", "shit", "s**t"),
    ("c*nt", "cunt", "c*nt"),
    ("a**hole", "asshole", "a**hole"),
    ("d*ck", "dick", "d*ck"),
    ("bitc*", "bitch", "bitc*"),
    ("st*pid", "stupid", "st*pid"),
    ("id*ot", "idiot", "id*ot"),
    ("l*ser", "loser", "l*ser"),
]
SPACED = [
    ("f * c k", "fuck", "f * c k"),
    ("f.*.c.k", "fuck", "f.*.c.k"),
    ("b * t c h", "bitch", "b * t c h"),
]
MISSPELT = [
    ("fcuk", "fuck"),
    ("fukc", "fuck"),
    ("idoit", "idiot"),
    ("stupd", "stupid"),
    ("stpuid", "stupid"),
    ("biatch", "bitch"),
    ("bitcch", "bitch"),
    ("mroon", "moron"),
    ("fck", "fuck"),
    ("fcking", "fucking"),
    ("ashole", "asshole"),
    ("fuckign", "fucking"),
]
UNTOUCHED = [
    "cut",
    "hit",
    "duck",
    "shot",
    "ask",
    "a 5* hotel",
    "rated 5/5",
    "only $5 today",
    "a*b",
    "x = y*2",
    "mail user@example.com now",
    "@john hi",
    "**bold** text",
    "a footnote word*",
    "the f*** word",
    "well-known self-esteem",
    "see www.example.com/path",
    "i.e. and e.g.",
    "tyranny",
    "loose looser loosest",
    "clocks thrash",
    "the shiite clergy",
    "fuk",
    "stfu",
    "covid-19 at 100%",
    "C# and F# code",
    "#hashtag",
]


@pytest.fixture(scope="module")
def normalizer() -> TextNormalizer:
    return TextNormalizer(repair=True)


def _check_offsets(normalizer: TextNormalizer, original: str) -> None:
    result = normalizer.normalize(original)
    assert normalizer.normalize_for_features(original) == result.text
    assert len(result.undecoded) == len(result.text)
    previous = 0
    for i in range(len(result.text)):
        start, end = result.original_span(i, i + 1)
        assert previous <= start < end <= len(original)
        previous = start


class TestObfuscationRepair:
    @pytest.mark.parametrize(("disguised", "word", "span"), MASKED + SPACED)
    def test_masked_letters_are_filled_in(
        self, normalizer: TextNormalizer, disguised: str, word: str, span: str
    ) -> None:
        original = f"you {disguised}, ok"
        result = normalizer.normalize(original)
        assert result.text == f"you {word}, ok"
        start = result.text.index(word)
        assert result.original_text(start, start + len(word)) == span
        # Term rules read the undecoded view: the restored word is spelt out there too.
        assert result.undecoded[start : start + len(word)] == word
        _check_offsets(normalizer, original)

    @pytest.mark.parametrize(("disguised", "word"), MISSPELT)
    def test_swapped_dropped_and_added_letters_are_fixed(
        self, normalizer: TextNormalizer, disguised: str, word: str
    ) -> None:
        original = f"you {disguised}!"
        result = normalizer.normalize(original)
        assert result.text == f"you {word}!"
        start = result.text.index(word)
        # A rewritten word maps, every character of it, to the original token.
        for i in range(start, start + len(word)):
            assert result.original_text(i, i + 1) == disguised
        assert result.original_text(start, start + len(word)) == disguised
        assert result.undecoded[start : start + len(word)] == word
        _check_offsets(normalizer, original)

    @pytest.mark.parametrize("text", UNTOUCHED)
    def test_known_words_and_clean_symbols_stay(
        self, normalizer: TextNormalizer, text: str
    ) -> None:
        plain = TextNormalizer(repair=False)
        assert normalizer.normalize(text).text == plain.normalize(text).text
        _check_offsets(normalizer, text)

    def test_mixed_text_keeps_offsets_and_both_paths_agree(
        self, normalizer: TextNormalizer
    ) -> None:
        original = "Ｙｏｕ  f*ck1ng idoit,\u200b a$$hole & b * t c h!!! paid $5 for a 5* f u c k"
        result = normalizer.normalize(original)
        assert result.text == "you fucking idiot, asshole & bitch!!! paid $5 for a 5* fuck"
        assert result.original_text(0, 3) == "Ｙｏｕ"
        start = result.text.index("idiot")
        assert result.original_text(start, start + 5) == "idoit"
        _check_offsets(normalizer, original)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("all s * c k d * c k here", "all suck dick here"),
            ("u r a f * c k", "u r a fuck"),
            ("that would be a s t * p i d phone", "that would be a stupid phone"),
            ("a p*55y and 5h1t", "a pussy and shit"),
            ("the id*0t.", "the idiot."),
            ("so...f*ck", "so...fuck"),
        ],
    )
    def test_spelled_runs_split_into_words_and_leet_mixes(
        self, normalizer: TextNormalizer, text: str, expected: str
    ) -> None:
        assert normalizer.normalize(text).text == expected
        _check_offsets(normalizer, text)

    def test_ambiguous_masks_are_left_alone(self, normalizer: TextNormalizer) -> None:
        # "c***s" fits several listed words; too few letters tell "f***" apart.
        for text in ("c***s", "the f*** word", "a***", "S___T jacket"):
            assert normalizer.normalize(text).text == text.lower()

    def test_lexicon_terms_normalise_to_themselves(self, normalizer: TextNormalizer) -> None:
        # Term rules are normalised like text: a repair there would merge distinct rules.
        plain = TextNormalizer(repair=False)
        for rule in DefaultLexicon().rules():
            if rule.kind != "regex":
                pattern = rule.pattern
                assert normalizer.normalize_for_features(pattern) == (
                    plain.normalize_for_features(pattern)
                ), pattern

    def test_repair_can_be_turned_off(self, monkeypatch: pytest.MonkeyPatch) -> None:
        assert TextNormalizer(repair=False).normalize("f*ck fcuk").text == "f*ck fcuk"
        monkeypatch.setenv(REPAIR_ENV, "0")
        assert not TextNormalizer().repair
        assert TextNormalizer().normalize_for_features("f*ck fcuk") == "f*ck fcuk"
        monkeypatch.setenv(REPAIR_ENV, "1")
        assert TextNormalizer().normalize_for_features("f*ck fcuk") == "fuck fuck"
