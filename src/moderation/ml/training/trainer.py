import os
import random
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from moderation.ml.artifacts.model_bundle import FINETUNED_DIR, ModelBundle
from moderation.ml.artifacts.model_manifest import ModelManifest
from moderation.ml.data import DatasetCatalog, HardNegativeGenerator, LabelledText
from moderation.ml.embeddings import FinetunedPacker, FinetunedScorer, MiniLMEncoder
from moderation.ml.features.fast_featurizer import FastFeaturizer
from moderation.ml.features.featurizer_config import FeaturizerConfig
from moderation.ml.models.linear_heads import LinearHeads
from moderation.ml.models.probability_calibrator import ProbabilityCalibrator
from moderation.ml.rules import SpamSignalExtractor
from moderation.ml.spans import SpanTagger
from moderation.ml.text import TextNormalizer
from moderation.ml.training.training_config import TrainingConfig
from moderation.ml.vocabulary.category import Category

CATEGORIES: list[Category] = list(Category)
Progress = Callable[[str], None]


class Trainer:
    """Trains a complete model bundle from the shared datasets, reproducibly.

    Steps: load and map the datasets, add hard negatives, fit the fast tier (one L2 logistic
    head per category on the rows that label it), the semantic tier (a fine-tuned MiniLM
    export when the config names one, else logistic heads on frozen MiniLM embeddings),
    calibrate both on the validation splits to realistic priors, train the span
    tagger, save, and return what was measured.
    """

    def __init__(self, config: TrainingConfig, progress: Progress | None = None) -> None:
        self.config = config
        self._say: Progress = progress or (lambda _msg: None)
        self._normalizer = TextNormalizer()
        self._spam = SpamSignalExtractor()

    def run(self) -> ModelBundle:
        cfg = self.config
        self._say("loading datasets")
        examples = DatasetCatalog(cfg.data_dir).load_all(
            include_noncommercial=cfg.include_noncommercial,
            max_per_source=cfg.max_per_source,
            seed=cfg.seed,
        )
        train = [e for e in examples if e.split == "train"]
        validation = [e for e in examples if e.split == "validation"]
        if cfg.augment:
            train += HardNegativeGenerator(seed=cfg.seed).generate()
        return self.fit(train, validation)

    def fit(self, train: Sequence[LabelledText], validation: Sequence[LabelledText]) -> ModelBundle:
        """Train and save a bundle from these examples exactly as given (no loading, no hard
        negatives added): the out-of-domain protocol trains on chosen sources this way."""
        cfg = self.config
        random.seed(cfg.seed)
        np.random.seed(cfg.seed)
        train, validation = list(train), list(validation)
        self._say(f"{len(train)} training and {len(validation)} validation texts")

        featurizer = FastFeaturizer(
            FeaturizerConfig(
                word_bits=cfg.word_bits,
                char_bits=cfg.char_bits,
                extra_features=list(SpamSignalExtractor.FEATURE_NAMES),
                identity_blind=cfg.identity_blind,
            )
        )
        train_norm = self._normalized(train)
        val_norm = self._normalized(validation)
        featurizer.fit_idf(train_norm)
        x_train = featurizer.transform(train_norm, self._extras(train))
        x_val = featurizer.transform(val_norm, self._extras(validation))
        y_train, w_train = _label_matrix(train), np.array([e.weight for e in train])
        y_val = _label_matrix(validation)

        self._say("fitting fast-tier heads")
        fast_heads = _fit_heads(x_train, y_train, w_train, cfg.regularization, cfg.seed)
        fast_val = fast_heads.logits(x_val)
        fast_calibrator = ProbabilityCalibrator.fit(CATEGORIES, [fast_val], y_val, cfg.priors)

        semantic_heads = stack = None
        finetuned_dir = None
        if cfg.finetuned_dir is not None:
            finetuned_dir, stack = self._finetuned_tier(
                cfg.finetuned_dir, val_norm, y_val, fast_val
            )
        elif cfg.semantic:
            semantic_heads, stack = self._semantic_tier(
                train, train_norm, val_norm, y_train, w_train, y_val, fast_val
            )
        manifest = ModelManifest(
            version=cfg.version,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            categories=CATEGORIES,
            featurizer=featurizer.config,
            cascade_band=cfg.cascade_band,
            semantic_max_tokens=cfg.semantic_max_tokens,
            priors=cfg.priors,
            training=self._training_summary(train, validation),
        )
        bundle = ModelBundle(
            manifest,
            featurizer.idf,
            fast_heads,
            fast_calibrator,
            semantic_heads,
            stack,
            finetuned_dir,
        )
        if cfg.spans:
            self._say("training the span tagger")
            tagger, span_metrics = SpanTagger.train_from_toxic_spans(cfg.data_dir / "toxic_spans")
            tagger.save(cfg.out_dir / "spans")
            manifest.has_span_tagger = True
            manifest.metrics["spans"] = span_metrics
        bundle.save(cfg.out_dir)
        return bundle

    def _semantic_tier(
        self,
        train: Sequence[LabelledText],
        train_norm: Sequence[str],
        val_norm: Sequence[str],
        y_train: NDArray[np.float32],
        w_train: NDArray[np.float64],
        y_val: NDArray[np.float32],
        fast_val: NDArray[np.float32],
    ) -> tuple[LinearHeads, ProbabilityCalibrator]:
        cfg = self.config
        rng = np.random.default_rng(cfg.seed)
        # Hard negatives target exactly what the semantic tier is for (negation, counter-speech,
        # neutral identity mentions), so all of them go in.
        keep = np.array([e.source == "hard_negative" for e in train], dtype=bool)
        rows = _semantic_sample(y_train, cfg.semantic_max_train, rng, keep)
        encoder = MiniLMEncoder.load(max_tokens=cfg.semantic_max_tokens)
        self._say(f"embedding {len(rows)} training and {len(val_norm)} validation texts")
        emb_train = encoder.encode([train_norm[i] for i in rows])
        emb_val = encoder.encode(list(val_norm))
        heads = _fit_heads(emb_train, y_train[rows], w_train[rows], 1.0, cfg.seed)
        stack = ProbabilityCalibrator.fit(
            CATEGORIES, [fast_val, heads.logits(emb_val)], y_val, cfg.priors
        )
        return heads, stack

    def _finetuned_tier(
        self,
        export: Path,
        val_norm: Sequence[str],
        y_val: NDArray[np.float32],
        fast_val: NDArray[np.float32],
    ) -> tuple[Path, ProbabilityCalibrator]:
        """Pack the fine-tuned export into the bundle and fit the stack on its logits.

        The stack is fitted on the packed (float16) weights, exactly what will run."""
        cfg = self.config
        packed = cfg.out_dir / FINETUNED_DIR
        if export.resolve() != packed.resolve():
            self._say(f"packing the fine-tuned encoder from {export}")
            FinetunedPacker().pack(export, packed)
        scorer = FinetunedScorer.load(packed)
        self._say(f"scoring {len(val_norm)} validation texts with the fine-tuned encoder")
        tuned_val = scorer.logits(list(val_norm))
        stack = ProbabilityCalibrator.fit(CATEGORIES, [fast_val, tuned_val], y_val, cfg.priors)
        return packed, stack

    def _normalized(self, examples: Sequence[LabelledText]) -> list[str]:
        return [self._normalizer.normalize_for_features(e.text) for e in examples]

    def _extras(self, examples: Sequence[LabelledText]) -> NDArray[np.float32]:
        if not examples:
            return np.zeros((0, len(SpamSignalExtractor.FEATURE_NAMES)), np.float32)
        return np.stack([self._spam.extract(e.text).as_vector() for e in examples])

    def _training_summary(
        self, train: Sequence[LabelledText], validation: Sequence[LabelledText]
    ) -> dict[str, Any]:
        counts: dict[str, dict[str, int]] = {}
        for e in [*train, *validation]:
            row = counts.setdefault(e.source, {"train": 0, "validation": 0})
            row[e.split] = row.get(e.split, 0) + 1
        return {
            "seed": self.config.seed,
            "max_per_source": self.config.max_per_source,
            "include_noncommercial": self.config.include_noncommercial,
            "regularization": self.config.regularization,
            "sources": counts,
        }


def _label_matrix(examples: Sequence[LabelledText]) -> NDArray[np.float32]:
    y = np.full((len(examples), len(CATEGORIES)), np.nan, dtype=np.float32)
    for i, e in enumerate(examples):
        for category, value in e.labels.items():
            y[i, CATEGORIES.index(category)] = float(value)
    return y


def _fit_heads(
    x: Any, y: NDArray[np.float32], w: NDArray[np.float64], c: float, seed: int
) -> LinearHeads:
    weights = np.zeros((x.shape[1], len(CATEGORIES)), dtype=np.float32)
    bias = np.zeros(len(CATEGORIES), dtype=np.float32)

    def fit(j: int) -> None:
        known = ~np.isnan(y[:, j])
        labels = y[known, j].astype(int)
        if labels.size == 0 or labels.min() == labels.max():
            bias[j] = -5.0
            return
        model = LogisticRegression(C=c, max_iter=2000, solver="liblinear", random_state=seed)
        model.fit(x[known], labels, sample_weight=w[known])
        weights[:, j] = model.coef_[0]
        bias[j] = model.intercept_[0]

    # liblinear releases the GIL, so the heads train in parallel on both cores.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(fit, range(len(CATEGORIES))))
    return LinearHeads(CATEGORIES, weights, bias)


def _semantic_sample(
    y: NDArray[np.float32],
    limit: int,
    rng: np.random.Generator,
    keep: NDArray[np.bool_] | None = None,
) -> NDArray[np.int64]:
    """Rows for the semantic tier: `keep` rows, every positive of the rarer categories, then
    random rows, `limit` in all."""
    n = y.shape[0]
    if n <= limit:
        return np.arange(n)
    chosen: set[int] = set() if keep is None else {int(r) for r in np.flatnonzero(keep)}
    positives = np.nan_to_num(y, nan=0.0)
    for j in np.argsort(positives.sum(axis=0)):
        rows = np.flatnonzero(positives[:, j] == 1)
        if len(chosen) + rows.size > limit // 2:
            rows = rng.permutation(rows)[: limit // 8]
        chosen.update(int(r) for r in rows)
    taken = np.fromiter(chosen, dtype=np.int64)
    rest = rng.permutation(np.setdiff1d(np.arange(n), taken))
    return np.sort(np.concatenate([taken, rest[: max(0, limit - taken.size)]]))
