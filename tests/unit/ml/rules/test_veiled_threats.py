"""Veiled threats in the built-in threat lexicon: the menace is implied, not spelled out."""

import pytest

from moderation.domain.models import Category
from moderation.ml.rules import DefaultLexicon, TermMatcher


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(DefaultLexicon().rules(), trusted=True)


def threat_ids(matcher: TermMatcher, text: str) -> set[str]:
    return {
        h.rule_id
        for h in matcher.match_text(text)
        if h.action != "allow" and h.category is Category.THREAT
    }


class TestVeiledThreats:
    @pytest.mark.parametrize(
        ("text", "rule_id"),
        [
            ("Keep talking and see what happens to you tomorrow.", "see_what_happens"),
            ("Say that again and see what happens.", "see_what_happens"),
            ("say it to my face, and you'll see what happens", "see_what_happens"),
            ("Keep it up and you'll find out what happens to snitches.", "see_what_happens"),
            ("touch my sister again & see what happens", "see_what_happens"),
            ("try me and see what happens", "see_what_happens"),
            ("I know where your kids go to school.", "i_know_where_you_live"),
            ("I know where your family lives.", "i_know_where_you_live"),
            ("we know where you work", "i_know_where_you_live"),
            ("i know where ur wife works", "i_know_where_you_live"),
            ("I know where you live", "i_know_where_you_live"),
            ("You'll regret this, I promise you that.", "you_will_pay"),
            ("You're going to regret crossing me.", "you_will_pay"),
            ("you will regret the day you met me", "you_will_pay"),
            ("You will pay for what you said.", "you_will_pay"),
            ("You deserve what's coming to you.", "deserve_whats_coming"),
            ("you people are animals and deserve what is coming", "deserve_whats_coming"),
            ("you'll get what's coming", "deserve_whats_coming"),
            (
                "It would be a shame if something happened to your daughter.",
                "shame_if_something_happened",
            ),
            ("Nice house. Would be terrible if it caught fire.", "shame_if_something_happened"),
            ("shame if your shop burned down", "shame_if_something_happened"),
            ("Watch your back.", "watch_your_back"),
            ("Sleep with one eye open.", "watch_your_back"),
            ("Your days are numbered.", "watch_your_back"),
        ],
    )
    def test_veiled_threats_hit(self, matcher: TermMatcher, text: str, rule_id: str) -> None:
        assert f"threats:{rule_id}" in threat_ids(matcher, text)

    @pytest.mark.parametrize(
        "benign",
        [
            # Advice and curiosity share the words but threaten no one.
            "Don't buy the cheap version, you'll regret it.",
            "Let's wait and see what happens after the election.",
            "Restart the router, try it again and see what happens.",
            "Keep it up and you'll see results within a month!",
            "I wonder what happens to the leftovers after the party.",
            "You'll pay for it in the long run if you skip maintenance.",
            "It would be a shame if it rained on their wedding day.",
            "The villain finally got what he deserved.",
            "I know where your keys are, they're on the table.",
            "Do you know where you live? Fill in the address field.",
            "I'll watch your bag while you grab coffee.",
            "you'll regret ever buying that printer",
        ],
    )
    def test_look_alikes_are_not_threats(self, matcher: TermMatcher, benign: str) -> None:
        assert threat_ids(matcher, benign) == set()

    def test_disguises_are_decoded(self, matcher: TermMatcher) -> None:
        assert "threats:see_what_happens" in threat_ids(
            matcher, "s4y th4t ag4in and see wh4t happens"
        )
        assert "threats:i_know_where_you_live" in threat_ids(
            matcher, "I  KNOW  WHERE  YOUR  KIDS  GO  TO  SCHOOL"
        )
