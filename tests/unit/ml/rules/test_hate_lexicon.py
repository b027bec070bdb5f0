"""Dehumanising phrasings and common antisemitic dog whistles in the built-in hate lexicon."""

import pytest

from moderation.domain.models import Category
from moderation.ml.rules import DefaultLexicon, TermMatcher


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(DefaultLexicon().rules(), trusted=True)


def hate_ids(matcher: TermMatcher, text: str) -> set[str]:
    return {
        h.rule_id
        for h in matcher.match_text(text)
        if h.action != "allow" and h.category is Category.HATE_SPEECH
    }


class TestDehumanisation:
    @pytest.mark.parametrize(
        ("text", "rule_id"),
        [
            ("You people are animals.", "group_people_are_vermin"),
            ("Immigrants are vermin and should be sent back.", "group_are_vermin"),
            ("Those people are parasites living off our taxes.", "group_people_are_vermin"),
            ("Muslims are a disease spreading through Europe.", "group_are_vermin"),
            ("refugees are cockroaches, all of them", "group_are_vermin"),
            ("Trans people are subhuman freaks.", "group_people_are_vermin"),
            ("Africans are nothing but monkeys.", "group_are_vermin"),
            ("gay people are an abomination", "group_people_are_vermin"),
            ("all the mexicans are just filthy savages", "group_are_vermin"),
            ("your kind is scum", "group_people_are_vermin"),
            ("disabled folks are a plague", "group_people_are_vermin"),
            ("men are rats, all of them", "group_are_vermin"),
            ("1mm1gr4nts are v3rmin", "group_are_vermin"),
            ("They're nothing but animals, every single one of them.", "they_are_vermin"),
            ("they are all subhuman", "they_are_vermin"),
            ("Refugees should all be exterminated.", "group_should_be_exterminated"),
            ("those people need to be wiped off the map", "group_people_should_be_exterminated"),
            ("Muslims must be wiped out", "group_should_be_exterminated"),
        ],
    )
    def test_dehumanising_phrases_hit(self, matcher: TermMatcher, text: str, rule_id: str) -> None:
        assert f"hate:{rule_id}" in hate_ids(matcher, text)

    @pytest.mark.parametrize(
        "benign",
        [
            "Calling immigrants 'animals' is dehumanising and it has to stop.",
            "Nazi propaganda portrayed Jews as vermin to justify the Holocaust.",
            "Rats are vermin and the council should deal with the bins.",
            "Ticks are parasites, so check your dog after every walk.",
            "Don't blame the bears, they're just animals looking for food.",
            "Humans are animals too, we just forget it.",
            "They are animals lovers, both of them volunteer at the shelter.",
            "Women are a majority of the nursing workforce.",
            "Immigrants are a big part of our town's history.",
            "The pests should be exterminated before the tenants move in.",
            # Quoted or reported, the claim is mentioned rather than made: the models judge.
            'Saying "immigrants are vermin" is disgusting.',
            "Writing 'all the Muslims are rats' got him banned, and rightly so.",
            "My uncle said refugees are a plague and I told him that is wrong.",
            "She claims that those people are parasites; the data says otherwise.",
        ],
    )
    def test_literal_and_reported_uses_do_not_hit(self, matcher: TermMatcher, benign: str) -> None:
        assert hate_ids(matcher, benign) == set()


class TestCodedAntisemitism:
    @pytest.mark.parametrize(
        ("text", "rule_id"),
        [
            ("(((They))) control everything, wake up.", "triple_parentheses"),
            ("the media is run by (((certain people)))", "triple_parentheses"),
            ("Hint: ((( them )))", "triple_parentheses"),
            ("The globalists control the banks and the media.", "jews_control_the_banks"),
            ("The Rothschilds own the central banks.", "jews_control_the_banks"),
            ("Jews control the media and Hollywood.", "jews_control_the_banks"),
            ("globalist bankers are behind every crisis", "jews_control_the_banks"),
            ("zionists secretly run the government", "jews_control_the_banks"),
            ("Another war, brought to you by the Rothschilds.", "brought_to_you_by"),
            ("a puppet of the international bankers", "brought_to_you_by"),
            ("The goyim know. Shut it down.", "goyim_know"),
            ("The Jewish question still needs an answer.", "jewish_question"),
            ("ZOG runs Washington", "zog"),
            ("the ones with the hooked noses", "hooked_noses"),
        ],
    )
    def test_dog_whistles_hit(self, matcher: TermMatcher, text: str, rule_id: str) -> None:
        assert f"hate:{rule_id}" in hate_ids(matcher, text)

    @pytest.mark.parametrize(
        "benign",
        [
            "The Rothschild family founded its first bank in Frankfurt in the 1760s.",
            "Central banks control interest rates to fight inflation.",
            "(defun f (x) (((lambda (y) y)) x))",
            "the function returns f(g(h(x))) for every x",
            "Jewish bankers and shopkeepers were persecuted across medieval Europe.",
            "Globalisation changed how banks work.",
            "a man with a hooked nose walked in",
        ],
    )
    def test_innocent_mentions_do_not_hit(self, matcher: TermMatcher, benign: str) -> None:
        assert hate_ids(matcher, benign) == set()

    def test_the_trope_is_flagged_even_when_quoted(self, matcher: TermMatcher) -> None:
        # Deliberate: an exception for "the claim that ..." would also pass "it is no myth
        # that ...", so counter-speech that repeats the trope goes to review.
        text = "The claim that Jews control the banks is an old conspiracy theory."
        assert "hate:jews_control_the_banks" in hate_ids(matcher, text)
