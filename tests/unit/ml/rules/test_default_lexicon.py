import re

import pytest

from moderation.domain.models import Category
from moderation.ml.rules import DefaultLexicon, TermMatcher


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(DefaultLexicon().rules(), trusted=True)


def blocking(matcher: TermMatcher, text: str) -> set[tuple[str, Category]]:
    return {(h.rule_id, h.category) for h in matcher.match_text(text) if h.action != "allow"}


class TestDefaultLexicon:
    def test_lexicon_sizes_categories_and_unique_ids(self) -> None:
        rules = DefaultLexicon().rules()
        by_category: dict[Category, int] = {}
        for r in rules:
            by_category[r.category] = by_category.get(r.category, 0) + 1
        assert by_category[Category.PROFANITY] >= 150 + 50  # profanity plus the allow-list
        assert by_category[Category.SEXUAL] >= 100
        assert by_category[Category.HATE_SPEECH] >= 80
        assert by_category[Category.THREAT] >= 10
        assert len({r.id for r in rules}) == len(rules)
        assert {r.action for r in rules} == {"flag", "allow"}
        assert all(re.compile(r.pattern) for r in rules if r.kind == "regex")

    def test_selected_lexicons_and_reclaimable_slurs(self) -> None:
        slurs = DefaultLexicon(["slurs"])
        assert {r.category for r in slurs.rules()} == {Category.HATE_SPEECH}
        assert {"slurs:queer", "slurs:dyke", "slurs:nigga"} <= slurs.reclaimable_ids()
        assert "slurs:faggot" not in slurs.reclaimable_ids()
        assert DefaultLexicon(["threats"]).reclaimable_ids() == frozenset()
        with pytest.raises(ValueError, match="unknown lexicons"):
            DefaultLexicon(["nope"])

    def test_hate_and_idiom_lexicons(self) -> None:
        hate = DefaultLexicon(["hate"]).rules()
        assert {(r.category, r.action) for r in hate} == {(Category.HATE_SPEECH, "flag")}
        idioms = DefaultLexicon(["idioms"]).rules()
        assert {r.action for r in idioms} == {"allow"}
        assert all(r.id.startswith("idioms:") for r in idioms)
        assert {"hate", "idioms"} <= set(DefaultLexicon().names)

    @pytest.mark.parametrize(
        "threat",
        [
            "I will kill you",
            "i'm gonna fucking murder u",
            "you're dead",
            "ur going to die tonight",
            "I'll find you",
            "i will hunt you down",
            "we will burn your house",
            "I know where you live",
            "kill yourself",
            "kys",
            "i'll slit your throat",
            "you deserve to die",
        ],
    )
    def test_threat_phrases_hit(self, matcher: TermMatcher, threat: str) -> None:
        assert Category.THREAT in {c for _, c in blocking(matcher, threat)}

    @pytest.mark.parametrize(
        "benign",
        [
            "I would never hurt you",
            "I will never kill you",
            "I'll shoot you a message later",
            "you are dead wrong about that",
            "this joke is killing me",
            "I will find the answer",
        ],
    )
    def test_benign_sentences_are_not_threats(self, matcher: TermMatcher, benign: str) -> None:
        assert Category.THREAT not in {c for _, c in blocking(matcher, benign)}

    @pytest.mark.parametrize(
        ("text", "rule_id"),
        [
            ("you stupid f*cking idiot", "profanity:fucking"),
            ("total bullsh1t", "profanity:bullshit"),
            ("send nudes", "sexual:send_nudes"),
            ("what a f@ggot", "slurs:faggot"),
            ("you r3tard", "slurs:retard"),
        ],
    )
    def test_listed_terms_hit_through_disguises(
        self, matcher: TermMatcher, text: str, rule_id: str
    ) -> None:
        assert rule_id in {i for i, _ in blocking(matcher, text)}

    @pytest.mark.parametrize(
        "innocent",
        [
            "Scunthorpe and Penistone",
            "a cocktail party in Middlesex",
            "graduated magna cum laude",
            "Homo sapiens evolved",
            "my Maine Coon and the raccoon",
            "Assassin's Creed is a game",
            "we need to assess the risk",
            "shiitake and pussy willow",
            "see you xx",
        ],
    )
    def test_allow_list_and_boundaries_protect_innocent_text(
        self, matcher: TermMatcher, innocent: str
    ) -> None:
        assert blocking(matcher, innocent) == set()
