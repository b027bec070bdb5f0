"""Shared plumbing for the CLI's service commands: settings, a migrated database, a session."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.core.config import Settings
from moderation.core.exceptions import ModerationError
from moderation.infrastructure.database import Database, Migrator

T = TypeVar("T")

err = Console(stderr=True)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValueError as error:
        err.print(f"[red]configuration error:[/red] {error}")
        raise typer.Exit(2) from error


def run_in_transaction(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one committed transaction on the configured (migrated) database."""
    settings = load_settings()
    url = settings.effective_database_url

    async def main() -> T:
        if settings.auto_migrate:
            await Migrator(url).upgrade_async()
        database = Database(url)
        try:
            async with database.transaction() as session:
                return await work(session)
        finally:
            await database.dispose()

    try:
        return asyncio.run(main())
    except ModerationError as error:
        err.print(f"[red]error:[/red] {error.detail or error.title}")
        raise typer.Exit(1) from error
