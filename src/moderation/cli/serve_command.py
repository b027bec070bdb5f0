"""`moderation serve`"""

from typing import Annotated

import typer

from moderation.cli._service_context import err, load_settings


def serve(
    host: Annotated[str | None, typer.Option(help="Bind address [MODERATION_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [MODERATION_PORT].")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes.")] = 1,
) -> None:
    """Run the HTTP service on its embedded defaults (SQLite in the data dir, in-process worker).

    Set MODERATION_DATABASE_URL=postgresql+asyncpg://… and MODERATION_REDIS_URL=redis://… for
    PostgreSQL and Redis. Create a key with `moderation keys create --tenant NAME --scopes …`.
    """
    import uvicorn

    from moderation.core.logging import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_json)
    bind_host = host or settings.host
    bind_port = port or settings.port
    err.print(
        f"Monocto Moderation on http://{bind_host}:{bind_port} "
        f"(database {settings.effective_database_url.split('://')[0]}, docs at /docs)"
    )
    uvicorn.run(
        "moderation.main:create_app",
        factory=True,
        host=bind_host,
        port=bind_port,
        workers=workers,
        log_config=None,
        access_log=False,
        proxy_headers=False,
    )
