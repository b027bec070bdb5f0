import numpy as np
import pytest
from sklearn.metrics import roc_auc_score
from tests.unit.ml.evaluation.toy_sources import toy_source

from moderation.ml.data import LabelledText
from moderation.ml.evaluation import TfidfBaseline
from moderation.ml.vocabulary.category import Category

TOX, INS, THR = Category.TOXICITY, Category.INSULT, Category.THREAT


class TestTfidfBaseline:
    def test_learns_a_separable_problem(self) -> None:
        baseline = TfidfBaseline().fit(toy_source("train", n=60))
        test = toy_source("test", n=40, seed=1)
        p = baseline.probabilities([e.text for e in test])[:, list(Category).index(TOX)]
        y = [e.labels[TOX] for e in test]
        assert roc_auc_score(y, p) > 0.9

    def test_category_nobody_labels_scores_nan_and_never_flags(self) -> None:
        baseline = TfidfBaseline().fit(toy_source("train"))
        texts = ["what a idiot day", "what a lovely day"]
        column = list(Category).index(THR)
        assert np.isnan(baseline.probabilities(texts)[:, column]).all()
        assert not baseline.decisions(texts)[:, column].any()
        assert THR not in baseline.trained_categories

    def test_masked_rows_stay_out_of_a_head(self) -> None:
        # Insult is known only on the forum rows: the chat rows' toxic words must not become
        # insult negatives, so the head is fit on forum rows alone and still separates them.
        examples = [*toy_source("chat"), *toy_source("forum", labels=(TOX, INS))]
        baseline = TfidfBaseline().fit(examples)
        assert {TOX, INS} <= baseline.trained_categories
        forum = [e for e in examples if e.source == "forum"]
        p = baseline.probabilities([e.text for e in forum])[:, list(Category).index(INS)]
        assert roc_auc_score([e.labels[INS] for e in forum], p) > 0.9

    def test_decisions_cut_at_one_half(self) -> None:
        baseline = TfidfBaseline().fit(toy_source("train", n=60))
        texts = [e.text for e in toy_source("test", seed=2)]
        with np.errstate(invalid="ignore"):
            expected = baseline.probabilities(texts) >= 0.5
        assert (baseline.decisions(texts) == expected).all()
        assert baseline.threshold(TOX) == 0.5

    def test_marks_no_spans(self) -> None:
        assert TfidfBaseline().fit(toy_source("train")).char_spans(["x"]) is None

    def test_needs_fitting_and_examples(self) -> None:
        with pytest.raises(RuntimeError):
            TfidfBaseline().probabilities(["text"])
        with pytest.raises(ValueError, match="no training examples"):
            TfidfBaseline().fit([])

    def test_factory_fits_on_the_train_split_only(self) -> None:
        train = toy_source("train")
        poison = [LabelledText("zzz unseen", {TOX: 1}, "val", "validation")]
        scorer = TfidfBaseline.factory()(train, poison, poison, False)
        assert isinstance(scorer, TfidfBaseline)
        # A word only the validation rows hold never made it into the vocabulary.
        assert np.isclose(scorer.probabilities(["zzz"])[0, 0], scorer.probabilities(["qqq"])[0, 0])
