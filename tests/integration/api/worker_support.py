"""Builders shared by the worker and job tests: a handler context on a test database, with
the tiny engine, and a queue that records what it was asked to send."""

import uuid
from collections.abc import Sequence
from pathlib import Path

from moderation.bootstrap.worker_context import invalidate_content_cache
from moderation.core.config import Settings
from moderation.domain.models import Principal, Scope
from moderation.domain.services import JobQueue, TenantService
from moderation.infrastructure.database import Database
from moderation.infrastructure.ml import BatchingScorer
from moderation.infrastructure.repositories import (
    SqlApiKeyRepository,
    SqlTenantRepository,
    SqlTransactions,
)
from moderation.ml.engine import Engine
from moderation.workers.handlers import HandlerContext


class RecordingQueue:
    """A JobQueue that keeps what it was given instead of sending it."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[str]]] = []
        self.moderated: list[uuid.UUID] = []
        self.jobs: list[uuid.UUID] = []

    async def submit(self, task_name: str, args: Sequence[str]) -> None:
        self.sent.append((task_name, list(args)))

    async def moderate(self, content_ids: Sequence[uuid.UUID]) -> None:
        self.moderated.extend(content_ids)

    async def run_job(self, job_id: uuid.UUID) -> None:
        self.jobs.append(job_id)

    async def close(self) -> None:
        return None


def engine_context(
    settings: Settings, engine: Engine, queue: JobQueue | None = None
) -> HandlerContext:
    """A context of its own (database pool, scorer) on `settings`, scoring with `engine`.
    Must be closed; it starts its scorer, so it must be built on a running loop."""
    database = Database(settings.effective_database_url)
    scorer = BatchingScorer(engine, max_batch_size=settings.batch_max_size)
    scorer.start()

    async def provide() -> BatchingScorer:
        return scorer

    recording = queue or RecordingQueue()
    return HandlerContext(
        database=database,
        transactions=SqlTransactions(database),
        settings=settings,
        queue=recording,
        scorer=provide,
        closers=[
            scorer.close,
            *invalidate_content_cache(database, settings),
            database.dispose,
        ],
    )


async def new_principal(database: Database) -> Principal:
    """A fresh tenant, as a caller holding every scope."""
    async with database.transaction() as session:
        service = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
        tenant = await service.create_tenant(f"t-{uuid.uuid4().hex[:12]}")
    return Principal(tenant_id=tenant.id, actor="key:test", scopes=frozenset(Scope))


def jsonl_lines(count: int, *, invalid: Sequence[int] = ()) -> str:
    """`count` JSONL records; those numbered in `invalid` (1-based) lack a body."""
    lines = []
    for number in range(1, count + 1):
        if number in invalid:
            lines.append(f'{{"title": "t{number}", "author_id": "a"}}')
        else:
            lines.append(
                f'{{"title": "Item {number}", "body": "Thanks for item {number}, great help!", '
                f'"author_id": "author-{number % 7}"}}'
            )
    return "\n".join(lines) + "\n"


def write_import(data_dir: Path, name: str, text: str) -> Path:
    path = data_dir / "jobs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
