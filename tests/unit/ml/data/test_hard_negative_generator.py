from collections import Counter

from moderation.ml.data import FunctionalSuite, HardNegativeGenerator, IdentityBiasSuite
from moderation.ml.data._cleaning import dedup_key
from moderation.ml.vocabulary.category import Category

C = Category


class TestHardNegativeGenerator:
    def test_size_split_and_source(self) -> None:
        records = HardNegativeGenerator(seed=1).generate()
        assert 1500 <= len(records) <= 5000
        assert {r.split for r in records} == {"train"}
        assert {r.source for r in records} == {"hard_negative"}
        assert len({r.text for r in records}) == len(records)

    def test_deterministic_per_seed(self) -> None:
        first = HardNegativeGenerator(seed=5, per_functionality=50).generate()
        again = HardNegativeGenerator(seed=5, per_functionality=50).generate()
        other = HardNegativeGenerator(seed=6, per_functionality=50).generate()
        assert [r.text for r in first] == [r.text for r in again]
        assert [r.text for r in first] != [r.text for r in other]
        assert len(first) == 50 * len(HardNegativeGenerator.functionalities())

    def test_label_mix_covers_failure_modes(self) -> None:
        records = HardNegativeGenerator().generate()
        kinds = Counter(
            (r.labels.get(C.HATE_SPEECH), r.labels.get(C.THREAT), r.labels.get(C.PROFANITY))
            for r in records
        )
        assert kinds[(0, 0, 0)] > 1000  # clean identity, negated, counter-speech, everyday
        assert kinds[(1, None, None)] > 100  # dehumanising hate
        assert kinds[(0, 1, 0)] > 100  # threats without swearing
        assert kinds[(0, 0, 1)] > 100  # cheerful profanity

    def test_frames_and_texts_disjoint_from_evaluation_suites(self) -> None:
        eval_frames = FunctionalSuite.frames() | IdentityBiasSuite.frames()
        assert not HardNegativeGenerator.frames() & eval_frames
        eval_texts = {dedup_key(c.text) for c in FunctionalSuite()}
        eval_texts |= {dedup_key(c.text) for c in IdentityBiasSuite()}
        generated = {dedup_key(r.text) for r in HardNegativeGenerator().generate()}
        assert not generated & eval_texts

    def test_frame_skeletons_differ_from_evaluation_frames(self) -> None:
        # Same sentence with a different group slot would still leak: compare the frames with
        # their placeholders removed.
        def skeleton(frame: str) -> str:
            return dedup_key(frame.replace("{g}", "").replace("{G}", "").replace("{m}", ""))

        eval_frames = FunctionalSuite.frames() | IdentityBiasSuite.frames()
        assert not {skeleton(f) for f in HardNegativeGenerator.frames()} & {
            skeleton(f) for f in eval_frames
        }
