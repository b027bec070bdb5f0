"""Tenant term rules are bounded and their regexes are ones RE2 runs in linear time."""

import time
from typing import Any

import pytest
from pydantic import ValidationError

from moderation.domain.models import Category, TermRule
from moderation.domain.policy import ModerationPolicy
from moderation.ml.policy.moderation_policy import (
    MAX_REGEX_RULES,
    MAX_RULES,
    MAX_TERM_LENGTH,
    MAX_TOTAL_PATTERN_CHARS,
)
from moderation.ml.vocabulary._regex_safety import compile_regex


def regex(pattern: str, rule_id: str = "r") -> dict[str, Any]:
    return {"id": rule_id, "pattern": pattern, "kind": "regex", "category": "spam"}


def word(pattern: str, rule_id: str) -> dict[str, Any]:
    return {"id": rule_id, "pattern": pattern, "kind": "word", "category": "insult"}


def _size(rules: list[dict[str, Any]]) -> int:
    return sum(len(rule["pattern"]) for rule in rules)


def refusal(rules: list[dict[str, Any]]) -> tuple[tuple[str | int, ...], str]:
    with pytest.raises(ValidationError) as caught:
        ModerationPolicy.model_validate({"term_rules": rules})
    [error] = caught.value.errors()
    return error["loc"], error["msg"]


class TestRefusedRegexes:
    @pytest.mark.parametrize(
        ("pattern", "why"),
        [
            (r"(?>(\w+)+!)", "atomic groups"),
            (r"(a{1,30}){1,30}$", "too complex"),
            (r"\b(\w+) \1\b", "backreferences"),
            (r"(?P<w>\w+) (?P=w)", "named backreferences"),
            (r"kill(?! time)", "lookaround"),
            (r"(?<=buy )now", "lookaround"),
            (r"a++b", "possessive"),
            (r"\w{2}+", "possessive"),
            (r"end\Z", r"write \z"),
            (r"(?x) a b", "verbose"),
            (r"x*", "empty string"),
            (r"\b|\bfoo", "empty string"),
            (r"[unclosed", "invalid regex"),
            ("a" * 301, "at most 300"),
        ],
    )
    def test_refusal_names_the_rule_its_pattern_and_the_reason(
        self, pattern: str, why: str
    ) -> None:
        location, message = refusal([word("fine", "ok"), regex(pattern, "bad-one")])

        assert location == ("term_rules", 1)
        assert "'bad-one'" in message
        assert f"`{pattern}`" in message
        assert why in message

    @pytest.mark.parametrize(
        "pattern",
        [r"(\w|\w\w)+$", r"(a|aa)+$", r"\w*a\w*b\w*c", r"(.*a){20}", r"((((a*)*)*)*)*b"],
    )
    def test_backtracking_bombs_that_re2_accepts_run_in_linear_time(self, pattern: str) -> None:
        # Python's `re` needs 2.5 s for (\w|\w\w)+$ on 32 characters, doubling per character,
        # and \w*a\w*b\w*c is cubic: on these 20,000 characters it would not finish today.
        policy = ModerationPolicy.model_validate({"term_rules": [regex(pattern)]})
        compiled = compile_regex(policy.term_rules[0].pattern)
        texts = ["a" * 19_999 + "!", "ab" * 10_000, "a" * 20_000]

        started = time.process_time()
        for text in texts:
            list(compiled.finditer(text.encode()))
        assert time.process_time() - started < 1.0

    def test_refused_regexes_are_refused_wherever_a_policy_is_loaded(self) -> None:
        # A policy file for `moderation score --policy`, or a stored document, is parsed alike.
        document = '{"term_rules": [{"id": "x", "pattern": "(\\\\w+)\\\\1", "kind": "regex", '
        document += '"category": "spam"}]}'

        with pytest.raises(ValidationError, match="backreferences"):
            ModerationPolicy.model_validate_json(document)

    def test_the_built_in_lexicon_model_still_accepts_trusted_lookaround(self) -> None:
        # TermRule alone is not a tenant's rule: the shipped threat patterns use lookahead.
        rule = TermRule(id="t", pattern=r"dead(?! tired)", kind="regex", category=Category.THREAT)
        assert rule.pattern == r"dead(?! tired)"


class TestPolicyCaps:
    def test_ten_thousand_rules_are_refused_naming_the_limit(self) -> None:
        location, message = refusal([word(f"w{i}", f"id{i}") for i in range(10_000)])

        assert location == ("term_rules",)
        assert f"at most {MAX_RULES} term rules, not 10000" in message

    def test_regex_rules_have_their_own_cap(self) -> None:
        rules = [regex(rf"spam{i}\d+", f"r{i}") for i in range(MAX_REGEX_RULES + 1)]
        assert f"at most {MAX_REGEX_RULES} regex rules" in refusal(rules)[1]

    def test_total_pattern_size_is_capped(self) -> None:
        rules = [word("x" * 190 + f"{i:04d}", f"w{i}") for i in range(400)]
        location, message = refusal(rules)
        assert location == ("term_rules",)
        assert f"the limit is {MAX_TOTAL_PATTERN_CHARS}" in message

    def test_long_terms_are_refused(self) -> None:
        location, message = refusal([word("a" * (MAX_TERM_LENGTH + 1), "long")])
        assert location == ("term_rules", 0)
        assert f"at most {MAX_TERM_LENGTH} characters" in message

    def test_total_regex_program_is_capped(self) -> None:
        # Each is accepted alone (about 1,200 instructions); thirty of them are too many.
        rules = [regex(rf"\pL+{i}", f"r{i}") for i in range(30)]
        assert "RE2 instructions in all" in refusal(rules)[1]

    def test_a_policy_at_the_caps_is_accepted(self) -> None:
        words = [word(f"term{i:04d}", f"w{i}") for i in range(MAX_RULES - 100)]
        regexes = [regex(rf"\bpromo{i}\w*\s+(?:now|today)\b", f"r{i}") for i in range(100)]
        for i in range(MAX_TOTAL_PATTERN_CHARS - _size(words + regexes)):
            words[i % len(words)]["pattern"] += "x"

        policy = ModerationPolicy.model_validate({"term_rules": words + regexes})

        assert len(policy.term_rules) == MAX_RULES
        assert sum(len(rule.pattern) for rule in policy.term_rules) == MAX_TOTAL_PATTERN_CHARS
