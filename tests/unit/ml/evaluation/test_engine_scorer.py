from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from tests.unit.ml.evaluation.toy_sources import INS, TOX, toy_source

from moderation.ml.data import LabelledText
from moderation.ml.evaluation import EngineScorer
from moderation.ml.training import TrainingConfig
from moderation.ml.vocabulary.category import Category


@pytest.fixture(scope="module")
def scorer(tmp_path_factory: pytest.TempPathFactory) -> EngineScorer:
    examples = [*toy_source("chat", n=60), *toy_source("forum", n=60, labels=(TOX, INS))]
    config = TrainingConfig(
        data_dir=tmp_path_factory.mktemp("no-data"),
        out_dir=Path("ignored"),
        word_bits=12,
        char_bits=12,
        semantic=False,
        spans=False,
    )
    return EngineScorer.train(
        [e for e in examples if e.split == "train"],
        [e for e in examples if e.split == "validation"],
        config,
    )


class TestEngineScorer:
    def test_ranks_an_unseen_source(self, scorer: EngineScorer) -> None:
        test = toy_source("news", seed=3)
        p = scorer.probabilities([e.text for e in test])
        assert p.shape == (len(test), len(scorer.categories))
        column = list(scorer.categories).index(TOX)
        assert roc_auc_score([e.labels[TOX] for e in test], p[:, column]) > 0.9

    def test_flags_at_the_default_policy_threshold(self, scorer: EngineScorer) -> None:
        assert scorer.threshold(TOX) == 0.3
        texts = ["what a idiot day, game", "what a lovely day, book"]
        decided = scorer.decisions(texts)
        assert decided.shape == (2, len(scorer.categories))
        assert decided.dtype == np.bool_

    def test_rule_hits_count_as_decisions(self, scorer: EngineScorer) -> None:
        # The built-in lexicon flags sexual terms whatever the heads learned from toy data.
        column = list(scorer.categories).index(Category.SEXUAL)
        assert scorer.decisions(["watch free porn videos here"])[0, column]

    def test_no_span_tagger_means_no_spans(self, scorer: EngineScorer) -> None:
        assert scorer.char_spans(["what a idiot day"]) is None

    def test_factory_adds_the_augmentation(self, tmp_path: Path) -> None:
        train = toy_source("chat", n=30)
        extra = [LabelledText("have a lovely calm day", {TOX: 0}, "hard_negative", "train")]
        make = EngineScorer.factory(tmp_path, seed=1)
        made = make(train, toy_source("news", n=10), extra, True)
        assert isinstance(made, EngineScorer)
        manifest = made.engine.bundle.manifest
        assert manifest.training["sources"]["hard_negative"]["train"] == 1
        assert not manifest.has_span_tagger  # no toxic_spans files under tmp_path


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, frozenset[str]]:
    from tests.unit.ml.embeddings.tiny_export import write_tiny_export

    full = write_tiny_export(tmp_path_factory.mktemp("full"))
    without_news = write_tiny_export(tmp_path_factory.mktemp("no-news"), seed=1)
    return {full: frozenset(), without_news: frozenset({"news"})}


class TestFinetunedFactory:
    def _split(self) -> tuple[list[LabelledText], list[LabelledText]]:
        examples = [*toy_source("chat", n=40), *toy_source("forum", n=40, labels=(TOX, INS))]
        return (
            [e for e in examples if e.split == "train"],
            [e for e in examples if e.split == "validation"],
        )

    def test_a_fold_uses_the_export_that_never_saw_its_source(
        self, tmp_path: Path, exports: dict[Path, frozenset[str]]
    ) -> None:
        train, validation = self._split()
        make = EngineScorer.finetuned_factory(tmp_path, exports, ["chat", "forum", "news"])
        made = make(train, validation, [], False)
        assert isinstance(made, EngineScorer)
        engine = made.engine
        assert engine.has_semantic_tier
        assert engine.bundle.manifest.has_finetuned_tier
        p = made.probabilities(["you are an idiot", "have a nice day"])
        assert p.shape == (2, len(made.categories))

    def test_a_fold_without_an_honest_export_is_refused(
        self, tmp_path: Path, exports: dict[Path, frozenset[str]]
    ) -> None:
        # Holding out "forum": only the full export exists for it, and it saw forum.
        examples = [*toy_source("chat", n=40), *toy_source("news", n=40)]
        make = EngineScorer.finetuned_factory(tmp_path, exports, ["chat", "forum", "news"])
        with pytest.raises(ValueError, match="left out \\['forum'\\]"):
            make(
                [e for e in examples if e.split == "train"],
                [e for e in examples if e.split == "validation"],
                [],
                False,
            )

    def test_the_final_model_needs_an_export_that_left_nothing_out(
        self, tmp_path: Path, exports: dict[Path, frozenset[str]]
    ) -> None:
        train, validation = self._split()
        partial = {d: s for d, s in exports.items() if s}
        make = EngineScorer.finetuned_factory(tmp_path, partial, ["chat", "forum"])
        with pytest.raises(ValueError, match="left nothing out"):
            make(train, validation, [], True)
