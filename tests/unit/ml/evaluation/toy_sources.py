"""Tiny synthetic sources for the out-of-domain protocol tests (no shared data needed)."""

import random

from moderation.ml.data import LabelledText
from moderation.ml.vocabulary.category import Category

TOX, INS, SPAM = Category.TOXICITY, Category.INSULT, Category.SPAM
_BAD = ("idiot", "moron", "loser", "scum", "clown", "fool")
_GOOD = ("lovely", "great", "sunny", "kind", "helpful", "calm")
_NOUNS = ("day", "weather", "game", "movie", "team", "shop", "book")


def toy_source(
    name: str,
    n: int = 40,
    labels: tuple[Category, ...] = (TOX,),
    zero: tuple[Category, ...] = (SPAM,),
    seed: int = 0,
    bad: tuple[str, ...] = _BAD,
) -> list[LabelledText]:
    """`n` texts of one source, half toxic ("what a idiot day"), half clean; `labels` follow
    toxicity, `zero` are 0 on every text, the rest unknown (masked). Every fifth text is in
    validation."""
    rng = random.Random(f"{seed}:{name}")
    out = []
    for i in range(n):
        toxic = i % 2 == 0
        word = rng.choice(bad if toxic else _GOOD)
        text = f"{name} {i}: what a {word} {rng.choice(_NOUNS)}, {rng.choice(_NOUNS)} {i}"
        split = "validation" if i % 5 == 4 else "train"
        known = {**dict.fromkeys(zero, 0), **dict.fromkeys(labels, int(toxic))}
        out.append(LabelledText(text, known, name, split))
    return out
