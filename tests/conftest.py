"""Session fixtures: the datasets and a tiny model trained in this run.

Training and evaluation tests use `training_data_dir`: samples of the redistributable shared
sets committed in tests/fixtures/datasets (built by tests/fixtures/build_datasets.py), so they
run, and give the same model, on every clone. Only the checks of the full datasets themselves
use `shared_data_dir`, and skip where it is absent (a user's clone has no ../shared/data).
"""

import os
from pathlib import Path

import pytest

from moderation.ml.data import DatasetCatalog, LabelledText
from moderation.ml.training import Trainer, TrainingConfig

os.environ.setdefault("HF_HUB_OFFLINE", "1")

FIXTURE_DATASETS = Path(__file__).resolve().parent / "fixtures" / "datasets"


def _find_data_dir() -> Path | None:
    repo = Path(__file__).resolve().parents[1]
    candidates = [
        os.environ.get("MODERATION_DATASETS_DIR", ""),
        str(repo.parent / "shared" / "data"),
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "davidson_hate_offensive").is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    found = _find_data_dir()
    if found is None:
        pytest.skip("shared/data not found (set MODERATION_DATASETS_DIR)")
    return found


@pytest.fixture(scope="session")
def training_data_dir() -> Path:
    return FIXTURE_DATASETS


@pytest.fixture(scope="session")
def catalog(shared_data_dir: Path) -> DatasetCatalog:
    return DatasetCatalog(shared_data_dir)


@pytest.fixture(scope="session")
def all_records(catalog: DatasetCatalog) -> list[LabelledText]:
    return catalog.load_all()


@pytest.fixture(scope="session")
def tiny_model_dir(training_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real model (both tiers) trained on the committed dataset samples."""
    out = tmp_path_factory.mktemp("models") / "tiny"
    config = TrainingConfig(
        data_dir=training_data_dir,
        out_dir=out,
        version="0.0.1",
        max_per_source=None,
        semantic=True,
        semantic_max_train=400,
        spans=False,
        word_bits=16,
        char_bits=16,
    )
    Trainer(config).run()
    return out
