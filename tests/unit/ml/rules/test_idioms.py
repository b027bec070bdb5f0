"""Idioms with violent words are allowed (shielded from the models), and never shield a threat."""

import pytest

from moderation.domain.models import Category
from moderation.domain.policy import ModerationPolicy
from moderation.ml.engine.rule_book import RuleBook
from moderation.ml.rules import DefaultLexicon, TermMatcher
from moderation.ml.text import TextNormalizer


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(DefaultLexicon().rules(), trusted=True)


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return RuleBook(TextNormalizer())


def idiom_ids(matcher: TermMatcher, text: str) -> set[str]:
    return {h.rule_id for h in matcher.match_text(text) if h.action == "allow"}


def threat_ids(matcher: TermMatcher, text: str) -> set[str]:
    return {
        h.rule_id
        for h in matcher.match_text(text)
        if h.action != "allow" and h.category is Category.THREAT
    }


class TestIdioms:
    @pytest.mark.parametrize(
        ("text", "rule_id"),
        [
            ("I'd kill for another slice of that pie.", "kill_for"),
            ("i would literally kill for a nap", "kill_for"),
            ("You absolutely killed it on stage tonight!", "killed_it"),
            ("She's killing it at her new job.", "killing_it"),
            ("k1lling it", "killing_it"),
            ("This heat is killing me.", "killing_me"),
            ("You're killing me with these puns.", "killing_me"),
            ("My boss is going to kill me if I miss this deadline.", "going_to_kill_me"),
            ("my mum will kill me", "going_to_kill_me"),
            ("Kill two birds with one stone.", "kill_two_birds"),
            ("I'm going to destroy you in the next round lol", "destroy_you_in_the_game"),
            ("we'll crush you next time", "destroy_you_in_the_game"),
            ("gonna wreck your team in the finals", "destroy_you_in_the_game"),
            ("Shoot me a message when you land.", "shoot_me_a_message"),
            ("shoot us an email", "shoot_me_a_message"),
            ("I'm dying to see the new movie.", "dying_to"),
            ("The chocolate cake here is to die for.", "to_die_for"),
            ("a view to die for", "to_die_for"),
            ("I'd die for a week at the beach.", "would_die_for"),
        ],
    )
    def test_idioms_are_allowed(self, matcher: TermMatcher, text: str, rule_id: str) -> None:
        assert f"idioms:{rule_id}" in idiom_ids(matcher, text)

    @pytest.mark.parametrize(
        "text",
        [
            "I will kill you",
            "they kill for money",
            "I'm going to destroy you",
            "I'll destroy your car",
            "shoot me",
            "he was dying on the floor",
            "you deserve to die for this",
            "you're going to die for that",
            "I will kill it",
        ],
    )
    def test_literal_uses_are_not_idioms(self, matcher: TermMatcher, text: str) -> None:
        assert idiom_ids(matcher, text) == set()

    @pytest.mark.parametrize(
        ("text", "rule_id"),
        [
            ("I'd kill for a slice, and I will kill you", "i_will_harm_you"),
            ("you killed it on stage, now I'm going to kill you", "i_will_harm_you"),
            ("this heat is killing me, and I'll stab you", "i_will_harm_you"),
            ("I'll destroy you in the next round, then I'll find you", "i_will_find_you"),
            ("shoot me a message, I know where you live", "i_know_where_you_live"),
            ("dying to see you, watch your back", "watch_your_back"),
            ("the cake is to die for and you deserve to die", "deserve_to_die"),
            ("you deserve to die for this", "deserve_to_die"),
            ("kill two birds with one stone: kill yourself", "kill_yourself"),
        ],
    )
    def test_an_idiom_never_hides_a_threat(
        self, matcher: TermMatcher, book: RuleBook, text: str, rule_id: str
    ) -> None:
        assert f"threats:{rule_id}" in threat_ids(matcher, text)
        match = book.match(text, ModerationPolicy())
        assert f"threats:{rule_id}" in {h.rule_id for h in match.blocking}

    def test_the_models_still_see_the_threat_beside_an_idiom(self, book: RuleBook) -> None:
        match = book.match("I'd kill for a slice, and I will kill you", ModerationPolicy())
        # Only the idiom is blanked: "kill for" is hidden, the threat is not.
        assert match.model_text == " " * len("I'd kill for") + " a slice, and I will kill you"
        assert "i will kill you" in match.features_text

    def test_an_allowed_word_does_not_hide_a_longer_phrase(self, matcher: TermMatcher) -> None:
        # "cockroaches" is on the allow-list for "cock", which it contains; the dehumanising
        # phrase around it is longer, so it stands.
        hits = matcher.match_text("Refugees are cockroaches.")
        assert "hate:group_are_vermin" in {h.rule_id for h in hits if h.action != "allow"}
        assert "profanity:cock" not in {h.rule_id for h in hits}

    def test_a_tenant_allow_idiom_shields_what_it_covers(self, book: RuleBook) -> None:
        policy = ModerationPolicy.model_validate(
            {"term_rules": [{"id": "no-kill", "pattern": "kill", "category": "threat"}]}
        )
        assert [h.rule_id for h in book.match("I'd kill for pizza", policy).blocking] == []
        assert [h.rule_id for h in book.match("kill the lights", policy).blocking] == ["no-kill"]
