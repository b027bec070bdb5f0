"""Which hard-negative templates a protocol run may train on, and which it keeps for testing."""

import hashlib
from collections.abc import Mapping, Sequence

from moderation.ml.data import HardNegativeGenerator, LabelledText


class TemplateSplit:
    """A deterministic split of the hard-negative templates by template id.

    The functional suite never shares a frame with training, so it cannot tell memorised
    templates from learned behaviour. Holding some augmentation templates out of training and
    scoring both halves can: a scorer that passes the trained templates but not the held-out
    ones learned the sentences, not the functionality. Per functionality, templates are ordered
    by a hash of (seed, id) and the first `fraction` of them (at least one, when there are two
    or more) are held out; the split depends on the ids only, never on the generator's sample.
    """

    def __init__(
        self,
        fraction: float = 0.3,
        seed: int = 0,
        templates: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        if not 0.0 <= fraction < 1.0:
            raise ValueError("fraction must be in [0, 1)")
        self.fraction = fraction
        self.seed = seed
        found = templates if templates is not None else HardNegativeGenerator.templates()
        self._held_out: dict[str, frozenset[str]] = {}
        self._trained: dict[str, frozenset[str]] = {}
        for functionality, ids in found.items():
            ordered = sorted(dict.fromkeys(ids), key=self._rank)
            count = 0 if fraction == 0 else max(1, round(fraction * len(ordered)))
            count = min(count, len(ordered) - 1) if len(ordered) > 1 else 0
            self._held_out[functionality] = frozenset(ordered[:count])
            self._trained[functionality] = frozenset(ordered[count:])

    def held_out(self, functionality: str | None = None) -> frozenset[str]:
        """Held-out template ids, of one functionality or of all."""
        return self._pick(self._held_out, functionality)

    def trained(self, functionality: str | None = None) -> frozenset[str]:
        """Template ids training may use, of one functionality or of all."""
        return self._pick(self._trained, functionality)

    def functionalities(self) -> list[str]:
        return list(self._trained)

    def augmentation(self, seed: int) -> list[LabelledText]:
        """The Trainer's hard negatives, minus every held-out template."""
        return HardNegativeGenerator(seed=seed).generate(self.trained())

    def probes(
        self, seed: int, per_functionality: int = 120
    ) -> dict[str, dict[str, list[LabelledText]]]:
        """{"trained" | "held_out": {functionality: texts}} to score after training.

        The trained side is fillings of templates the scorer trained on (mostly the very texts:
        most functionalities have fewer fillings than the Trainer's 600), so its accuracy is
        the fit; the held-out side's is generalisation to unseen sentences.
        """
        out: dict[str, dict[str, list[LabelledText]]] = {"trained": {}, "held_out": {}}
        generator = HardNegativeGenerator(seed=seed, per_functionality=per_functionality)
        for functionality in self.functionalities():
            for side, ids in (
                ("trained", self.trained(functionality)),
                ("held_out", self.held_out(functionality)),
            ):
                if ids:
                    out[side][functionality] = generator.generate(ids)
        return out

    def _rank(self, template_id: str) -> str:
        return hashlib.sha256(f"{self.seed}:{template_id}".encode()).hexdigest()

    @staticmethod
    def _pick(table: Mapping[str, frozenset[str]], functionality: str | None) -> frozenset[str]:
        if functionality is not None:
            return table.get(functionality, frozenset())
        return frozenset().union(*table.values()) if table else frozenset()
