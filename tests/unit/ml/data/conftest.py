import os
from pathlib import Path

import pytest

from moderation.ml.data import DatasetCatalog, LabelledText


def _data_dir() -> Path | None:
    candidates = [os.environ.get("MODERATION_DATA_DIR", "")]
    repo = Path(__file__).resolve().parents[4]
    candidates += [str(repo / "shared" / "data"), str(repo.parent / "shared" / "data")]
    for candidate in candidates:
        if candidate and (Path(candidate) / "davidson_hate_offensive").is_dir():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    found = _data_dir()
    if found is None:
        pytest.skip("shared/data not found (set MODERATION_DATA_DIR)")
    return found


@pytest.fixture(scope="session")
def catalog(data_dir: Path) -> DatasetCatalog:
    return DatasetCatalog(data_dir)


@pytest.fixture(scope="session")
def all_records(catalog: DatasetCatalog) -> list[LabelledText]:
    return catalog.load_all()
