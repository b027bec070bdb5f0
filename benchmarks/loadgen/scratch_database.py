"""A throw-away PostgreSQL database for one benchmark run."""

import asyncio
import uuid

import asyncpg


async def _execute(admin_url: str, statement: str) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def create_database(admin_url: str) -> str:
    """Create a fresh, uniquely named database through `admin_url`; its name."""
    name = f"moderation_bench_{uuid.uuid4().hex[:12]}"
    asyncio.run(_execute(admin_url, f'CREATE DATABASE "{name}"'))
    return name


def drop_database(admin_url: str, name: str) -> None:
    """Drop it again, closing any connection a stopped server left behind."""
    asyncio.run(_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def service_url(admin_url: str, name: str) -> str:
    """The SQLAlchemy async URL of database `name` on the server of `admin_url`."""
    base = admin_url.rsplit("/", 1)[0] if admin_url.count("/") > 2 else admin_url
    return base.replace("postgresql://", "postgresql+asyncpg://", 1) + f"/{name}"
