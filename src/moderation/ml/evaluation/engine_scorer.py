"""The engine's own tiers, trained by the project's Trainer, behind the protocol's seam."""

import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from moderation.ml.data import LabelledText
from moderation.ml.engine.engine import Engine
from moderation.ml.engine.engine_options import EngineOptions
from moderation.ml.evaluation.fitted_scorer import FittedScorer, ScorerFactory
from moderation.ml.policy.moderation_policy import ModerationPolicy
from moderation.ml.training.trainer import Trainer
from moderation.ml.training.training_config import TrainingConfig
from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.moderation_result import ModerationResult

_TOXICITY_KINDS = frozenset({Category.INSULT, Category.THREAT, Category.HATE_SPEECH})
_BATCH = 512


class EngineScorer:
    """An `Engine` on a bundle trained from given examples, scored at the default policy.

    `probabilities` are the calibrated model probabilities (the fast tier, or the cascade
    when a semantic tier was trained); `decisions` are what the engine acts on: a probability
    at the policy's flag threshold, or a built-in lexicon rule hit.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @classmethod
    def train(
        cls,
        train: Sequence[LabelledText],
        validation: Sequence[LabelledText],
        config: TrainingConfig,
        progress: Callable[[str], None] | None = None,
    ) -> "EngineScorer":
        """Train with `Trainer.fit` into a scratch directory and load it as the product does
        (float16 weights, span tagger from disk), so the scores are those a deployment sees."""
        with tempfile.TemporaryDirectory(prefix="ood-bundle-") as scratch:
            out_dir = Path(scratch) / "bundle"
            cfg = config.model_copy(update={"out_dir": out_dir})
            Trainer(cfg, progress).fit(train, validation)
            tiered = cfg.semantic or cfg.finetuned_dir is not None
            options = EngineOptions(semantic="auto" if tiered else "never")
            engine = Engine.load(out_dir, ModerationPolicy(), options)
            # The tagger loads lazily from disk; pull it in before the directory goes.
            engine.warm_up()
        return cls(engine)

    @classmethod
    def factory(cls, data_dir: Path, seed: int = 13, semantic: bool = False) -> ScorerFactory:
        """For `OodProtocol`: the fold models are the fast tier alone (no semantic tier, no
        span tagger, to fit the time); the final model adds the span tagger when the
        toxic-spans files are there, and the semantic tier if asked."""
        has_spans = (data_dir / "toxic_spans" / "tsd_train.csv").is_file()

        def make(
            train: Sequence[LabelledText],
            validation: Sequence[LabelledText],
            augmentation: Sequence[LabelledText],
            final: bool,
        ) -> FittedScorer:
            config = TrainingConfig(
                data_dir=data_dir,
                out_dir=data_dir / "unused",  # replaced by a scratch directory in `train`
                seed=seed,
                semantic=semantic and final,
                spans=has_spans and final,
            )
            return cls.train([*train, *augmentation], validation, config)

        return make

    @classmethod
    def finetuned_factory(
        cls,
        data_dir: Path,
        exports: Mapping[Path, frozenset[str]],
        sources: Iterable[str],
        seed: int = 13,
        cascade_band: tuple[float, float] | None = None,
    ) -> ScorerFactory:
        """For `OodProtocol`: the engine with a fine-tuned tier. `exports` maps each export
        of training/finetune_minilm.py to the sources it was trained without; a fold uses an
        export that never saw its held-out source (one export cannot be retrained per fold:
        a fine-tune takes 20-45 min here), the final model the export that left none out.
        `sources`: every source of the run, to tell which one a fold holds out;
        `cascade_band`: the fast-tier probabilities that send a text to the second tier
        ((0, 1): every text; None: the Trainer's default, what ships)."""
        everything = frozenset(sources)
        has_spans = (data_dir / "toxic_spans" / "tsd_train.csv").is_file()

        def make(
            train: Sequence[LabelledText],
            validation: Sequence[LabelledText],
            augmentation: Sequence[LabelledText],
            final: bool,
        ) -> FittedScorer:
            held_out = everything - {e.source for e in [*train, *validation]}
            usable = [d for d, left_out in exports.items() if held_out <= left_out]
            if final:
                usable = [d for d, left_out in exports.items() if not left_out]
            if not usable:
                wanted = "left nothing out" if final else f"left out {sorted(held_out)}"
                raise ValueError(f"no fine-tuned export {wanted}")
            config = TrainingConfig(
                data_dir=data_dir,
                out_dir=data_dir / "unused",
                seed=seed,
                semantic=False,
                finetuned_dir=usable[0],
                spans=has_spans and final,
            )
            if cascade_band is not None:
                config = config.model_copy(update={"cascade_band": cascade_band})
            return cls.train([*train, *augmentation], validation, config)

        return make

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def categories(self) -> Sequence[Category]:
        return self._engine.categories

    def threshold(self, category: Category) -> float:
        return self._engine.policy.thresholds(category).flag_at

    def probabilities(self, texts: Sequence[str]) -> NDArray[np.float64]:
        parts = [np.zeros((0, len(self.categories)), dtype=np.float64)]
        for i in range(0, len(texts), _BATCH):
            batch = list(texts[i : i + _BATCH])
            normalized = [self._engine.normalize(t) for t in batch]
            parts.append(self._engine.probabilities(normalized, batch)[0].astype(np.float64))
        return np.concatenate(parts)

    def decisions(self, texts: Sequence[str]) -> NDArray[np.bool_]:
        out = np.zeros((len(texts), len(self.categories)), dtype=np.bool_)
        for row, result in enumerate(self._results(texts)):
            flagged = self._flagged(result)
            for j, category in enumerate(self.categories):
                out[row, j] = category in flagged
        return out

    def char_spans(self, texts: Sequence[str]) -> list[list[int]] | None:
        if not self._engine.bundle.manifest.has_span_tagger:
            return None
        # What a reviewer sees (as benchmarks/eval_spans.py): every span of a non-approved
        # result except spam, whichever part of the engine produced it.
        return [
            sorted(
                {
                    offset
                    for span in result.spans
                    if span.category is not Category.SPAM
                    for offset in range(span.start, span.end)
                }
            )
            for result in self._results(texts)
        ]

    def _results(self, texts: Sequence[str]) -> list[ModerationResult]:
        results: list[ModerationResult] = []
        for i in range(0, len(texts), _BATCH):
            results.extend(self._engine.score(list(texts[i : i + _BATCH])))
        return results

    def _flagged(self, result: ModerationResult) -> set[Category]:
        # The same reading of a result as ModelEvaluator's functional suite, so the numbers
        # compare with the model card's.
        ruled = {s.category for s in result.spans if s.source.startswith("rule:")}
        if ruled & _TOXICITY_KINDS:
            ruled.add(Category.TOXICITY)
        policy = self._engine.policy
        return {
            c for c, p in result.scores.items() if p >= policy.thresholds(c).flag_at or c in ruled
        }
