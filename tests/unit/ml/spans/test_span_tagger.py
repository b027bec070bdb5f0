import csv
import json
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from moderation.domain.models import Category
from moderation.ml.spans import SpanTagger, TokenFeaturizer
from moderation.ml.spans._toxic_spans_io import read_tsd_csv
from moderation.ml.spans.span_tagger import JSON_NAME, NPZ_NAME

TOXIC = "Honestly you are a stupid idiot and everyone here knows it."


@pytest.fixture(scope="module")
def train_slice(training_data_dir: Path) -> tuple[list[str], list[list[int]]]:
    """The posts of the committed sample of the SemEval-2021 toxic spans training file."""
    texts, offsets = read_tsd_csv(training_data_dir / "toxic_spans" / "tsd_train.csv")
    return texts[:400], offsets[:400]


@pytest.fixture(scope="module")
def tagger(train_slice: tuple[list[str], list[list[int]]]) -> SpanTagger:
    texts, offsets = train_slice
    return SpanTagger.train(texts, offsets, seed=0, featurizer=TokenFeaturizer(n_features=2**16))


class TestSpanTagger:
    def test_spans_cover_the_toxic_word(self, tagger: SpanTagger) -> None:
        spans = tagger.predict_spans(TOXIC)
        idiot = TOXIC.index("idiot")
        assert any(a <= idiot and idiot + 5 <= b for a, b in spans)
        assert not any(a <= TOXIC.index("everyone") < b for a, b in spans)

    def test_token_probabilities_rank_the_insult_first(self, tagger: SpanTagger) -> None:
        scores = tagger.predict_proba_tokens(TOXIC)
        assert [s.text for s in scores][:3] == ["Honestly", "you", "are"]
        top = max(scores, key=lambda s: s.probability)
        assert top.text in {"stupid", "idiot"}
        assert all(0.0 < s.probability < 1.0 for s in scores)

    def test_spans_are_sorted_disjoint_ranges_of_the_text(self, tagger: SpanTagger) -> None:
        text = "STUPID people, stupid ideas... what an idiot. Idiots everywhere!"
        spans = tagger.predict_spans(text, threshold=0.05)
        assert spans
        assert all(0 <= a < b <= len(text) for a, b in spans)
        assert all(b1 < a2 for (_, b1), (a2, _) in pairwise(spans))

    def test_threshold_and_report_come_from_held_back_posts(self, tagger: SpanTagger) -> None:
        assert 0.05 <= tagger.threshold <= 0.95
        assert tagger.report["holdout_posts"] == 40
        assert 0.0 < tagger.report["holdout_f1"] <= 1.0
        assert tagger.vocabulary

    def test_higher_threshold_never_adds_characters(self, tagger: SpanTagger) -> None:
        def chars(threshold: float) -> set[int]:
            return {i for a, b in tagger.predict_spans(TOXIC, threshold) for i in range(a, b)}

        assert chars(0.9) <= chars(0.3) <= chars(0.01)

    def test_fallback_marks_best_token_only_when_asked(self, tagger: SpanTagger) -> None:
        text = "The meeting is at noon on Tuesday."
        assert tagger.predict_spans(text, threshold=0.99, fallback=False) == []
        best = max(tagger.predict_proba_tokens(text), key=lambda s: s.probability)
        if best.probability >= tagger.floor:
            assert tagger.predict_spans(text, threshold=0.99) == [(best.start, best.end)]

    def test_empty_text(self, tagger: SpanTagger) -> None:
        assert tagger.predict_spans("") == []
        assert tagger.predict_proba_tokens("  !! ") == []

    def test_domain_spans(self, tagger: SpanTagger) -> None:
        spans = tagger.predict_domain_spans(TOXIC, Category.INSULT)
        assert [(s.start, s.end) for s in spans] == tagger.predict_spans(TOXIC)
        assert all(s.category is Category.INSULT and s.source == "model" for s in spans)

    def test_save_load_round_trip_is_identical(
        self, tagger: SpanTagger, tmp_path: Path, train_slice: tuple[list[str], list[list[int]]]
    ) -> None:
        tagger.save(tmp_path)
        loaded = SpanTagger.load(tmp_path)
        for text in [TOXIC, *train_slice[0][:50]]:
            assert loaded.predict_proba_tokens(text) == tagger.predict_proba_tokens(text)
            assert loaded.predict_spans(text) == tagger.predict_spans(text)
        assert loaded.threshold == tagger.threshold
        with np.load(tmp_path / NPZ_NAME, allow_pickle=False) as arrays:
            assert arrays["coef"].dtype == np.float16
        assert (tmp_path / NPZ_NAME).stat().st_size < 3_000_000

    def test_load_rejects_unknown_format(self, tagger: SpanTagger, tmp_path: Path) -> None:
        tagger.save(tmp_path)
        meta = json.loads((tmp_path / JSON_NAME).read_text(encoding="utf-8"))
        meta["format_version"] = 999
        (tmp_path / JSON_NAME).write_text(json.dumps(meta), encoding="utf-8")
        with pytest.raises(ValueError, match="unsupported"):
            SpanTagger.load(tmp_path)

    def test_train_validates_inputs(self) -> None:
        with pytest.raises(ValueError, match="offset lists"):
            SpanTagger.train(["a"], [])
        with pytest.raises(ValueError, match="both toxic and non-toxic"):
            SpanTagger.train(["fine words here"] * 20, [[]] * 20)

    def test_train_from_toxic_spans_reports_trial_metrics(
        self, tmp_path: Path, train_slice: tuple[list[str], list[list[int]]]
    ) -> None:
        texts, offsets = train_slice
        for name, rows in (("tsd_train.csv", range(300)), ("tsd_trial.csv", range(300, 400))):
            with (tmp_path / name).open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["spans", "text"])
                writer.writerows([json.dumps(offsets[i]), texts[i]] for i in rows)
        tagger, metrics = SpanTagger.train_from_toxic_spans(tmp_path)
        assert metrics["trial_posts"] == 100
        assert metrics["threshold"] == tagger.threshold
        assert metrics["trial_f1"] > metrics["trial_f1_baseline_all_tokens"]
        assert 0.0 <= metrics["trial_f1_baseline_lexicon"] <= 1.0
