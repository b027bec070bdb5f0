"""Shared plumbing for the CLI's service commands: settings, a migrated database, a
transaction."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from moderation.core.config import Settings
from moderation.core.exceptions import ModerationError
from moderation.domain.repositories import RepositorySet
from moderation.domain.services import Transactions
from moderation.infrastructure.database import Migrator

T = TypeVar("T")

err = Console(stderr=True)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValueError as error:
        err.print(f"[red]configuration error:[/red] {error}")
        raise typer.Exit(2) from error


def run_in_transaction(work: Callable[[RepositorySet], Awaitable[T]]) -> T:
    """Run `work` in one committed transaction on the configured (migrated) database."""

    async def in_one(transactions: Transactions) -> T:
        async with transactions.transaction() as repos:
            return await work(repos)

    return run_with_transactions(in_one)


def run_with_transactions(work: Callable[[Transactions], Awaitable[T]]) -> T:
    """Run `work` on the configured (migrated) database's `Transactions`: for a command that
    needs several transactions (batched deletes, a paged export)."""
    from moderation.bootstrap.worker_context import standalone_transactions

    settings = load_settings()

    async def main() -> T:
        if settings.auto_migrate:
            await Migrator(settings.effective_database_url).upgrade_async()
        async with standalone_transactions(settings) as transactions:
            return await work(transactions)

    try:
        return asyncio.run(main())
    except ModerationError as error:
        err.print(f"[red]error:[/red] {error.detail or error.title}")
        raise typer.Exit(1) from error
