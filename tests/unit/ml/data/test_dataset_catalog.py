import re
from collections import Counter
from pathlib import Path

import pytest

from moderation.ml.data import SOURCES, DatasetCatalog, LabelledText
from moderation.ml.data._cleaning import dedup_key
from moderation.ml.vocabulary.category import Category

C = Category


def _find(records: list[LabelledText], start: str) -> LabelledText:
    return next(r for r in records if r.text.startswith(start))


class TestDatasetCatalog:
    def test_every_source_has_a_licence_entry(self) -> None:
        assert set(DatasetCatalog.SOURCE_ORDER) <= set(SOURCES)
        assert not SOURCES["ucc_unhealthy"].commercial_ok
        assert all(SOURCES[s].licence for s in DatasetCatalog.SOURCE_ORDER)

    def test_load_all_skips_noncommercial_and_tweeteval_offensive(
        self, all_records: list[LabelledText]
    ) -> None:
        sources = {r.source for r in all_records}
        assert "ucc_unhealthy" not in sources
        assert "tweeteval_offensive" not in sources
        assert sources == set(DatasetCatalog.SOURCE_ORDER) - {"ucc_unhealthy"}

    def test_include_noncommercial_adds_ucc(self, catalog: DatasetCatalog) -> None:
        records = catalog.load_all(include_noncommercial=True, max_per_source=40)
        assert "ucc_unhealthy" in {r.source for r in records}

    def test_no_text_in_two_records_or_both_splits(self, all_records: list[LabelledText]) -> None:
        keys = [dedup_key(r.text) for r in all_records]
        assert len(keys) == len(set(keys))
        train = {k for k, r in zip(keys, all_records, strict=True) if r.split == "train"}
        validation = {k for k, r in zip(keys, all_records, strict=True) if r.split != "train"}
        assert not train & validation
        assert {r.split for r in all_records} == {"train", "validation"}

    def test_every_source_has_a_validation_share(self, all_records: list[LabelledText]) -> None:
        per_source = Counter((r.source, r.split) for r in all_records)
        for source in {r.source for r in all_records}:
            share = per_source[(source, "validation")] / (
                per_source[(source, "validation")] + per_source[(source, "train")]
            )
            assert 0.04 < share < 0.2, (source, share)

    def test_official_validation_splits_are_used(self, catalog: DatasetCatalog) -> None:
        hate_val = [r for r in catalog.tweeteval_hate() if r.split == "validation"]
        edos_val = [r for r in catalog.edos_sexism() if r.split == "validation"]
        olid_val = [r for r in catalog.olid_offenseval2019() if r.split == "validation"]
        assert len(hate_val) == 999  # 1,000 val lines, one empty
        assert len(edos_val) == 2000
        assert 1200 < len(olid_val) < 1400  # TweetEval val tweets matched in OLID

    def test_labels_are_binary_and_weights_positive(self, all_records: list[LabelledText]) -> None:
        assert all(r.labels for r in all_records)
        assert all(set(r.labels.values()) <= {0, 1} for r in all_records)
        assert all(0.5 < r.weight <= 1.0 for r in all_records)
        assert all(r.labels.get(C.SPAM) == 0 for r in all_records if "spam" not in r.source)

    def test_every_category_has_positives_and_negatives(
        self, all_records: list[LabelledText]
    ) -> None:
        for category in Category:
            values = Counter(r.labels[category] for r in all_records if category in r.labels)
            assert values[0] > 0, category
            assert values[1] > 0, category

    def test_texts_are_cleaned(self, all_records: list[LabelledText]) -> None:
        assert not [r for r in all_records if re.search(r"&(amp|lt|gt|quot|#\d+);", r.text)]
        assert not [r for r in all_records if re.search(r"\\(x[0-9a-f]{2}|n)", r.text)]
        assert not [r for r in all_records if "<br" in r.text or "\ufeff" in r.text]
        assert not [r for r in all_records if r.text.startswith('"') and r.text.endswith('"')]
        assert not [r for r in all_records if "ðŸ" in r.text or "â€" in r.text]

    def test_impermium_escapes_decoded(self, catalog: DatasetCatalog) -> None:
        records = catalog.impermium_insults()
        canadians = _find(records, "A majority of Canadians can and has been wrong")
        assert "\\" not in canadians.text
        assert "  " not in canadians.text
        insult = _find(records, "You fuck your dad.")
        assert insult.labels == {C.TOXICITY: 1, C.INSULT: 1, C.SPAM: 0}

    def test_davidson_mapping_and_weights(self, catalog: DatasetCatalog) -> None:
        records = catalog.davidson_hate_offensive()
        neither = _find(records, "!!! RT @mayasolovely: As a woman you shouldn't complain")
        assert neither.labels[C.TOXICITY] == 0
        assert neither.labels[C.HATE_SPEECH] == 0
        assert "&amp;" not in neither.text
        assert neither.weight == 1.0
        offensive = _find(records, "!!!!! RT @mleew17: boy dats cold")
        assert offensive.labels[C.PROFANITY] == 1
        assert offensive.labels[C.TOXICITY] == 1
        assert len(records) < 24_783  # rows without a clear majority are dropped

    def test_olid_mapping(self, catalog: DatasetCatalog) -> None:
        records = catalog.olid_offenseval2019()
        untargeted = _find(records, "@user She should ask a few native Americans")
        assert untargeted.labels[C.PROFANITY] == 1
        assert untargeted.labels[C.INSULT] == 0
        individual = _find(records, "@user @user Go home you’re drunk!!!")
        assert individual.labels[C.INSULT] == 1
        assert C.THREAT not in individual.labels

    def test_toxic_spans_subtypes_from_rater_counts(self, catalog: DatasetCatalog) -> None:
        records = catalog.toxic_spans()
        assert all(r.labels[C.TOXICITY] == 1 for r in records)
        threat = _find(records, '"MY GUN MATTERS" - Bang Bang thug')
        assert threat.labels[C.THREAT] == 1
        threats = sum(r.labels.get(C.THREAT) == 1 for r in records)
        assert 50 < threats < 500
        trial = [r for r in records if r.split == "validation"]
        assert len(trial) >= 690

    def test_edos_not_sexist_rows_have_no_hate_label(self, catalog: DatasetCatalog) -> None:
        records = catalog.edos_sexism()
        assert all(C.HATE_SPEECH not in r.labels for r in records if len(r.labels) == 1)
        assert sum(r.labels.get(C.SEXUAL) == 1 for r in records) == 229
        assert sum(r.labels.get(C.THREAT) == 1 for r in records) == 354

    def test_spam_sources_label_ham_as_clean(self, catalog: DatasetCatalog) -> None:
        ham = [r for r in catalog.sms_spam() if r.labels[C.SPAM] == 0]
        assert ham
        assert all(r.labels[C.TOXICITY] == 0 and r.labels[C.SEXUAL] == 0 for r in ham)
        spam = [r for r in catalog.youtube_spam() if r.labels[C.SPAM] == 1]
        assert spam
        assert all(C.SEXUAL not in r.labels for r in spam)

    def test_max_per_source_is_a_stratified_deterministic_sample(
        self, catalog: DatasetCatalog
    ) -> None:
        first = catalog.load_all(max_per_source=60, seed=3)
        again = catalog.load_all(max_per_source=60, seed=3)
        assert [r.text for r in first] == [r.text for r in again]
        per_source = Counter(r.source for r in first)
        assert max(per_source.values()) <= 60
        spans = [r for r in first if r.source == "toxic_spans"]
        assert any(r.labels.get(C.THREAT) == 1 for r in spans)
        assert {r.split for r in spans} == {"train", "validation"}

    def test_summary_table_counts_labels(self, catalog: DatasetCatalog) -> None:
        records = catalog.sms_spam()
        table = DatasetCatalog.summary_table(records)
        spam = sum(r.labels[C.SPAM] for r in records if r.split == "train")
        ham = sum(1 - r.labels[C.SPAM] for r in records if r.split == "train")
        assert f"| sms_spam | train | {spam + ham} |" in table
        assert f"{spam}/{ham}" in table


class TestPartialCopies:
    """A data folder holding only some sources (the committed samples, a user's subset)."""

    def test_only_the_present_sources_load(self, training_data_dir: Path) -> None:
        catalog = DatasetCatalog(training_data_dir)

        records = catalog.load_all()

        present = catalog.available_sources()
        assert present == ["toxic_spans", "edos_sexism", "davidson_hate_offensive", "sms_spam"]
        assert {r.source for r in records} == set(present)
        assert {r.split for r in records} == {"train", "validation"}
        assert any(r.labels.get(C.SPAM) == 1 for r in records)
        assert any(r.labels.get(C.THREAT) == 1 for r in records)

    def test_a_folder_without_any_source_is_an_error(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError, match="no dataset folder"):
            DatasetCatalog(tmp_path).load_all()


def test_sources_without_a_licence_say_so_in_the_card() -> None:
    from moderation.ml.training.model_card_writer import licence_rows

    rows = licence_rows({"youtube_spam": {"train": 3, "validation": 1}, "toxic_spans": {}})
    youtube = next(row for row in rows if row.startswith("| youtube_spam "))
    assert "legal review" in youtube
    assert SOURCES["youtube_spam"].commercial == "review"
    assert SOURCES["youtube_spam"].commercial_ok  # loaded by default, flagged in the card
    assert next(r for r in rows if r.startswith("| toxic_spans ")).endswith("| yes |")
