"""The Celery application: one task per handler in `moderation.workers.handlers.HANDLERS`.

Tasks are thin: each hands its handler to the process's runtime, one event loop in a thread of
its own that owns the database pool and the engine, so the pool's threads share one micro-
batching scorer. Delivery is at-least-once (`acks_late`, requeued when a worker dies), every
handler is idempotent, failures are retried with exponential backoff and full jitter, and a
task that fails every attempt is written to `failed_tasks` for `moderation jobs retry`.
"""

import asyncio
import threading
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar
from uuid import UUID

import structlog
from celery import Celery, Task  # type: ignore[import-untyped]
from celery.signals import worker_init, worker_shutdown  # type: ignore[import-untyped]

from moderation.core.config import Settings
from moderation.domain.models import TaskName
from moderation.workers.celery_job_queue import CeleryJobQueue
from moderation.workers.handlers import (
    HANDLERS,
    NOT_DEAD_LETTERED,
    Handler,
    HandlerContext,
    record_dead_letter,
    sweep_orphan_uploads,
)

log = structlog.get_logger(__name__)

T = TypeVar("T")
ContextFactory = Callable[[Settings, CeleryJobQueue], Awaitable[HandlerContext]]

QUEUES = ("moderation", "jobs", "webhooks")


async def _no_context(settings: Settings, queue: CeleryJobQueue) -> HandlerContext:
    # An app made only to send tasks (the API, `moderation jobs retry`) runs none: only a
    # worker's app is given the factory of the context its handlers run with.
    del settings, queue
    raise RuntimeError("this Celery app only sends tasks: it was made without a context_factory")


class _Runtime:
    """One asyncio loop per worker process, in a daemon thread; tasks from any pool thread
    run their coroutines on it and wait for the result."""

    def __init__(self, settings: Settings, queue: CeleryJobQueue, factory: ContextFactory):
        self._settings = settings
        self._queue = queue
        self._factory = factory
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._context: HandlerContext | None = None
        self._context_lock: asyncio.Lock | None = None

    def run(self, work: Callable[[HandlerContext], Awaitable[T]]) -> T:
        loop = self._ensure_loop()
        future: Future[T] = asyncio.run_coroutine_threadsafe(self._call(work), loop)
        return future.result()

    async def _call(self, work: Callable[[HandlerContext], Awaitable[T]]) -> T:
        if self._context_lock is None:
            self._context_lock = asyncio.Lock()
        async with self._context_lock:
            if self._context is None:
                self._context = await self._factory(self._settings, self._queue)
        return await work(self._context)

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="moderation-runtime", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    def close(self) -> None:
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        context, self._context = self._context, None
        if context is not None:
            _wait(asyncio.run_coroutine_threadsafe(context.close(), loop))
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def _wait(future: Future[Any]) -> None:
    try:
        future.result(timeout=30)
    except Exception:
        log.exception("worker.runtime_close_failed")


def create_celery_app(
    settings: Settings, *, context_factory: ContextFactory | None = None
) -> Celery:
    """The app for `settings.broker_url`, with every handler registered as a task.

    `context_factory` builds the handlers' context in the worker process: the composition
    root's (`moderation.bootstrap.worker_context.celery_worker_app`) opens its own database
    pool and loads the configured model on first use; tests pass one that shares an already
    loaded engine. Without one the app can only send tasks, as the API's and the CLI's do.
    """
    if not settings.broker_url:
        raise ValueError("MODERATION_BROKER_URL is not set")
    app = Celery("moderation", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        # At-least-once: a task is acknowledged when it finished, and a worker that dies
        # mid-task puts it back in the queue. Handlers are idempotent, so running twice is safe.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        task_default_queue=QUEUES[0],
        # Own queues, consumed in turn: neither a long import nor a backlog of webhook
        # deliveries can keep new items waiting behind it.
        task_routes={
            TaskName.RUN_JOB.value: {"queue": "jobs"},
            TaskName.DELIVER_WEBHOOKS.value: {"queue": "webhooks"},
        },
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": settings.broker_visibility_timeout_seconds,
            "socket_connect_timeout": 2,
        },
        # A publish that keeps failing gives up quickly: the sweeper re-sends lost work, and a
        # request must not hang on a broker outage.
        task_publish_retry_policy={
            "max_retries": 1,
            "interval_start": 0.1,
            "interval_step": 0.2,
            "interval_max": 0.3,
        },
        # The service's own logging (structlog, JSON) stays in charge of the process's output.
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        beat_schedule={
            "sweep": {
                "task": TaskName.SWEEP.value,
                "schedule": settings.sweep_seconds,
                # While no worker runs, sweeps must not pile up in the queue.
                "options": {"expires": settings.sweep_seconds},
            }
        },
        beat_schedule_filename=str(settings.data_dir / "celerybeat-schedule"),
    )
    queue = CeleryJobQueue(app)
    runtime = _Runtime(settings, queue, context_factory or _no_context)
    app.moderation_runtime = runtime

    class DeadLetteringTask(Task):  # type: ignore[misc]
        """Writes a dead letter when the last attempt failed."""

        def on_failure(
            self, exc: Exception, task_id: str, args: Sequence[Any], kwargs: Any, einfo: Any
        ) -> None:
            del kwargs, einfo
            if self.name in NOT_DEAD_LETTERED:
                return
            attempts = int(self.request.retries or 0) + 1
            try:
                runtime.run(
                    lambda context: record_dead_letter(
                        context.transactions, UUID(task_id), self.name, args, repr(exc), attempts
                    )
                )
            except Exception:
                log.exception("task.dead_letter_failed", task=self.name, task_id=task_id)

    for name, handler in HANDLERS.items():
        retrying = name not in NOT_DEAD_LETTERED
        app.task(
            name=name,
            # This app's own: Celery's default would add the task to every app made later.
            shared=False,
            bind=True,
            base=DeadLetteringTask,
            autoretry_for=(Exception,) if retrying else (),
            retry_backoff=settings.task_retry_backoff_seconds,
            retry_backoff_max=settings.task_retry_backoff_max_seconds,
            retry_jitter=True,
            max_retries=settings.task_max_retries,
        )(_task_body(runtime, handler))

    def _shutdown(**_: Any) -> None:
        runtime.close()

    def _warm_up(sender: Any = None, **_: Any) -> None:
        # Before the worker consumes: the first tasks must not wait for (or time out on) the
        # model loading, and `worker.engine_ready` in the log says the worker can score.
        if getattr(sender, "app", None) is not app:
            return
        try:
            runtime.run(_sweep_uploads)
            runtime.run(_load_engine)
            log.info("worker.engine_ready")
        except Exception:
            # Not fatal: the first task that needs the engine tries again.
            log.exception("worker.engine_warm_up_failed")

    worker_init.connect(_warm_up, weak=False)
    worker_shutdown.connect(_shutdown, weak=False)
    return app


async def _load_engine(context: HandlerContext) -> None:
    await context.scorer()


async def _sweep_uploads(context: HandlerContext) -> None:
    # Uploads of imports that no job will read again (never raises: it logs).
    await sweep_orphan_uploads(context.transactions, context.settings)


def _task_body(runtime: _Runtime, handler: Handler) -> Callable[..., None]:
    def body(task: Any, *args: str) -> None:
        log.debug("task.started", task=task.name, task_id=task.request.id, args=len(args))
        runtime.run(lambda context: handler(context, list(args)))

    return body


def close_runtime(app: Celery) -> None:
    """Close the worker process's runtime (database pool, engine); the `worker_shutdown`
    signal does this for `moderation worker`, embedded test workers call it themselves."""
    runtime: _Runtime | None = getattr(app, "moderation_runtime", None)
    if runtime is not None:
        runtime.close()
