"""HateCheck-style functional tests written for this project (EVALUATION ONLY)."""

from collections.abc import Iterator, Mapping, Sequence

from moderation.ml.data import _functional_templates as templates
from moderation.ml.data._identity_groups import EVAL_GROUPS, fill
from moderation.ml.data.functional_case import FunctionalCase
from moderation.ml.vocabulary.category import Category


class FunctionalSuite:
    """About 550 cases over identity groups and known failure modes of text classifiers.

    Functionalities: neutral and positive identity mentions, negated hate, counter-speech,
    plain and dehumanising hate, threats (against groups, without swearing, implicit), insults,
    non-hateful profanity, reclaimed slurs, slur homonyms, everyday clean text, spam, sexual
    versus clinical language and obfuscated toxicity. Never train on these texts: the training
    generator (HardNegativeGenerator) uses disjoint frames, and a test checks it.
    """

    def __init__(self) -> None:
        cases: list[FunctionalCase] = []
        for functionality, (frames, expected) in templates.GROUP_FRAMES.items():
            for frame in frames:
                for group in EVAL_GROUPS:
                    text = fill(frame, group)
                    cases.append(FunctionalCase(text, functionality, dict(expected), group.key))
        for functionality, (texts, expected) in templates.LITERAL_CASES.items():
            cases.extend(FunctionalCase(t, functionality, dict(expected)) for t in texts)
        cases.extend(
            FunctionalCase(t, "obfuscated", dict(expected))
            for t, expected in templates.OBFUSCATED_CASES
        )
        self._cases = tuple(cases)

    @property
    def cases(self) -> tuple[FunctionalCase, ...]:
        """Every case, in a stable order."""
        return self._cases

    def __len__(self) -> int:
        return len(self._cases)

    def __iter__(self) -> Iterator[FunctionalCase]:
        return iter(self._cases)

    def functionalities(self) -> list[str]:
        """Functionality names in first-seen order."""
        return list(dict.fromkeys(case.functionality for case in self._cases))

    @staticmethod
    def frames() -> frozenset[str]:
        """Every template frame and literal text (to prove training data never reuses them)."""
        group_frames = {f for frames, _ in templates.GROUP_FRAMES.values() for f in frames}
        literals = {t for texts, _ in templates.LITERAL_CASES.values() for t in texts}
        obfuscated = {t for t, _ in templates.OBFUSCATED_CASES}
        return frozenset(group_frames | literals | obfuscated)

    def accuracy(self, predicted: Sequence[Mapping[Category, int]]) -> dict[str, float]:
        """Share of cases passed per functionality and "overall", from 0/1 decisions per case."""
        if len(predicted) != len(self._cases):
            raise ValueError(f"expected {len(self._cases)} predictions, got {len(predicted)}")
        totals: dict[str, list[int]] = {}
        for case, decision in zip(self._cases, predicted, strict=True):
            ok = case.passed(dict(decision))
            for name in (case.functionality, "overall"):
                totals.setdefault(name, [0, 0])
                totals[name][0] += ok
                totals[name][1] += 1
        return {name: hits / n for name, (hits, n) in totals.items()}
