from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pytest
from numpy.typing import NDArray
from tests.unit.ml.evaluation.toy_sources import toy_source

from moderation.ml.data import LabelledText
from moderation.ml.evaluation import (
    FittedScorer,
    OodProtocol,
    ScorerFactory,
    TemplateSplit,
    TextObfuscator,
    TfidfBaseline,
)
from moderation.ml.vocabulary.category import Category

TOX, INS = Category.TOXICITY, Category.INSULT
CATEGORIES = tuple(Category)


class KeywordScorer:
    """Flags toxicity exactly when the literal word "idiot" is in a text."""

    categories: Sequence[Category] = CATEGORIES

    def threshold(self, category: Category) -> float:  # noqa: ARG002
        return 0.5

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        out = np.zeros((len(texts), len(CATEGORIES)))
        out[:, CATEGORIES.index(TOX)] = ["idiot" in t for t in texts]
        return out

    def decisions(self, texts: Sequence[str]) -> NDArray[np.bool_]:
        return self.probabilities(texts) >= 0.5

    def char_spans(self, texts: Sequence[str]) -> list[list[int]] | None:
        return [
            list(range(t.find("idiot"), t.find("idiot") + 5)) if "idiot" in t else [] for t in texts
        ]


@dataclass(frozen=True)
class Call:
    sources: set[str]
    augmentation: list[str]
    final: bool


@dataclass
class Spy:
    """A factory that records what each training call was given."""

    make: ScorerFactory
    calls: list[Call] = field(default_factory=list)

    def __call__(
        self,
        train: Sequence[LabelledText],
        validation: Sequence[LabelledText],
        augmentation: Sequence[LabelledText],
        final: bool,
    ) -> FittedScorer:
        sources = {e.source for e in [*train, *validation]}
        self.calls.append(Call(sources, [e.text for e in augmentation], final))
        return self.make(train, validation, augmentation, final)


def keyword_factory(*_args: object) -> FittedScorer:
    return KeywordScorer()


def run(examples: list[LabelledText], **options: object) -> tuple[Spy, OodProtocol]:
    spy = Spy(TfidfBaseline.factory())
    kwargs: dict[str, object] = {"suites": False, "obfuscation_per_fold": 0, **options}
    return spy, OodProtocol({"baseline": spy}, **kwargs)  # type: ignore[arg-type]


class TestOodProtocol:
    def test_one_fold_per_source_never_trained_on_its_own_source(
        self, toy_examples: list[LabelledText]
    ) -> None:
        spy, protocol = run(toy_examples)
        report = protocol.run(toy_examples)
        assert [f.source for f in report.folds] == ["chat", "forum", "news"]
        for fold, call in zip(report.folds, spy.calls, strict=True):
            assert fold.source not in call.sources
            assert call.sources == set(fold.training_sources)
            assert call.sources == {"chat", "forum", "news"} - {fold.source}
            assert call.final is False
            assert fold.test_texts == 40
        assert {r.source for r in report.loso} == {"chat", "forum", "news"}

    def test_rows_only_for_labelled_two_class_categories(
        self, toy_examples: list[LabelledText]
    ) -> None:
        _, protocol = run(toy_examples)
        report = protocol.run(toy_examples)
        pairs = {(r.source, r.category) for r in report.loso}
        # Insult is unknown (masked) outside the forum; spam is all 0 everywhere.
        assert pairs == {("chat", TOX), ("forum", TOX), ("forum", INS), ("news", TOX)}
        assert all(r.n == 40 and r.positives == 20 for r in report.loso)

    def test_held_out_sole_source_of_a_category_is_a_constant(
        self, toy_examples: list[LabelledText]
    ) -> None:
        _, protocol = run(toy_examples)
        report = protocol.run(toy_examples, hold_out=["forum"])
        insult = next(r for r in report.loso if r.category is INS)
        assert not insult.trained
        assert insult.roc_auc == 0.5
        assert insult.f1 == 0.0
        toxicity = next(r for r in report.loso if r.category is TOX)
        assert toxicity.trained
        assert toxicity.roc_auc > 0.9

    def test_a_constant_head_counts_as_untrained(self, toy_examples: list[LabelledText]) -> None:
        def constant(*_args: object) -> FittedScorer:
            scorer = KeywordScorer()
            scorer.probabilities = lambda texts: np.full((len(texts), len(CATEGORIES)), 0.2)  # type: ignore[method-assign]
            return scorer

        report = OodProtocol({"constant": constant}, suites=False, obfuscation_per_fold=0).run(
            toy_examples, hold_out=["chat"]
        )
        assert [(r.roc_auc, r.trained) for r in report.loso] == [(0.5, False)]

    def test_sources_restrict_the_data_and_hold_out_the_folds(
        self, toy_examples: list[LabelledText]
    ) -> None:
        spy, protocol = run(toy_examples)
        report = protocol.run(toy_examples, sources=["chat", "news"], hold_out=["news"])
        assert report.sources == ["chat", "news"]
        assert [f.source for f in report.folds] == ["news"]
        assert spy.calls[0].sources == {"chat"}

    def test_unknown_sources_are_refused(self, toy_examples: list[LabelledText]) -> None:
        _, protocol = run(toy_examples)
        with pytest.raises(ValueError, match="no examples from"):
            protocol.run(toy_examples, sources=["reddit"])
        with pytest.raises(ValueError, match="cannot hold out"):
            protocol.run(toy_examples, sources=["chat", "news"], hold_out=["forum"])

    def test_scorers_side_by_side(self, toy_examples: list[LabelledText]) -> None:
        protocol = OodProtocol(
            {"baseline": TfidfBaseline.factory(), "keyword": keyword_factory},
            suites=False,
            obfuscation_per_fold=0,
        )
        report = protocol.run(toy_examples)
        assert report.scorers == ["baseline", "keyword"]
        by_scorer = {s: [r for r in report.loso if r.scorer == s] for s in report.scorers}
        assert len(by_scorer["baseline"]) == len(by_scorer["keyword"]) == 4
        assert set(report.folds[0].seconds) == {"baseline", "keyword"}

    def test_obfuscation_retention_per_kind(self) -> None:
        examples = [*toy_source("chat", bad=("idiot",)), *toy_source("news", bad=("idiot",))]
        protocol = OodProtocol({"keyword": keyword_factory}, suites=False, obfuscation_per_fold=5)
        report = protocol.run(examples)
        kept = {o.kind: o for o in report.obfuscation}
        assert set(kept) == set(TextObfuscator.KINDS)
        # A literal keyword survives only the repeated letter that leaves it intact
        # ("iiidiot"); every other rewrite of the word hides it.
        assert kept["repeat"].retained == 1.0
        assert all(kept[k].retained == 0.0 for k in ("asterisk", "leet", "spacing", "homoglyph"))
        assert all(o.detected == 10 and o.clean == 10 for o in kept.values())
        assert all(o.false_positive_rise == 0.0 for o in kept.values())

    def test_suites_train_once_on_everything_with_held_out_templates(
        self, toy_examples: list[LabelledText]
    ) -> None:
        spy = Spy(TfidfBaseline.factory())
        protocol = OodProtocol({"baseline": spy}, obfuscation_per_fold=0, template_holdout=0.3)
        report = protocol.run(toy_examples, hold_out=["news"])
        final = spy.calls[-1]
        assert final.final is True
        assert final.sources == {"chat", "forum", "news"}
        held_out = TemplateSplit(0.3, 13)
        probes = held_out.probes(13)["held_out"]
        unseen = {e.text for texts in probes.values() for e in texts}
        assert unseen
        assert not unseen & set(final.augmentation)
        suite = report.suites[0]
        assert 0.0 <= suite.functional["overall"] <= 1.0
        assert "overall" in suite.templates_trained
        assert "overall" in suite.templates_held_out
        assert "final_score" in suite.bias
        assert suite.span_f1 is None  # no spans given, and the baseline marks none

    def test_span_f1_for_scorers_that_mark_spans(self, toy_examples: list[LabelledText]) -> None:
        posts = [("you idiot", list(range(4, 9))), ("fine day", [])]
        protocol = OodProtocol(
            {"keyword": keyword_factory}, obfuscation_per_fold=0, span_posts=posts
        )
        report = protocol.run(toy_examples, hold_out=["chat"])
        assert report.suites[0].span_f1 == 1.0

    def test_needs_a_scorer(self) -> None:
        with pytest.raises(ValueError, match="no scorers"):
            OodProtocol({})
