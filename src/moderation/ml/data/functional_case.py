"""One functional test: a text, the behaviour it probes and the labels a correct model gives."""

from dataclasses import dataclass

from moderation.ml.vocabulary.category import Category


@dataclass(frozen=True, slots=True)
class FunctionalCase:
    """`expected` lists only the categories this case asserts (0/1); others are not judged.

    `group` is the identity group key filled into the template, None for literal cases.
    """

    text: str
    functionality: str
    expected: dict[Category, int]
    group: str | None = None

    def passed(self, predicted: dict[Category, int]) -> bool:
        """True when every asserted category matches the predicted 0/1 decision."""
        return all(predicted.get(c) == v for c, v in self.expected.items())
