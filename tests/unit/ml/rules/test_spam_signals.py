import numpy as np

from moderation.ml.rules import SpamSignals


class TestSpamSignals:
    def test_vector_follows_feature_name_order(self) -> None:
        values = {name: float(i + 1) for i, name in enumerate(SpamSignals.FEATURE_NAMES)}
        vector = SpamSignals(**values).as_vector()
        assert vector.tolist() == list(values.values())
        assert vector.dtype == np.float32
        assert len(SpamSignals.FEATURE_NAMES) == 10
