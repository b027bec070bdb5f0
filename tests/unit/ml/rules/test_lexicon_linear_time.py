"""The built-in regex rules run on Python's `re`, so each must stay linear in the text.

Each text opens with a literal of every regex rule, so that the literal gate (see
_regex_gate) lets all of them run, then repeats a unit that stops just short of a match of
the veiled-threat, hate or idiom rules, the input that makes a backtracking pattern retry
most. Bounds are generous (the suite shares its cores): a quadratic pattern
would miss them by orders of magnitude.
"""

import time

import pytest

from moderation.ml.rules import DefaultLexicon, TermMatcher, _regex_gate

UNITS = [
    "you people are all just nothing but ",
    "immigrants are like a bunch of filthy ",
    "all the refugees are literally basically ",
    "they're all nothing but filthy ",
    "those people should all be ",
    "disabled people are like a bunch of ",
    "my uncle said that all the ",
    "'all the immigrants are just ",
    "(((",
    "((( aaaa ",
    "(((" + "a" * 50,
    "the jews who really control the ",
    "globalist bankers secretly run ",
    "brought to you by the international ",
    "puppets of the ",
    "hooked hook-",
    "i know where your kids go to ",
    "we know where you ",
    "keep talking , and you'll see what ",
    "say that again!!! and find out what ",
    "see what happens to ",
    "and deserve what ",
    "shame if something happened ",
    "terrible if your house caught ",
    "you're going to regret ever ",
    "you will pay for ",
    "i would literally kill ",
    "this heat is literally killing ",
    "my boss is going to kill ",
    "i'm going to destroy you in the next ",
    "shoot me a quick ",
    "dying to ",
    "a big fat to die ",
    "is to die ",
    "i'd literally die ",
]


def _opener() -> str:
    """One literal of every gated regex rule, so that every rule runs on every test text."""
    words = set()
    for rule in DefaultLexicon().rules():
        literals = _regex_gate.required_literals(rule.pattern) if rule.kind == "regex" else None
        if literals:
            words.add(min(literals))
    return " . ".join(sorted(words)) + " . "


OPENER = _opener()


@pytest.fixture(scope="module")
def matcher() -> TermMatcher:
    matcher = TermMatcher(DefaultLexicon().rules(), trusted=True)
    matcher.match_text("warm up")
    return matcher


def seconds(matcher: TermMatcher, text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        matcher.match_text(text)
        best = min(best, time.process_time() - started)
    return best


class TestLexiconLinearTime:
    @pytest.mark.parametrize("unit", UNITS)
    def test_near_misses_take_linear_time(self, matcher: TermMatcher, unit: str) -> None:
        short = seconds(matcher, OPENER + unit * (10_000 // len(unit)))
        long = seconds(matcher, OPENER + unit * (40_000 // len(unit)))
        # Four times the text: about four times the time (quadratic would be sixteen).
        # Best of three runs each, and a floor, so a busy machine cannot fail a linear rule.
        assert long < max(10 * short, 0.5), (short, long)
        assert long < 3.0, long

    @pytest.mark.parametrize(
        "text",
        [
            "a " + "b" * 40_000 + " to die",
            "(((" + "a" * 40_000 + ")))",
            "you people are " + "all " * 10_000 + "animals",
            "i know where your " + "kids " * 8_000,
            "see what happens to " * 2_000,
        ],
    )
    def test_long_runs_are_fast(self, matcher: TermMatcher, text: str) -> None:
        assert seconds(matcher, OPENER + text, repeat=2) < 2.0

    def test_hits_are_still_found_after_a_long_near_miss(self, matcher: TermMatcher) -> None:
        text = "you people are all just " * 1_000 + "those people are vermin"
        assert "hate:group_people_are_vermin" in {h.rule_id for h in matcher.match_text(text)}
        text = "immigrants are like a bunch of " * 1_000 + "immigrants are rats"
        assert "hate:group_are_vermin" in {h.rule_id for h in matcher.match_text(text)}
