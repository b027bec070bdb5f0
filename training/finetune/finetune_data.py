"""Training texts for the fine-tune: catalog + hard negatives, normalised and tokenised."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import torch
from numpy.typing import NDArray
from tokenizers import Tokenizer

from finetune.batch import Batch
from moderation.ml.data import DatasetCatalog, HardNegativeGenerator, LabelledText
from moderation.ml.text import TextNormalizer
from moderation.ml.vocabulary.category import Category

CATEGORIES: list[Category] = list(Category)
# Batches are formed among texts of similar length inside windows of this many batches, so
# little compute goes to padding while the order across windows stays random.
_BUCKET_BATCHES = 50


class FinetuneData:
    """Records as the engine would score them: ``normalize_for_features`` text (what the engine
    hands its semantic tier), WordPiece ids truncated to ``max_tokens``, the label matrix with
    NaN for categories a source does not label, and the record weights."""

    def __init__(
        self, records: Sequence[LabelledText], tokenizer: Tokenizer, max_tokens: int
    ) -> None:
        normalizer = TextNormalizer()
        self.max_tokens = max_tokens
        self.records = list(records)
        self.texts = [normalizer.normalize_for_features(r.text) for r in self.records]
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=max_tokens)
        self.token_ids = [enc.ids for enc in tokenizer.encode_batch(self.texts)]
        self.lengths = np.array([len(ids) for ids in self.token_ids], dtype=np.int64)
        self.labels = np.full((len(self.records), len(CATEGORIES)), np.nan, dtype=np.float32)
        for i, record in enumerate(self.records):
            for category, value in record.labels.items():
                self.labels[i, CATEGORIES.index(category)] = float(value)
        self.weights = np.array([r.weight for r in self.records], dtype=np.float32)

    @staticmethod
    def load_records(
        data_dir: Path, seed: int, max_texts: int | None, exclude: Sequence[str] = ()
    ) -> tuple[list[LabelledText], list[LabelledText]]:
        """(train, validation): every commercial-use source plus the hard negatives, as
        ``moderation train`` uses them; ``max_texts`` keeps a seeded sample of the training
        texts (validation is never cut, so small runs are scored on the same texts).
        ``exclude``: sources left out of both, for out-of-domain folds."""
        examples = [e for e in DatasetCatalog(data_dir).load_all() if e.source not in exclude]
        train = [e for e in examples if e.split == "train"]
        train += HardNegativeGenerator(seed=seed).generate()
        validation = [e for e in examples if e.split == "validation"]
        if max_texts is not None and max_texts < len(train):
            rng = np.random.default_rng(seed)
            keep = np.sort(rng.permutation(len(train))[:max_texts])
            train = [train[int(i)] for i in keep]
        return train, validation

    def __len__(self) -> int:
        return len(self.records)

    def counts(self) -> dict[str, object]:
        """Texts per source and labelled positives/negatives per category, for the report."""
        known = ~np.isnan(self.labels)
        return {
            "texts": len(self),
            "by_source": dict(sorted(Counter(r.source for r in self.records).items())),
            "labelled": {c.value: int(known[:, j].sum()) for j, c in enumerate(CATEGORIES)},
            "positives": {
                c.value: int(np.nansum(self.labels[:, j])) for j, c in enumerate(CATEGORIES)
            },
            "truncated_share": round(float((self.lengths >= self.max_tokens).mean()), 4),
            "mean_tokens": round(float(self.lengths.mean()), 1),
        }

    def batch_order(self, batch_size: int, seed: int) -> list[NDArray[np.int64]]:
        """Row indices per batch: a seeded permutation, length-sorted inside windows, then
        the batches themselves shuffled. Same seed, same order."""
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(self))
        window = batch_size * _BUCKET_BATCHES
        batches: list[NDArray[np.int64]] = []
        for start in range(0, len(order), window):
            chunk = order[start : start + window]
            chunk = chunk[np.argsort(self.lengths[chunk], kind="stable")]
            batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
        return [batches[int(i)] for i in rng.permutation(len(batches))]

    def batch(self, rows: NDArray[np.int64]) -> Batch:
        seq = int(self.lengths[rows].max())
        ids = np.zeros((len(rows), seq), dtype=np.int64)
        for out_row, i in enumerate(rows):
            ids[out_row, : self.lengths[i]] = self.token_ids[int(i)]
        labels = self.labels[rows]
        known = ~np.isnan(labels)
        return Batch(
            ids=torch.from_numpy(ids),
            mask=_mask(self.lengths[rows], seq),
            labels=torch.from_numpy(np.nan_to_num(labels, nan=0.0)),
            known=torch.from_numpy(known.astype(np.float32)),
            weight=torch.from_numpy(self.weights[rows]),
        )

    def iterate(self, batch_size: int, seed: int) -> Iterator[Batch]:
        for rows in self.batch_order(batch_size, seed):
            yield self.batch(rows)


def _mask(lengths: NDArray[np.int64], seq: int) -> torch.Tensor:
    # From the lengths, not ids != 0: a [PAD] id inside a text must still count as a token.
    return torch.from_numpy(np.arange(seq)[None, :] < lengths[:, None])
