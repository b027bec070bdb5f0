"""Profanity aimed at someone is an insult: it acts even where swearing alone does not."""

import pytest

from moderation.domain.models import Category
from moderation.ml.rules import DefaultLexicon, TermMatcher
from moderation.ml.text import TextNormalizer


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(DefaultLexicon().rules(), trusted=True)


def insult_ids(matcher: TermMatcher, text: str) -> set[str]:
    normalized = TextNormalizer().normalize(text).text
    return {
        h.rule_id
        for h in matcher.match_text(normalized)
        if h.action != "allow" and h.category is Category.INSULT
    }


class TestProfaneInsults:
    @pytest.mark.parametrize(
        ("text", "rule_id"),
        [
            ("You absolute cunt, delete your account", "insults:you_profane_noun"),
            ("you're a fucking asshole", "insults:you_profane_noun"),
            ("u r such a dumb bitch", "insults:you_profane_noun"),
            ("you piece of shit", "insults:you_profane_noun"),
            ("Fuck you and your opinions", "insults:profane_at_you"),
            ("oh just fuck off already", "insults:profane_at_you"),
            ("go fuck yourself", "insults:go_fuck_yourself"),
            ("shut the fuck up", "insults:shut_the_fuck_up"),
            ("STFU nobody asked", "insults:shut_the_fuck_up"),
        ],
    )
    def test_aimed_profanity_is_an_insult(
        self, matcher: TermMatcher, text: str, rule_id: str
    ) -> None:
        assert rule_id in insult_ids(matcher, text)

    @pytest.mark.parametrize(
        "text",
        [
            "fuck yeah, we won the game!",
            "this product is shit, broke in a day",
            "holy shit that was a great match",
            "what a bitch of a commute today",
            "the bastard sword is a longsword",
            "you know what, this is fucking brilliant",
            "you fucking legend, thank you",
        ],
    )
    def test_untargeted_swearing_is_not(self, matcher: TermMatcher, text: str) -> None:
        assert insult_ids(matcher, text) == set()

    def test_long_near_misses_stay_fast(self, matcher: TermMatcher) -> None:
        import time

        text = "you absolute fucking stupid " * 4_000
        started = time.process_time()
        matcher.match_text(text)
        assert time.process_time() - started < 2.0
