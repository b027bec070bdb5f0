import pytest

from moderation.domain.models import Category, TermRule
from moderation.ml.rules import RuleHit, TermMatcher
from moderation.ml.text import TextNormalizer


def rule(pattern: str, kind: str = "word", action: str = "flag", **extra: str) -> TermRule:
    category = extra.get("category", "profanity")
    return TermRule.model_validate(
        {
            "id": extra.get("id", pattern),
            "pattern": pattern,
            "kind": kind,
            "category": category,
            "action": action,
        }
    )


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    return TermMatcher(
        [
            rule("fuck"),
            rule("sex", category="sexual"),
            rule("cunt"),
            rule("ass"),
            rule("asshole"),
            rule("shit"),
            rule("kill yourself", "phrase", category="threat"),
            rule("dick"),
            rule("moby dick", "phrase", "allow", id="allow-moby"),
            rule("scunthorpe", action="allow", id="allow-scunthorpe"),
            rule(r"\bi(?:'ll| will) kill (?:you|u)\b", "regex", "reject", category="threat"),
        ]
    )


class TestTermMatcher:
    @pytest.mark.parametrize(
        "disguised",
        [
            "fuck",
            "FUCK",
            "f4ck",
            "f*ck",
            "fvck",
            "ｆｕｃｋ",
            "f u c k",
            "f.u.c.k",
            "f-u-c-k",
            "f_u_c_k",
            "fuuuuck",
            "fսck",
            "fuсk",
            "f\u200buck",
            "𝐟𝐮𝐜𝐤",
        ],
    )
    def test_disguised_word_hits_with_the_original_span(
        self, matcher: TermMatcher, disguised: str
    ) -> None:
        text = f"oh {disguised}!"
        hits = matcher.match_text(text)
        assert [(h.rule_id, h.text) for h in hits] == [("fuck", disguised)]
        assert text[hits[0].start : hits[0].end] == disguised

    def test_repeated_letters_and_leet_inside_other_terms(self, matcher: TermMatcher) -> None:
        assert [h.text for h in matcher.match_text("sexx and s3x and $ex")] == [
            "sexx",
            "s3x",
            "$ex",
        ]
        assert [h.rule_id for h in matcher.match_text("you a$$hole")] == ["asshole"]
        assert [h.rule_id for h in matcher.match_text("sh!t, 5hit, $h1t")] == ["shit"] * 3

    @pytest.mark.parametrize(
        "innocent",
        [
            "Scunthorpe United won",
            "a cocktail in Essex",
            "the class passed the assessment",
            "we were assassins",
            "in 2024 it cost 455 dollars",
            "shiitake mushrooms",
            "the sextant and sussex",
            "**** this",
        ],
    )
    def test_word_boundaries_keep_innocent_words_clean(
        self, matcher: TermMatcher, innocent: str
    ) -> None:
        assert [h for h in matcher.match_text(innocent) if h.action != "allow"] == []

    def test_allow_rules_win_on_overlapping_spans(self, matcher: TermMatcher) -> None:
        hits = matcher.match_text("I read Moby Dick, what a dick")
        assert [(h.rule_id, h.action, h.text) for h in hits] == [
            ("allow-moby", "allow", "Moby Dick"),
            ("dick", "flag", "dick"),
        ]
        assert hits[1].start == len("I read Moby Dick, what a ")

    def test_allow_rules_drop_only_the_hits_they_contain(self) -> None:
        matcher = TermMatcher(
            [
                rule("moby dick", "phrase", "allow", id="allow-moby"),
                rule("dick", id="dick"),
                rule("dick head", "phrase", id="dick-head"),
            ]
        )
        hits = matcher.match_text("Moby Dick head")
        # "dick" lies inside the allowed title; "dick head" reaches past it, so it stands.
        assert [(h.rule_id, h.text) for h in hits] == [
            ("allow-moby", "Moby Dick"),
            ("dick-head", "Dick head"),
        ]

    def test_phrases_and_regex_rules(self, matcher: TermMatcher) -> None:
        hits = matcher.match_text("just k1ll   yourself. I'll kill u")
        assert [(h.rule_id, h.category, h.action, h.text) for h in hits] == [
            ("kill yourself", Category.THREAT, "flag", "k1ll   yourself"),
            (r"\bi(?:'ll| will) kill (?:you|u)\b", Category.THREAT, "reject", "I'll kill u"),
        ]

    def test_same_term_in_several_rules_hits_each(self) -> None:
        matcher = TermMatcher([rule("cock", id="p"), rule("cock", id="s", category="sexual")])
        hits = matcher.match_text("what a c0ck")
        assert {(h.rule_id, h.category) for h in hits} == {
            ("p", Category.PROFANITY),
            ("s", Category.SEXUAL),
        }

    def test_tenant_regex_rules_run_on_re2_with_python_offsets(self) -> None:
        matcher = TermMatcher(
            [
                rule(r"\d{5,}", "regex", id="digits", category="spam"),
                rule(r"(?i)BUY NOW", "regex", id="flags", category="spam"),
                rule(r"caf\pL", "regex", id="unicode", category="spam"),
            ]
        )
        text = "no no no, call 123456 and buy now at the Ｃafé"
        hits = matcher.match_text(text)
        assert [(h.rule_id, h.text) for h in hits] == [
            ("digits", "123456"),
            ("flags", "buy now"),
            ("unicode", "Ｃafé"),
        ]
        assert text[hits[2].start : hits[2].end] == "Ｃafé"

    def test_tenant_regexes_with_backtracking_features_are_refused(self) -> None:
        with pytest.raises(ValueError, match="backreferences"):
            TermMatcher([rule(r"\b(\w+) \1 \1\b", "regex", id="triple")])

    def test_trusted_regexes_keep_python_features(self) -> None:
        matcher = TermMatcher(
            [
                rule(r"\b(\w+) \1 \1\b", "regex", id="triple"),
                rule(r"\bcall(?! me)\b", "regex", id="call", category="spam"),
            ],
            trusted=True,
        )
        hits = matcher.match_text("no no no, call me, call 123456")
        assert [(h.rule_id, h.text) for h in hits] == [("triple", "no no no"), ("call", "call")]

    def test_many_terms_compile_into_one_matcher(self) -> None:
        words = [f"zq{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}x{i}" for i in range(2000)]
        matcher = TermMatcher([rule(w, id=w) for w in words] + [rule("fuck")])
        assert [h.rule_id for h in matcher.match_text("zqbax1 and f4ck")] == ["zqbax1", "fuck"]

    def test_hits_convert_to_domain_spans(self, matcher: TermMatcher) -> None:
        hit = matcher.match_text("oh shit")[0]
        assert isinstance(hit, RuleHit)
        span = hit.as_span()
        assert (span.start, span.end, span.category, span.source) == (
            3,
            7,
            Category.PROFANITY,
            "rule:shit",
        )

    def test_accepts_pre_normalised_text_and_empty_rule_sets(self) -> None:
        normalized = TextNormalizer().normalize("f u c k")
        assert TermMatcher([]).match(normalized) == []
        assert [h.text for h in TermMatcher([rule("fuck")]).match(normalized)] == ["f u c k"]
