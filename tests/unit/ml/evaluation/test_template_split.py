import pytest

from moderation.ml.data import HardNegativeGenerator
from moderation.ml.evaluation import TemplateSplit

TEMPLATES = {"a": ("t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10"), "b": ("x", "y")}


class TestTemplateSplit:
    def test_deterministic_disjoint_and_complete(self) -> None:
        first = TemplateSplit(0.3, seed=1, templates=TEMPLATES)
        again = TemplateSplit(0.3, seed=1, templates=TEMPLATES)
        assert first.held_out() == again.held_out()
        for name, ids in TEMPLATES.items():
            assert first.held_out(name) | first.trained(name) == set(ids)
            assert not first.held_out(name) & first.trained(name)
        assert len(first.held_out("a")) == 3

    def test_seed_changes_which_templates(self) -> None:
        picks = {TemplateSplit(0.3, seed=s, templates=TEMPLATES).held_out("a") for s in range(6)}
        assert len(picks) > 1

    def test_small_functionalities_keep_one_of_each_side(self) -> None:
        split = TemplateSplit(0.1, templates={**TEMPLATES, "solo": ("only",)})
        assert len(split.held_out("b")) == len(split.trained("b")) == 1
        assert split.held_out("solo") == frozenset()
        assert split.trained("solo") == {"only"}

    def test_zero_fraction_holds_nothing_out(self) -> None:
        assert TemplateSplit(0.0, templates=TEMPLATES).held_out() == frozenset()

    def test_fraction_is_checked(self) -> None:
        with pytest.raises(ValueError, match="fraction"):
            TemplateSplit(1.0)

    def test_augmentation_lacks_held_out_templates_and_probes_have_them(self) -> None:
        split = TemplateSplit(0.3, seed=13)
        augmentation = {e.text for e in split.augmentation(seed=13)}
        everything = {e.text for e in HardNegativeGenerator(seed=13).generate()}
        assert augmentation < everything
        probes = split.probes(seed=13, per_functionality=20)
        held_out = {e.text for texts in probes["held_out"].values() for e in texts}
        trained = {e.text for texts in probes["trained"].values() for e in texts}
        assert held_out
        assert not held_out & augmentation
        every_trained_filling = HardNegativeGenerator(per_functionality=10**6).generate(
            split.trained()
        )
        assert trained <= {e.text for e in every_trained_filling}
        assert set(probes["trained"]) == set(HardNegativeGenerator.functionalities())
