"""Throughput / latency benchmark for the numpy MiniLM encoder.

Usage: ``uv run python benchmarks/bench_encoder.py [--n-texts 2000] [--blas-threads N]``.
Prints the BLAS numpy uses, RSS after load, texts/s for batch sizes 16/32/64 at
max_tokens 64/128, and single-text latency percentiles. Run it on an idle machine:
OpenBLAS threads degrade badly when another process competes for the cores.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import resource
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psutil

from moderation.ml.embeddings import MiniLMEncoder

_DATA = Path("/work/shared/data/tweeteval_offensive/train_text.txt")


def _blas_description() -> str:
    config = np.show_config(mode="dicts")
    blas = config["Build Dependencies"]["blas"]
    return f"{blas['name']} {blas['version']} ({blas.get('openblas configuration', '')})"


@contextlib.contextmanager
def _blas_threads(limit: int | None) -> Iterator[str]:
    """Optionally cap BLAS threads; threadpoolctl comes with scikit-learn but is optional."""
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:
        yield "threadpoolctl not installed: BLAS thread count unknown"
        return
    with threadpoolctl.threadpool_limits(limits=limit, user_api="blas"):
        infos = threadpoolctl.threadpool_info()
        yield ", ".join(
            f"{i['internal_api']} {i['version']} {i['architecture']} threads={i['num_threads']}"
            for i in infos
            if i["user_api"] == "blas"
        )


def _rss_mib() -> float:
    return float(psutil.Process().memory_info().rss) / 2**20


def _throughput(
    encoder: MiniLMEncoder, texts: list[str], batch_size: int, repeats: int
) -> tuple[float, float]:
    """Best texts/s over ``repeats`` runs, and that run's process CPU time / wall time
    (well below the BLAS thread count means other processes took the cores)."""
    best, cpu_share = float("inf"), 0.0
    for _ in range(repeats):
        cpu_start, start = time.process_time(), time.perf_counter()
        encoder.encode(texts, batch_size=batch_size)
        wall = time.perf_counter() - start
        if wall < best:
            best, cpu_share = wall, (time.process_time() - cpu_start) / wall
    return len(texts) / best, cpu_share


def _latencies_ms(encoder: MiniLMEncoder, texts: list[str]) -> list[float]:
    out = []
    for text in texts:
        start = time.perf_counter()
        encoder.encode([text])
        out.append((time.perf_counter() - start) * 1e3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=_DATA)
    parser.add_argument("--n-texts", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=1, help="best of N runs per setting")
    parser.add_argument("--latency-samples", type=int, default=200)
    parser.add_argument("--blas-threads", type=int, default=None)
    args = parser.parse_args()

    texts = args.data.read_text(encoding="utf-8").splitlines()[: args.n_texts]
    print(f"BLAS (numpy.show_config): {_blas_description()}")
    env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_"))}
    print(f"BLAS env: {env or 'none'}; load average: {os.getloadavg()}")
    rss_before = _rss_mib()
    with _blas_threads(args.blas_threads) as threads:
        print(f"BLAS runtime: {threads}")
        for max_tokens in (64, 128):
            start = time.perf_counter()
            encoder = MiniLMEncoder.load(max_tokens=max_tokens)
            load_s = time.perf_counter() - start
            encoder.encode(texts[:64])
            print(
                f"max_tokens={max_tokens}: load {load_s:.2f}s, RSS {_rss_mib():.0f} MiB "
                f"(before load {rss_before:.0f} MiB)"
            )
            for batch_size in (16, 32, 64):
                rate, cpu_share = _throughput(encoder, texts, batch_size, args.repeats)
                print(
                    f"  batch_size={batch_size:3d}: {rate:7.1f} texts/s "
                    f"({len(texts)} texts, cpu/wall {cpu_share:.2f})"
                )
            lat = _latencies_ms(encoder, texts[: args.latency_samples])
            q = statistics.quantiles(lat, n=20)
            print(
                f"  single text: p50 {statistics.median(lat):.2f} ms, p95 {q[18]:.2f} ms "
                f"({len(lat)} texts)"
            )
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  RSS now {_rss_mib():.0f} MiB, peak {peak:.0f} MiB")
            del encoder


if __name__ == "__main__":
    main()
