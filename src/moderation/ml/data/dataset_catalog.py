"""Loads the shared training datasets as `LabelledText` in our categories."""

import csv
import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from moderation.ml.data import _label_rules as rules
from moderation.ml.data._cleaning import (
    clean_text,
    decode_escapes,
    dedup_key,
    has_content,
    hash_split,
    strip_html,
)
from moderation.ml.data.labelled_text import LabelledText
from moderation.ml.data.source_info import SOURCES
from moderation.ml.vocabulary.category import Category

csv.field_size_limit(1 << 24)

# TweetEval rewrote OLID's tweets (dropped "URL", lower-cased "@USER", doubled quotes), so they
# are matched on letters and digits only.
_OLID_NOISE = re.compile(r"@user|\burl\b|[\W_]+")


class _Loaded(NamedTuple):
    record: LabelledText
    official: bool  # split taken from the dataset's own train/validation files
    key: str  # dedup_key(record.text)


class DatasetCatalog:
    """The training datasets under `data_dir` (the layout of shared/data), one loader each.

    Loaders return every usable row with its split: the official validation split where the
    dataset has one, else a stable hash of the text (about 10 % validation). `load_all` combines
    them, de-duplicates texts across sources and guarantees no text is in both splits.
    """

    # Dedup keeps the official-split copy first, then the earliest source in this order.
    SOURCE_ORDER: tuple[str, ...] = (
        "toxic_spans",
        "olid_offenseval2019",
        "tweeteval_hate",
        "edos_sexism",
        "davidson_hate_offensive",
        "stormfront_hate",
        "impermium_insults",
        "sms_spam",
        "youtube_spam",
        "ucc_unhealthy",
    )

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._loaders: dict[str, Callable[[], list[_Loaded]]] = {
            "toxic_spans": self._toxic_spans,
            "olid_offenseval2019": self._olid,
            "tweeteval_hate": self._tweeteval_hate,
            "edos_sexism": self._edos,
            "davidson_hate_offensive": self._davidson,
            "stormfront_hate": self._stormfront,
            "impermium_insults": self._impermium,
            "sms_spam": self._sms,
            "youtube_spam": self._youtube,
            "ucc_unhealthy": self._ucc,
        }

        self._cache: dict[str, list[_Loaded]] = {}

    def available_sources(self) -> list[str]:
        """The sources whose folder is under `data_dir`, in SOURCE_ORDER. A partial copy (the
        redistributable samples the tests ship, or a user's own subset) trains on what it has;
        the model's metrics name the sources it saw."""
        return [source for source in self.SOURCE_ORDER if (self.data_dir / source).is_dir()]

    def load(self, source: str) -> list[LabelledText]:
        """All usable rows of one source (not yet de-duplicated against other sources)."""
        return [item.record for item in self._rows(source)]

    def davidson_hate_offensive(self) -> list[LabelledText]:
        """Davidson et al. 2017 tweets; weight = share of coders agreeing with the majority."""
        return self.load("davidson_hate_offensive")

    def olid_offenseval2019(self) -> list[LabelledText]:
        """OLID training set; TweetEval's validation tweets become its validation split."""
        return self.load("olid_offenseval2019")

    def tweeteval_hate(self) -> list[LabelledText]:
        """HatEval tweets via TweetEval (official train/val)."""
        return self.load("tweeteval_hate")

    def stormfront_hate(self) -> list[LabelledText]:
        """Stormfront sentences; split by post so sentences of one post stay together."""
        return self.load("stormfront_hate")

    def toxic_spans(self) -> list[LabelledText]:
        """Toxic Civil Comments posts with sub-types from the raw per-rater spans."""
        return self.load("toxic_spans")

    def edos_sexism(self) -> list[LabelledText]:
        """EDOS sexism (Gab + Reddit), official train/dev split."""
        return self.load("edos_sexism")

    def impermium_insults(self) -> list[LabelledText]:
        """Kaggle/Impermium insults, escapes decoded."""
        return self.load("impermium_insults")

    def sms_spam(self) -> list[LabelledText]:
        """SMS Spam Collection (training part)."""
        return self.load("sms_spam")

    def youtube_spam(self) -> list[LabelledText]:
        """YouTube comment spam, four videos."""
        return self.load("youtube_spam")

    def ucc_unhealthy(self) -> list[LabelledText]:
        """Unhealthy Comment Corpus (NON-COMMERCIAL licence)."""
        return self.load("ucc_unhealthy")

    def load_all(
        self,
        include_noncommercial: bool = False,
        max_per_source: int | None = None,
        seed: int = 0,
    ) -> list[LabelledText]:
        """Every commercial-use source combined, de-duplicated, each text in exactly one split.

        `max_per_source` keeps a seeded sample per source (for tiny test runs), stratified by
        split and positive labels so rare labels survive. Duplicate texts (same `dedup_key`)
        collapse to one record: the official-split copy, else the earliest source in
        SOURCE_ORDER; their labels are merged and categories they disagree on become unknown.
        """
        present = self.available_sources()
        if not present:
            raise FileNotFoundError(
                f"no dataset folder of {list(self.SOURCE_ORDER)} in {self.data_dir}"
            )
        loaded: list[_Loaded] = []
        for source in present:
            if not (SOURCES[source].commercial_ok or include_noncommercial):
                continue
            items = self._rows(source)
            if max_per_source is not None:
                rng = random.Random(f"{seed}:{source}")  # noqa: S311 - sampling, not security
                items = _stratified_sample(items, max_per_source, rng)
            loaded.extend(items)
        return _deduplicate(loaded, self.SOURCE_ORDER)

    @staticmethod
    def label_counts(records: Iterable[LabelledText]) -> dict[tuple[str, str, Category], list[int]]:
        """(source, split, category) -> [negatives, positives] over the labelled records."""
        counts: dict[tuple[str, str, Category], list[int]] = {}
        for record in records:
            for category, value in record.labels.items():
                counts.setdefault((record.source, record.split, category), [0, 0])[value] += 1
        return counts

    @staticmethod
    def summary_table(records: Sequence[LabelledText]) -> str:
        """Markdown table: rows per source and split, `positives/negatives` per category."""
        counts = DatasetCatalog.label_counts(records)
        rows: dict[tuple[str, str], int] = {}
        for record in records:
            rows[(record.source, record.split)] = rows.get((record.source, record.split), 0) + 1
        header = ["source", "split", "rows", *(c.value for c in Category)]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for source, split in sorted(rows):
            cells = [source, split, str(rows[(source, split)])]
            for category in Category:
                neg, pos = counts.get((source, split, category), [0, 0])
                cells.append(f"{pos}/{neg}" if pos or neg else "-")
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def _rows(self, source: str) -> list[_Loaded]:
        # The files are read-only snapshots, so each source is parsed once per catalog.
        if source not in self._cache:
            self._cache[source] = self._loaders[source]()
        return self._cache[source]

    # Loaders -------------------------------------------------------------------------------

    def _davidson(self) -> list[_Loaded]:
        out: list[_Loaded] = []
        for row in self._csv("davidson_hate_offensive/labeled_data.csv"):
            mapped = rules.davidson(
                int(row["hate_speech"]), int(row["offensive_language"]), int(row["neither"])
            )
            if mapped is not None:
                labels, weight = mapped
                _append(out, row["tweet"], labels, "davidson_hate_offensive", weight=weight)
        return out

    def _olid(self) -> list[_Loaded]:
        val_file = self.data_dir / "tweeteval_offensive" / "val_text.txt"
        val_keys = {_olid_key(line) for line in _lines(val_file)} if val_file.is_file() else None
        out: list[_Loaded] = []
        path = self.data_dir / "olid_offenseval2019" / "olid-training-v1.0.tsv"
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                text = row["tweet"].replace("@USER", "@user")
                split = None
                if val_keys is not None:
                    split = "validation" if _olid_key(row["tweet"]) in val_keys else "train"
                labels = rules.olid(row["subtask_a"], row["subtask_b"], row["subtask_c"])
                _append(out, text, labels, "olid_offenseval2019", split=split)
        return out

    def _tweeteval_hate(self) -> list[_Loaded]:
        out: list[_Loaded] = []
        folder = self.data_dir / "tweeteval_hate"
        for part, split in (("train", "train"), ("val", "validation")):
            texts = _lines(folder / f"{part}_text.txt")
            labels = _lines(folder / f"{part}_labels.txt")
            for text, label in zip(texts, labels, strict=True):
                unquoted = _unquote_csv(text)
                _append(out, unquoted, rules.tweeteval_hate(int(label)), "tweeteval_hate", split)
        return out

    def _stormfront(self) -> list[_Loaded]:
        out: list[_Loaded] = []
        for row in self._csv("stormfront_hate/stormfront_sentences.csv"):
            labels = rules.stormfront(row["label"])
            if labels is not None:
                post = row["file_id"].split("_")[0]
                _append(out, row["text"], labels, "stormfront_hate", split=hash_split(post))
        return out

    def _toxic_spans(self) -> list[_Loaded]:
        folder = self.data_dir / "toxic_spans"
        trial = {dedup_key(r["text"]) for r in self._csv("toxic_spans/tsd_trial.csv")}
        train = {dedup_key(r["text"]) for r in self._csv("toxic_spans/tsd_train.csv")}
        raters: dict[str, int] = {}
        comment_of: dict[str, str] = {}
        for row in _csv_rows(folder / "raw_no_test" / "annotations.csv"):
            raters[row["comment_id"]] = raters.get(row["comment_id"], 0) + 1
            comment_of[row["annotation"]] = row["comment_id"]
        marked: dict[str, dict[Category, set[str]]] = {}
        for row in _csv_rows(folder / "raw_no_test" / "spans.csv"):
            category = _span_category(row["type"])
            if category is not None and row["annotation"] in comment_of:
                by_type = marked.setdefault(comment_of[row["annotation"]], {})
                by_type.setdefault(category, set()).add(row["annotation"])
        out: list[_Loaded] = []
        for row in _csv_rows(folder / "raw_no_test" / "comments.csv"):
            cid, key = row["comment_id"], dedup_key(row["comment_text"])
            split = "validation" if key in trial else "train" if key in train else None
            counts = {c: len(a) for c, a in marked.get(cid, {}).items()}
            labels = rules.toxic_spans(raters.get(cid, 0), counts)
            _append(out, row["comment_text"], labels, "toxic_spans", split)
        return out

    def _edos(self) -> list[_Loaded]:
        out: list[_Loaded] = []
        for row in self._csv("edos_sexism/edos_labelled_aggregated_train_dev.csv"):
            text = row["text"].replace("[USER]", "@user").replace("[URL]", "URL")
            labels = rules.edos(
                row["label_sexist"] == "sexist", row["label_category"], row["label_vector"]
            )
            split = "validation" if row["split"] == "dev" else "train"
            _append(out, text, labels, "edos_sexism", split)
        return out

    def _impermium(self) -> list[_Loaded]:
        out: list[_Loaded] = []
        for row in self._csv("impermium_insults/train.csv"):
            text = strip_html(decode_escapes(row["Comment"]))
            _append(out, text, rules.impermium(int(row["Insult"])), "impermium_insults")
        return out

    def _sms(self) -> list[_Loaded]:
        out: list[_Loaded] = []
        for line in _lines(self.data_dir / "sms_spam" / "SMSSpamCollection.train"):
            label, _, text = line.partition("\t")
            _append(out, text, rules.message_spam(label == "spam"), "sms_spam")
        return out

    def _youtube(self) -> list[_Loaded]:
        out: list[_Loaded] = []
        for path in sorted((self.data_dir / "youtube_spam").glob("*.csv")):
            for row in _csv_rows(path):
                labels = rules.message_spam(row["CLASS"] == "1")
                _append(out, strip_html(row["CONTENT"]), labels, "youtube_spam")
        return out

    def _ucc(self) -> list[_Loaded]:
        out: list[_Loaded] = []
        for row in self._csv("ucc_unhealthy/val.csv"):
            flags = {k: float(row[k]) >= 0.5 for k in ("healthy", "hostile", "antagonize")}
            labels = rules.ucc(flags["healthy"], flags["hostile"], flags["antagonize"])
            _append(out, row["comment"], labels, "ucc_unhealthy")
        return out

    def _csv(self, relative: str) -> Iterator[dict[str, str]]:
        return _csv_rows(self.data_dir / relative)


def _append(
    out: list[_Loaded],
    raw_text: str,
    labels: rules.Labels,
    source: str,
    split: str | None = None,
    weight: float = 1.0,
) -> None:
    """Clean the text and add the record; split None means hash split (not official)."""
    text = clean_text(raw_text)
    if not has_content(text):
        return
    key = dedup_key(text)
    record = LabelledText(
        text=text,
        labels=rules.finalise(labels, source not in rules.NO_IMPLIED_TOXICITY),
        source=source,
        split=split if split is not None else hash_split(key),
        weight=weight,
    )
    out.append(_Loaded(record, split is not None, key))


def _deduplicate(items: Sequence[_Loaded], order: Sequence[str]) -> list[LabelledText]:
    rank = {source: i for i, source in enumerate(order)}
    groups: dict[str, list[tuple[int, _Loaded]]] = {}
    for position, item in enumerate(items):
        groups.setdefault(item.key, []).append((position, item))
    kept: list[tuple[int, LabelledText]] = []
    for group in groups.values():
        position, best = min(
            group, key=lambda g: (not g[1].official, rank.get(g[1].record.source, 99), g[0])
        )
        record = best.record
        if len(group) > 1:
            merged = rules.merge([g[1].record.labels for g in group])
            record = LabelledText(record.text, merged, record.source, record.split, record.weight)
        if record.labels:
            kept.append((position, record))
    return [record for _, record in sorted(kept, key=lambda k: k[0])]


def _stratified_sample(items: list[_Loaded], limit: int, rng: random.Random) -> list[_Loaded]:
    """Up to `limit` items, round-robin over (split, positive labels) strata."""
    if len(items) <= limit:
        return items
    strata: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for index, item in enumerate(items):
        positives = tuple(sorted(c.value for c, v in item.record.labels.items() if v == 1))
        strata.setdefault((item.record.split, positives), []).append(index)
    queues = [strata[key] for key in sorted(strata)]
    for queue in queues:
        rng.shuffle(queue)
    chosen: list[int] = []
    while len(chosen) < limit:
        for queue in queues:
            if queue and len(chosen) < limit:
                chosen.append(queue.pop())
    return [items[i] for i in sorted(chosen)]


def _span_category(raw_type: str) -> Category | None:
    # The raw file has a few truncated type names ("Insu", "Identity based ").
    for name, category in rules.TOXIC_SPAN_TYPES.items():
        if raw_type.strip() and name.startswith(raw_type.strip()):
            return category
    return None


def _olid_key(text: str) -> str:
    return _OLID_NOISE.sub("", text.lower())


def _unquote_csv(text: str) -> str:
    # TweetEval kept the CSV quoting of tweets that contained quotes: "a ""b"" c"
    if len(text) >= 2 and text[0] == text[-1] == '"' and '""' in text:
        return text[1:-1].replace('""', '"')
    return text


def _lines(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle]


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)
