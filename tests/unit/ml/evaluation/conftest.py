"""Fixtures of synthetic sources for the out-of-domain protocol tests."""

import pytest
from tests.unit.ml.evaluation.toy_sources import INS, TOX, toy_source

from moderation.ml.data import LabelledText


@pytest.fixture
def toy_examples() -> list[LabelledText]:
    """Three sources; only `forum` labels insult, and spam is labelled 0 everywhere."""
    return [
        *toy_source("chat"),
        *toy_source("forum", labels=(TOX, INS)),
        *toy_source("news"),
    ]
