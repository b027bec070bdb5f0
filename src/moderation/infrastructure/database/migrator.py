import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class Migrator:
    """Alembic, driven from code: `moderation db upgrade`, start-up, and the tests use it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        return config

    def upgrade(self, revision: str = "head") -> None:
        if self.url.startswith("sqlite"):
            _ensure_sqlite_dir(self.url)
        command.upgrade(self.config(), revision)

    def downgrade(self, revision: str) -> None:
        command.downgrade(self.config(), revision)

    def head(self) -> str:
        head = ScriptDirectory.from_config(self.config()).get_current_head()
        if head is None:
            raise RuntimeError("no migrations found")
        return head

    async def current(self) -> str | None:
        """The revision the database is at (None when never migrated)."""
        engine = create_async_engine(self.url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(
                    lambda sync: MigrationContext.configure(sync).get_current_revision()
                )
        finally:
            await engine.dispose()

    async def upgrade_async(self, revision: str = "head") -> None:
        # Alembic's env.py runs its own event loop, so it must not share the caller's.
        await asyncio.to_thread(self.upgrade, revision)


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split(":///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
