import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from threadpoolctl import threadpool_limits

from moderation.ml.policy.moderation_policy import ModerationPolicy
from moderation.ml.vocabulary.moderation_result import ModerationResult

Scorer = Callable[[Sequence[str], ModerationPolicy | None], list[ModerationResult]]

# Set in the parent just before the pool forks, so children inherit the loaded engine
# instead of unpickling hundreds of MB of weights.
_SCORER: Scorer | None = None


def _one_blas_thread() -> None:
    # Each worker owns one core; BLAS threads in every worker would fight over the same two
    # cores and make the semantic tier slower than one process.
    threadpool_limits(limits=1)


def _score_chunk(args: tuple[Sequence[str], ModerationPolicy | None]) -> list[ModerationResult]:
    if _SCORER is None:  # pragma: no cover - only if the pool was not forked from us
        raise RuntimeError("worker has no engine")
    texts, policy = args
    return _SCORER(texts, policy)


class ParallelScorer:
    """Spreads large batches over forked worker processes (the fast tier is CPU-bound Python,
    so threads would serialise on the GIL). Small batches stay in-process."""

    def __init__(self, scorer: Scorer, workers: int, min_chunk: int = 256) -> None:
        self._scorer = scorer
        self._workers = max(1, workers)
        self._min_chunk = min_chunk
        self._pool: ProcessPoolExecutor | None = None

    def score(
        self, texts: Sequence[str], policy: ModerationPolicy | None
    ) -> list[ModerationResult]:
        if self._workers == 1 or len(texts) < 2 * self._min_chunk or not _can_fork():
            return self._scorer(texts, policy)
        pool = self._ensure_pool()
        size = max(self._min_chunk, -(-len(texts) // (self._workers * 2)))
        chunks = [(texts[i : i + size], policy) for i in range(0, len(texts), size)]
        results: list[ModerationResult] = []
        for part in pool.map(_score_chunk, chunks):
            results.extend(part)
        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _ensure_pool(self) -> ProcessPoolExecutor:
        global _SCORER
        if self._pool is None:
            _SCORER = self._scorer
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_one_blas_thread,
            )
        return self._pool


def _can_fork() -> bool:
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()
