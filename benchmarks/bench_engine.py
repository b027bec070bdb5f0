"""Speed and memory of the engine against alt-profanity-check, on the same real texts.

    uv run python benchmarks/bench_engine.py [--data-dir ../shared/data] [--n 6000]

Prints a markdown table; docs/benchmarks.md records the figures.
"""

import argparse
import csv
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import psutil

from moderation.ml.engine import Engine, EngineOptions


def load_texts(data_dir: Path, n: int, seed: int = 7) -> list[str]:
    """A mix of real comments, tweets and messages from the validation-side files."""
    texts: list[str] = []
    for name in ("tweeteval_offensive/val_text.txt", "tweeteval_hate/val_text.txt"):
        texts += (data_dir / name).read_text(encoding="utf-8").splitlines()
    with (data_dir / "toxic_spans/tsd_trial.csv").open(newline="", encoding="utf-8") as handle:
        texts += [row["text"] for row in csv.DictReader(handle)]
    with (data_dir / "impermium_insults/train.csv").open(newline="", encoding="utf-8") as handle:
        texts += [row["Comment"].strip('"') for row in csv.DictReader(handle)]
    for line in (data_dir / "sms_spam/SMSSpamCollection.train").read_text("utf-8").splitlines():
        texts.append(line.split("\t", 1)[-1])
    texts = [t for t in texts if t.strip()]
    random.Random(seed).shuffle(texts)
    return texts[:n]


def throughput(fn: Callable[[Sequence[str]], object], texts: Sequence[str], batch: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        fn(texts[i : i + batch])
    return len(texts) / (time.perf_counter() - start)


def latency(fn: Callable[[Sequence[str]], object], texts: Sequence[str]) -> tuple[float, float]:
    samples = []
    for text in texts:
        start = time.perf_counter()
        fn([text])
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


ONE_LINERS = {
    "clean": "you are a wonderful person",
    "flagged, fast tier": "ur a f4cking idiot, I know where you live",
    "flagged, via the semantic tier": "Women should all be shot",
}


def cli_one_line(text: str, runs: int = 5) -> float:
    exe = Path(sys.executable).parent / "moderation"
    line = json.dumps({"id": 1, "text": text}).encode() + b"\n"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(exe), "score", "-"], input=line, capture_output=True, check=True)  # noqa: S603
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=6000)
    parser.add_argument("--single", type=int, default=1000, help="texts for latency")
    parser.add_argument("--model", default=None, help="bundle directory or name (default: shipped)")
    args = parser.parse_args()
    model = args.model
    texts = load_texts(args.data_dir, args.n)
    mean_chars = statistics.mean(len(t) for t in texts)
    print(f"{len(texts)} real texts, mean {mean_chars:.0f} chars; {os.cpu_count()} CPUs\n")

    rows: list[tuple[str, float, float, float, str]] = []
    fast = Engine.load(model, options=EngineOptions(semantic="never"))
    fast.warm_up()
    fast.score(texts[:50])
    tps = throughput(fast.score, texts, 1000)
    p50, p99 = latency(fast.score, texts[: args.single])
    rows.append(("engine, fast tier", tps, p50, p99, "-"))

    parallel = Engine.load(model, options=EngineOptions(semantic="never", workers=2))
    parallel.score(texts[:2000])
    tps = throughput(parallel.score, texts, len(texts))
    rows.append(("engine, fast tier, 2 worker processes", tps, p50, p99, "same p50/p99"))
    parallel.close()

    cascade = Engine.load(model, options=EngineOptions(semantic="auto"))
    cascade.warm_up()
    share = sum(r.tier == "cascade" for r in cascade.score(texts)) / len(texts)
    tps = throughput(cascade.score, texts, 1000)
    p50, p99 = latency(cascade.score, texts[: args.single])
    rows.append(("engine, full cascade", tps, p50, p99, f"{share:.1%} to semantic tier"))
    cascade2 = Engine.load(model, options=EngineOptions(semantic="auto", workers=2))
    cascade2.warm_up()
    cascade2.score(texts[:2000])
    tps = throughput(cascade2.score, texts, len(texts))
    rows.append(("engine, full cascade, 2 worker processes", tps, p50, p99, "same p50/p99"))
    cascade2.close()

    gc.collect()
    rss = psutil.Process().memory_info().rss / 2**20

    from profanity_check import predict_prob

    predict_prob(texts[:50])
    tps = throughput(predict_prob, texts, 1000)
    p50, p99 = latency(predict_prob, texts[: args.single])
    rows.append(("alt-profanity-check 1.9.1", tps, p50, p99, "profanity only"))

    print("| scorer | batch texts/s | single p50 ms | single p99 ms | note |")
    print("|---|---:|---:|---:|---|")
    for name, tps, p50, p99, note in rows:
        print(f"| {name} | {tps:,.0f} | {p50:.2f} | {p99:.2f} | {note} |")
    print(f"\nresident memory, both engines and MiniLM loaded: {rss:.0f} MB")
    for label, text in ONE_LINERS.items():
        seconds = cli_one_line(text)
        print(f"`moderation score` on one {label} line, wall clock incl. start-up: {seconds:.2f} s")


if __name__ == "__main__":
    main()
