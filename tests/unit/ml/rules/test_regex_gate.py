import pytest

from moderation.ml.rules._regex_gate import required_literals


class TestRequiredLiterals:
    @pytest.mark.parametrize(
        ("pattern", "expected"),
        [
            (r"\bi(?:'ll| will)\s+(?:kill|hurt)\s+you\b", {"kill", "hurt"}),
            (r"\bkys\b", {"kys"}),
            (r"(?:burn|torch) (?:your|ur) house", {" house"}),
            (r"(?i)BUY NOW", {"buy now"}),
            (r"(?:kill|kys)", {"ill", "ys"}),
            (r"[a-z]+ x", {" x"}),
        ],
    )
    def test_finds_literals_every_match_contains(self, pattern: str, expected: set[str]) -> None:
        assert required_literals(pattern) == frozenset(expected)

    @pytest.mark.parametrize("pattern", [r"\d{5,}", r"a*", r"(?:kill|)", r"[a-z]+ [xy]", "("])
    def test_gives_up_when_nothing_can_be_proven(self, pattern: str) -> None:
        assert required_literals(pattern) is None
