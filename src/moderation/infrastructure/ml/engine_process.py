import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import structlog

from moderation.core.exceptions import ServiceUnavailableError
from moderation.domain.models import ModerationResult
from moderation.domain.policy import ModerationPolicy
from moderation.ml.artifacts import ModelRegistry
from moderation.ml.engine import Engine, EngineOptions

log = structlog.get_logger(__name__)

# The engine inside the child process (set by the pool's initializer).
_ENGINE: Engine | None = None


def _load(model: str | None, options_json: str) -> None:
    global _ENGINE
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
    _ENGINE = Engine.load(model, None, EngineOptions.model_validate_json(options_json))
    _ENGINE.warm_up()


def _engine() -> Engine:
    if _ENGINE is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("engine process not initialised")
    return _ENGINE


def _model_version() -> str:
    return _engine().model_version


def _score(texts: Sequence[str], policy: ModerationPolicy) -> list[ModerationResult]:
    return _engine().score(texts, policy)


class EngineProcess:
    """The engine in its own process, so scoring runs on another core than the event loop.

    In one process the event loop and the engine thread take turns on the GIL; here the API
    process only parses, routes and serialises. The child is spawned (not forked: the API
    process has threads) and loads the model itself. If it dies, the next call starts a new one
    and the failed calls surface as 503 (and pending items are retried).
    """

    def __init__(self, model: str | None, options: EngineOptions, processes: int = 1) -> None:
        self.processes = max(1, processes)
        self._model = model
        self._options_json = options.model_dump_json()
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self.model_version = ""

    def start(self) -> None:
        """Spawn the child and wait until its model is loaded (blocking; call off the loop)."""
        # Resolved here first: a missing bundle then reads as such, not as a dead child.
        ModelRegistry().resolve(self._model)
        try:
            self.model_version = self._ensure_pool().submit(_model_version).result()
        except BrokenProcessPool as error:
            self.close()
            raise RuntimeError(
                "the engine process failed while loading the model (see its log)"
            ) from error

    def score(self, texts: Sequence[str], policy: ModerationPolicy) -> list[ModerationResult]:
        """Blocking: called from the scorer's thread, which waits while the child works."""
        pool = self._ensure_pool()
        try:
            return pool.submit(_score, list(texts), policy).result()
        except BrokenProcessPool as error:
            log.error("engine_process.died")
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            raise ServiceUnavailableError("the engine process restarted", retry_after=5) from error

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None

    def _ensure_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_load,
                    initargs=(self._model, self._options_json),
                )
            return self._pool
