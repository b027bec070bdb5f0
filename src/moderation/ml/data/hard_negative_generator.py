"""Synthetic training texts for the failure modes of bag-of-words toxicity models."""

import itertools
import random
from collections.abc import Container

from moderation.ml.data import _hard_negative_templates as t
from moderation.ml.data._identity_groups import TRAIN_GROUPS, fill
from moderation.ml.data.labelled_text import LabelledText

SOURCE = "hard_negative"


class HardNegativeGenerator:
    """A few thousand labelled texts, seeded and deterministic, all in the "train" split.

    Functionalities: neutral and positive identity statements, negated hate and counter-speech
    (all clean), non-hateful profanity (profanity 1, hate 0), threats without swearing (threat 1,
    toxicity 1), dehumanising hate (hate 1, toxicity 1) and everyday clean texts. The frames are
    disjoint from FunctionalSuite and IdentityBiasSuite so evaluation never sees training text.
    """

    def __init__(self, seed: int = 0, per_functionality: int = 600, weight: float = 1.0) -> None:
        self.seed = seed
        self.per_functionality = per_functionality
        self.weight = weight

    def generate(self, templates: Container[str] | None = None) -> list[LabelledText]:
        """Up to `per_functionality` texts per functionality, a seeded sample of all fillings.

        `templates` keeps only texts made from those template ids (see `templates()`), so an
        evaluation can hold some templates out of training and test on them.
        """
        rng = random.Random(self.seed)  # noqa: S311 - sampling, not security
        out: list[LabelledText] = []
        for pairs, labels in self._candidates().values():
            unique = sorted({text for tid, text in pairs if templates is None or tid in templates})
            rng.shuffle(unique)
            out.extend(
                LabelledText(text, dict(labels), SOURCE, "train", self.weight)
                for text in unique[: self.per_functionality]
            )
        return out

    @staticmethod
    def functionalities() -> list[str]:
        """Names of the generated functionalities."""
        return [
            *t.GROUP_FRAMES,
            "profanity_not_hateful",
            "threat_no_swear",
            "clean_everyday",
            "helpful_contact",
        ]

    @staticmethod
    def frames() -> frozenset[str]:
        """Every sentence frame used (to check disjointness from the evaluation suites)."""
        group_frames = {f for frames, _ in t.GROUP_FRAMES.values() for f in frames}
        fillers = {*t.PROFANITY_FRAMES, *t.THREAT_FRAMES, *t.CLEAN_FRAMES, *t.CONTACT_FRAMES}
        return frozenset(group_frames | fillers | set(t.THREAT_HARMS))

    @staticmethod
    def templates() -> dict[str, tuple[str, ...]]:
        """Template ids per functionality: the sentence frame, or for profanity and threats
        (one or two frames only) the varying core, the good news or the harm."""
        return {
            name: tuple(dict.fromkeys(tid for tid, _ in pairs))
            for name, (pairs, _) in HardNegativeGenerator._candidates().items()
        }

    @staticmethod
    def _candidates() -> dict[str, tuple[list[tuple[str, str]], t.Labels]]:
        """functionality -> ([(template id, text)], labels)."""
        found: dict[str, tuple[list[tuple[str, str]], t.Labels]] = {
            name: ([(f, fill(f, g)) for f in frames for g in TRAIN_GROUPS], labels)
            for name, (frames, labels) in t.GROUP_FRAMES.items()
        }
        profane = [
            (
                news,
                frame.format(opener=opener, news=news, closer=closer)
                if frame.startswith("{opener}")
                else frame.format(opener=opener, news=news[:1].upper() + news[1:], closer=closer),
            )
            for frame in t.PROFANITY_FRAMES
            for opener, news, closer in itertools.product(
                t.PROFANE_OPENERS, t.GOOD_NEWS, t.PROFANE_CLOSERS
            )
        ]
        found["profanity_not_hateful"] = (profane, t.PROFANITY_LABELS)
        threats = [
            (harm, frame.format(opener=opener, harm=harm).strip())
            for frame in t.THREAT_FRAMES
            for opener, harm in itertools.product(t.THREAT_OPENERS, t.THREAT_HARMS)
        ]
        found["threat_no_swear"] = (threats, t.THREAT_LABELS)
        clean = [
            (frame, frame.format(*values))
            for frame, slots in t.CLEAN_FRAMES.items()
            for values in itertools.product(*slots)
        ]
        found["clean_everyday"] = (clean, t.CLEAN_LABELS)
        contacts = [
            (frame, frame.format(*values))
            for frame, slots in t.CONTACT_FRAMES.items()
            for values in itertools.product(*slots)
        ]
        found["helpful_contact"] = (contacts, t.CLEAN_LABELS)
        return found
