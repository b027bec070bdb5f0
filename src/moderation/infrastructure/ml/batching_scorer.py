import asyncio
import contextlib
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import structlog
from threadpoolctl import threadpool_limits

from moderation.core.exceptions import ServiceUnavailableError
from moderation.domain.models import ModerationResult
from moderation.domain.policy import ModerationPolicy
from moderation.infrastructure.metrics import ServiceMetrics
from moderation.infrastructure.ml.blocking_engine import BlockingEngine
from moderation.infrastructure.ml.engine_process import EngineProcess

log = structlog.get_logger(__name__)


@dataclass
class _Job:
    texts: list[str]
    policy: ModerationPolicy
    future: asyncio.Future[list[ModerationResult]]
    queued_at: float = field(default_factory=time.perf_counter)


class BatchingScorer:
    """Serves the engine to many concurrent requests: one scoring thread, micro-batches.

    Requests queue while a batch runs and the next batch takes all of them (up to
    `max_batch_size` texts), so under load each engine call amortises its fixed cost over many
    texts, and when idle a single request is scored at once. `max_wait_ms` can trade latency for
    larger batches. When more than `queue_limit` texts wait, callers get 503 instead of the
    process growing without bound.
    """

    def __init__(
        self,
        engine: BlockingEngine,
        *,
        max_batch_size: int = 32,
        max_wait_ms: float = 0.0,
        queue_limit: int = 2048,
        metrics: ServiceMetrics | None = None,
    ) -> None:
        self._engine = engine
        # An engine in another process can take the next batch while this one's results travel
        # back; an in-process engine is not thread-safe and runs one batch at a time.
        in_flight = engine.processes + 1 if isinstance(engine, EngineProcess) else 1
        self._slots = asyncio.Semaphore(in_flight)
        self._running: set[asyncio.Task[None]] = set()
        self._max_batch_size = max_batch_size
        self._max_wait = max_wait_ms / 1000
        self._queue_limit = queue_limit
        self._metrics = metrics
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._queued_texts = 0
        # One BLAS thread: OpenBLAS spinning a second thread beside the event loop collapsed
        # throughput whenever anything else wanted the CPU (measured: 347 → 9-50 req/s).
        self._executor = ThreadPoolExecutor(
            max_workers=in_flight, thread_name_prefix="engine", initializer=_single_blas_thread
        )
        self._task: asyncio.Task[None] | None = None

    @property
    def model_version(self) -> str:
        return self._engine.model_version

    @property
    def queued_texts(self) -> int:
        return self._queued_texts

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._dispatch(), name="batching-scorer")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        # Batches already handed to the engine finish and answer their callers.
        await asyncio.gather(*self._running, return_exceptions=True)
        while not self._queue.empty():
            job = self._queue.get_nowait()
            if not job.future.done():
                job.future.set_exception(ServiceUnavailableError("shutting down"))
        self._executor.shutdown(wait=True, cancel_futures=True)
        if isinstance(self._engine, EngineProcess):
            # A process this scorer was given to drive; a shared in-process engine is left open.
            self._engine.close()

    async def score(self, texts: list[str], policy: ModerationPolicy) -> list[ModerationResult]:
        if not texts:
            return []
        if self._task is None:
            raise ServiceUnavailableError("the engine is not started", retry_after=5)
        if self._queued_texts + len(texts) > self._queue_limit:
            raise ServiceUnavailableError(
                f"the engine has {self._queued_texts} texts waiting; retry shortly",
                retry_after=1,
            )
        future: asyncio.Future[list[ModerationResult]] = asyncio.get_running_loop().create_future()
        self._queued_texts += len(texts)
        self._queue.put_nowait(_Job(list(texts), policy, future))
        return await future

    async def _dispatch(self) -> None:
        while True:
            jobs = await self._collect()
            # One engine call per distinct policy object; the policy cache hands out one object
            # per (tenant, version), so one tenant's concurrent requests share a call.
            groups: dict[int, list[_Job]] = {}
            for job in jobs:
                groups.setdefault(id(job.policy), []).append(job)
            for group in groups.values():
                await self._slots.acquire()
                task = asyncio.create_task(self._run_in_slot(group))
                self._running.add(task)
                task.add_done_callback(self._running.discard)

    async def _run_in_slot(self, jobs: Sequence[_Job]) -> None:
        try:
            await self._run(jobs)
        finally:
            self._slots.release()

    async def _collect(self) -> list[_Job]:
        first = await self._queue.get()
        jobs, size = [first], len(first.texts)
        deadline = time.perf_counter() + self._max_wait
        while size < self._max_batch_size:
            if not self._queue.empty():
                job = self._queue.get_nowait()
            else:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    break
                try:
                    job = await asyncio.wait_for(self._queue.get(), remaining)
                except TimeoutError:
                    break
            jobs.append(job)
            size += len(job.texts)
        return jobs

    async def _run(self, jobs: Sequence[_Job]) -> None:
        texts = [text for job in jobs for text in job.texts]
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        try:
            results = await loop.run_in_executor(
                self._executor, self._engine.score, texts, jobs[0].policy
            )
        except Exception as error:
            log.exception("engine.failed", texts=len(texts))
            for job in jobs:
                if not job.future.done():
                    # Callers see a retryable 503, never a 500; the cause stays attached.
                    failure = ServiceUnavailableError(
                        f"the engine failed: {type(error).__name__}: {error}", retry_after=5
                    )
                    failure.__cause__ = error
                    job.future.set_exception(failure)
            return
        finally:
            self._queued_texts -= len(texts)
        if self._metrics is not None:
            tier = "cascade" if any(r.tier == "cascade" for r in results) else "fast"
            self._metrics.observe_inference(tier, time.perf_counter() - started, len(texts))
        offset = 0
        for job in jobs:
            if not job.future.done():
                job.future.set_result(results[offset : offset + len(job.texts)])
            offset += len(job.texts)


def _single_blas_thread() -> None:
    threadpool_limits(limits=1)
