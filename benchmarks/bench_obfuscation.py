"""Detections kept under obfuscation, and false positives on clean text with symbols.

    uv run python benchmarks/bench_obfuscation.py [--data-dir ../shared/data] [--n 600]
        [--timing]

Toxic texts the shipped engine rejects or flags (toxic_spans posts and offensive Davidson
tweets) get 1-2 of their offensive words (built-in lexicon words and the insults below; in
toxic_spans only those inside the gold toxic spans) disguised per obfuscation kind; clean
texts it approves (Davidson "neither" tweets, SMS ham) get benign text with symbols inserted.
Both are scored by the engine with the normaliser's obfuscation repair off
(`MODERATION_NORMALIZER_REPAIR=0`, read when the engine is built) and on. `--timing` adds
normaliser and fast-tier throughput (per CPU second) on real texts, repair off and on.
Prints markdown tables; docs/benchmarks.md records the figures.
"""

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from moderation.domain.models import Decision
from moderation.ml.engine import Engine, EngineOptions
from moderation.ml.rules import DefaultLexicon
from moderation.ml.text import TextNormalizer
from moderation.ml.text.text_normalizer import REPAIR_ENV

_WORD = re.compile(r"[A-Za-z]{3,}")
_VOWELS = "aeiouAEIOU"
_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5"})
_CYRILLIC = str.maketrans({"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х"})

# Abusive words toxic_spans' raters mark most often (the words people disguise), besides the
# built-in lexicon's profanity, sexual terms and slurs.
INSULTS = frozenset(
    """stupid stupidity stupidest idiot idiots idiotic idiocy ignorant ignorance dumb dumber
    moron morons moronic fool fools foolish pathetic ridiculous silly loser losers racist
    liar liars lying hypocrite hypocrites hypocrisy hypocritical garbage trash scum clown
    clowns jerk disgusting troll trolls useless coward crazy corrupt buffoon imbecile pig
    arrogant incompetent lunatic nonsense traitor kill killing shoot suck sucks sick""".split()
)

Rewrite = Callable[[str, random.Random], str]


def _inner_vowels(word: str) -> list[int]:
    return [i for i in range(1, len(word) - 1) if word[i] in _VOWELS]


def _one_inner(word: str, rng: random.Random) -> int:
    """An inner position to disguise, a vowel where there is one."""
    vowels = _inner_vowels(word)
    return rng.choice(vowels) if vowels else max(1, len(word) // 2)


def asterisk(word: str, rng: random.Random) -> str:
    # Every inner vowel, as people write "f*ck", "id**t"; a consonant when there is no vowel.
    positions = set(_inner_vowels(word)) or {_one_inner(word, rng)}
    return "".join("*" if i in positions else c for i, c in enumerate(word))


def symbol(word: str, rng: random.Random) -> str:
    # "@" for an "a" (leading too: "@ss"), "$" for an "s", else "#" or "%" for a vowel.
    lower = word.lower()
    if "a" in lower and rng.random() < 0.5:
        i = lower.index("a")
        return word[:i] + "@" + word[i + 1 :]
    inner_s = [i for i in range(1, len(word) - 1) if lower[i] == "s"]
    if inner_s and rng.random() < 0.5:
        i = rng.choice(inner_s)
        return word[:i] + "$" + word[i + 1 :]
    i = _one_inner(word, rng)
    return word[:i] + rng.choice("#%") + word[i + 1 :]


def spaced(word: str, rng: random.Random) -> str:
    # "f * c k": spelt out, one vowel masked.
    i = _one_inner(word, rng)
    return " ".join("*" if j == i else c for j, c in enumerate(word))


def dotted(word: str, rng: random.Random) -> str:
    # "f.*.c.k"
    i = _one_inner(word, rng)
    return ".".join("*" if j == i else c for j, c in enumerate(word))


def transposition(word: str, rng: random.Random) -> str:
    # Two different neighbours swapped ("fcuk", "idoit").
    pairs = [i for i in range(len(word) - 1) if word[i].lower() != word[i + 1].lower()]
    inner = [i for i in pairs if 0 < i < len(word) - 2] or pairs
    if not inner:
        return word
    i = rng.choice(inner)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def deletion(word: str, rng: random.Random) -> str:
    # One inner letter dropped, a vowel where there is one ("stupd", "fck").
    if len(word) < 4:
        return word
    i = _one_inner(word, rng)
    return word[:i] + word[i + 1 :]


def mixed(word: str, rng: random.Random) -> str:
    # Two disguises on one word: a mask with leetspeak, a swap in capitals, a mask with a
    # Cyrillic look-alike, or a swap with leetspeak.
    kind = rng.randrange(4)
    if kind == 0:
        i = _one_inner(word, rng)
        return word[0] + "".join(
            "*" if j == i else c.lower().translate(_LEET) for j, c in enumerate(word[1:], 1)
        )
    if kind == 1:
        return transposition(word, rng).upper()
    if kind == 2:
        i = _one_inner(word, rng)
        rest = word[:i] + "#" + word[i + 1 :]
        return rest[0] + rest[1:].translate(_CYRILLIC)
    swapped = transposition(word, rng)
    return swapped[0] + swapped[1:].lower().translate(_LEET)


OBFUSCATIONS: dict[str, Rewrite] = {
    "asterisk (f*ck)": asterisk,
    "# @ $ % (f#ck, @ss)": symbol,
    "spaced, vowel masked (f * c k)": spaced,
    "dotted, vowel masked (f.*.c.k)": dotted,
    "transposition (fcuk)": transposition,
    "deletion (stupd)": deletion,
    "mixed (f*ck1ng, FCUK, f#сk, 1d0it)": mixed,
}

BENIGN: dict[str, list[str]] = {
    "price": ["only $5 today", "paid $19.99 for it", "it was $250!", "save 20% and $10"],
    "rating": ["5* hotel", "rated 4.5/5", "5/5 would buy again", "3* at best", "10/10"],
    "email": ["mail me at john.doe@example.com", "write to info@shop.co.uk", "cc: a_b@x.org"],
    "code": ["x = y*2", "a*b + c", "int *p = &x;", "if (a*b > c) {", "run ls -la *.txt"],
    "markdown": ["**bold**", "*really* nice", "__init__ it", "# Heading", "~~old~~ new"],
    "footnote": ["terms apply*", "free delivery**", "see note*", "(*) conditions"],
    "platform-censored (****)": ["what the ****", "he said [****]", "you ****", "***"],
}


def disguise(text: str, spans: Sequence[tuple[int, int]], rewrite: Rewrite, seed: int) -> str:
    rng = random.Random(seed)
    out = text
    for start, end in sorted(spans, reverse=True):
        out = out[:start] + rewrite(out[start:end], rng) + out[end:]
    return out


def insert_benign(text: str, snippets: Sequence[str], seed: int) -> str:
    rng = random.Random(seed)
    words = text.split(" ")
    at = rng.randrange(len(words) + 1)
    return " ".join([*words[:at], rng.choice(snippets), *words[at:]])


def _span_words(text: str, spans: list[int], offensive: frozenset[str]) -> list[tuple[int, int]]:
    """Offensive words that lie inside the gold toxic characters."""
    marked = set(spans)
    return [
        m.span()
        for m in _WORD.finditer(text)
        if m.start() in marked and m.group().lower() in offensive
    ]


def load_toxic(data_dir: Path, lexicon: frozenset[str]) -> list[tuple[str, list[tuple[int, int]]]]:
    """(text, spans of the words to disguise): toxic_spans posts and offensive tweets."""
    offensive = lexicon | INSULTS
    posts: list[tuple[str, list[tuple[int, int]]]] = []
    with (data_dir / "toxic_spans/tsd_train.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = row["text"]
            words = _span_words(text, json.loads(row["spans"]), offensive)
            if words and len(text) <= 400:
                posts.append((text, words[:2]))
    tweets: list[tuple[str, list[tuple[int, int]]]] = []
    path = data_dir / "davidson_hate_offensive/labeled_data.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["class"] == "2":
                continue
            text = row["tweet"]
            words = [m.span() for m in _WORD.finditer(text) if m.group().lower() in offensive]
            if words:
                tweets.append((text, words[:2]))
    rng = random.Random(11)
    rng.shuffle(posts)
    rng.shuffle(tweets)
    return [x for pair in zip(posts, tweets, strict=False) for x in pair]


def load_clean(data_dir: Path) -> list[str]:
    texts: list[str] = []
    path = data_dir / "davidson_hate_offensive/labeled_data.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        texts += [row["tweet"] for row in csv.DictReader(handle) if row["class"] == "2"]
    for line in (data_dir / "sms_spam/SMSSpamCollection.train").read_text("utf-8").splitlines():
        label, _, text = line.partition("\t")
        if label == "ham" and len(text.split()) >= 3:
            texts.append(text)
    random.Random(12).shuffle(texts)
    return texts


def flagged(engine: Engine, texts: Sequence[str]) -> list[bool]:
    return [r.decision is not Decision.APPROVE for r in engine.score(texts)]


def build_engine(repair: bool, options: EngineOptions | None = None) -> Engine:
    os.environ[REPAIR_ENV] = "1" if repair else "0"
    try:
        return Engine.load(options=options)
    finally:
        del os.environ[REPAIR_ENV]


def _lexicon_words() -> frozenset[str]:
    rules = DefaultLexicon(("profanity", "sexual", "slurs")).rules()
    return frozenset(r.pattern for r in rules if r.kind == "word" and " " not in r.pattern)


def detections(args: argparse.Namespace, before: Engine, after: Engine) -> None:
    pool = load_toxic(args.data_dir, _lexicon_words())[: args.n * 3]
    hit_before = flagged(before, [t for t, _ in pool])
    hit_after = flagged(after, [t for t, _ in pool])
    toxic = [x for x, a, b in zip(pool, hit_before, hit_after, strict=True) if a and b]
    toxic = toxic[: args.n]
    print(f"{len(toxic)} toxic texts, non-approved by both engines before any disguise\n")
    print("| obfuscation | example | kept, repair off | kept, repair on |")
    print("|---|---|---:|---:|")
    for name, rewrite in OBFUSCATIONS.items():
        texts = [disguise(t, spans, rewrite, seed) for seed, (t, spans) in enumerate(toxic)]
        example = rewrite("fucking", random.Random(1))
        kept = [sum(flagged(engine, texts)) / len(texts) for engine in (before, after)]
        print(f"| {name} | `{example}` | {kept[0]:.1%} | {kept[1]:.1%} |")


def false_positives(args: argparse.Namespace, before: Engine, after: Engine) -> None:
    pool = load_clean(args.data_dir)[: args.n * 2]
    hit_before = flagged(before, pool)
    hit_after = flagged(after, pool)
    clean = [t for t, a, b in zip(pool, hit_before, hit_after, strict=True) if not (a or b)]
    clean = clean[: args.n]
    flips = sum(b and not a for a, b in zip(hit_before, hit_after, strict=True))
    print(f"\nclean texts approved with repair off but not on: {flips} of {len(pool)}")
    print(f"\n{len(clean)} clean texts, approved by both engines before any insertion\n")
    print("| inserted | false positives, repair off | repair on | rise (points) |")
    print("|---|---:|---:|---:|")
    kinds = {**BENIGN, "all kinds, 3 per text": [s for v in BENIGN.values() for s in v]}
    for name, snippets in kinds.items():
        rounds = 3 if name.startswith("all") else 1
        texts = clean
        for r in range(rounds):
            texts = [insert_benign(t, snippets, seed * 7 + r) for seed, t in enumerate(texts)]
        rates = [sum(flagged(engine, texts)) / len(texts) for engine in (before, after)]
        rise = (rates[1] - rates[0]) * 100
        print(f"| {name} | {rates[0]:.1%} | {rates[1]:.1%} | {rise:+.1f} |")


def _rates(fns: Sequence[Callable[[Sequence[str]], object]], texts: Sequence[str]) -> list[float]:
    """Texts per second of CPU time for each of `fns`, best of 5 rounds taken in turn, so
    load from other processes on the machine weighs on all of them alike."""
    best = [float("inf")] * len(fns)
    for _ in range(5):
        for i, fn in enumerate(fns):
            start = time.process_time()
            for j in range(0, len(texts), 1000):
                fn(texts[j : j + 1000])
            best[i] = min(best[i], time.process_time() - start)
    return [len(texts) / seconds for seconds in best]


def _each(fn: Callable[[str], object]) -> Callable[[Sequence[str]], object]:
    return lambda batch: [fn(t) for t in batch]


def _timing_texts(data_dir: Path) -> tuple[list[str], list[str]]:
    with (data_dir / "toxic_spans/tsd_train.csv").open(newline="", encoding="utf-8") as f:
        posts = [row["text"] for row in csv.DictReader(f)][:4000]
    path = data_dir / "davidson_hate_offensive/labeled_data.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        tweets = [row["tweet"] for row in csv.DictReader(handle)][:4000]
    return posts, tweets


def engine_rate(data_dir: Path, repair: bool) -> float:
    """Fast-tier texts per CPU second, in a process of its own: two engines in one process
    slow each other down (caches), which hid the real difference."""
    posts, tweets = _timing_texts(data_dir)
    mixed = [t for pair in zip(posts, tweets, strict=True) for t in pair]
    engine = build_engine(repair, EngineOptions(semantic="never"))
    engine.warm_up()
    engine.score(mixed)
    return _rates([engine.score], mixed)[0]


def timing(args: argparse.Namespace) -> None:
    posts, tweets = _timing_texts(args.data_dir)
    print("\n| texts per CPU second (best of 5) | repair off | repair on |")
    print("|---|---:|---:|")
    for label, texts in (("toxic_spans posts", posts), ("Davidson tweets", tweets)):
        for method in ("normalize_for_features", "normalize"):
            fns = [getattr(TextNormalizer(repair=r), method) for r in (False, True)]
            for fn in fns:
                fn(texts[0])
            rates = _rates([_each(fn) for fn in fns], texts)
            print(f"| `{method}`, {len(texts):,} {label} | {rates[0]:,.0f} | {rates[1]:,.0f} |")
    best = {False: 0.0, True: 0.0}
    for repair in (False, True, True, False):
        command = [sys.executable, __file__, "--data-dir", str(args.data_dir), "--engine-rate"]
        run = subprocess.run([*command, str(int(repair))], capture_output=True, check=True)  # noqa: S603
        best[repair] = max(best[repair], float(run.stdout.decode().split()[-1]))
    print(
        f"| engine fast tier, batches of 1,000, {2 * len(posts):,} texts, one process each | ",
        end="",
    )
    print(f"{best[False]:,.0f} | {best[True]:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=600, help="toxic and clean texts each")
    parser.add_argument("--timing", action="store_true", help="also measure throughput")
    parser.add_argument("--engine-rate", type=int, choices=(0, 1), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_rate is not None:
        print(engine_rate(args.data_dir, bool(args.engine_rate)))
        return
    before, after = build_engine(repair=False), build_engine(repair=True)
    detections(args, before, after)
    false_positives(args, before, after)
    if args.timing:
        timing(args)


if __name__ == "__main__":
    main()
