"""The engine runs a bundle's fine-tuned encoder as its semantic tier."""

from pathlib import Path

import numpy as np
import pytest
from tests.unit.ml.embeddings.tiny_export import write_tiny_export

from moderation.ml.artifacts import ModelBundle, ModelManifest
from moderation.ml.embeddings import FinetunedScorer
from moderation.ml.engine import Engine
from moderation.ml.engine.engine_options import EngineOptions
from moderation.ml.features.featurizer_config import FeaturizerConfig
from moderation.ml.models import LinearHeads, ProbabilityCalibrator
from moderation.ml.rules import SpamSignalExtractor
from moderation.ml.vocabulary.category import Category

CATEGORIES = list(Category)
TEXTS = ["you are an idiot", "have a nice day", "buy cheap pills now click here"]


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    export = write_tiny_export(tmp_path_factory.mktemp("export"))
    config = FeaturizerConfig(
        word_bits=8, char_bits=8, extra_features=list(SpamSignalExtractor.FEATURE_NAMES)
    )
    n, k = config.n_features, len(CATEGORIES)
    rng = np.random.default_rng(0)
    # Stack weights: the fine-tuned logits dominate, so the tier's effect is visible.
    stack = ProbabilityCalibrator(
        CATEGORIES, np.tile(np.array([[0.1, 2.0]], np.float32), (k, 1)), np.zeros(k, np.float32)
    )
    bundle = ModelBundle(
        manifest=ModelManifest(
            version="0.0.1", categories=CATEGORIES, featurizer=config, cascade_band=(0.0, 1.0)
        ),
        idf=np.ones(n, np.float32),
        fast_heads=LinearHeads(
            CATEGORIES,
            (rng.standard_normal((n, k)) * 0.1).astype(np.float32),
            np.zeros(k, np.float32),
        ),
        fast_calibrator=ProbabilityCalibrator(
            CATEGORIES, np.ones((k, 1), np.float32), np.zeros(k, np.float32)
        ),
        stack_calibrator=stack,
        finetuned_dir=export,
    )
    out = tmp_path_factory.mktemp("bundle") / "tuned"
    bundle.save(out)
    return out


def test_bundle_keeps_the_stack_beside_the_finetuned_folder(bundle_dir: Path) -> None:
    assert (bundle_dir / "stack.npz").is_file()
    assert not (bundle_dir / "semantic.npz").exists()
    loaded = ModelBundle.load(bundle_dir)
    assert loaded.stack_calibrator is not None
    assert loaded.stack_calibrator.n_inputs == 2
    assert loaded.semantic_heads is None


def test_the_stack_is_part_of_the_content_hash(bundle_dir: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(bundle_dir, copy)
    with np.load(copy / "stack.npz") as arrays:
        coef, bias = arrays["stack_coef"], arrays["stack_bias"]
    np.savez_compressed(copy / "stack.npz", stack_coef=coef * 2, stack_bias=bias)
    with pytest.raises(Exception, match="corrupt"):
        ModelBundle.load(copy)


def test_cascade_scores_with_the_finetuned_logits(bundle_dir: Path) -> None:
    bundle = ModelBundle.load(bundle_dir)
    always = Engine(bundle, options=EngineOptions(semantic="always", part_chars=None))
    never = Engine(bundle, options=EngineOptions(semantic="never", part_chars=None))
    assert always.has_semantic_tier
    assert not never.has_semantic_tier
    normalized = [always.normalize(t) for t in TEXTS]
    final, fast, cascaded = always.probabilities(normalized, TEXTS)
    assert cascaded.all()
    scorer = FinetunedScorer.load(bundle_dir / "finetuned")
    stack = bundle.stack_calibrator
    assert stack is not None
    fast_logits = bundle.fast_heads.logits(
        always._featurizer.transform(
            normalized, np.stack([always._spam.extract(t).as_vector() for t in TEXTS])
        )
    )
    expected = stack.probabilities(fast_logits, scorer.logits(normalized))
    # Columns the taxonomy does not touch are exactly the stacked probabilities.
    for category in (Category.SPAM, Category.SEXUAL, Category.PROFANITY):
        column = CATEGORIES.index(category)
        np.testing.assert_allclose(final[:, column], expected[:, column], atol=1e-5)
    assert not np.allclose(final, fast)
    results = always.score(TEXTS)
    assert {r.tier for r in results} == {"cascade"}
    assert {r.tier for r in never.score(TEXTS)} == {"fast"}
    always.warm_up()
