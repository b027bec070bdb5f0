"""`moderation keys …`"""

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from moderation.cli._service_context import err, run_in_transaction
from moderation.cli.tenant_commands import tenant_service
from moderation.domain.models import ApiKey, Scope
from moderation.domain.repositories import RepositorySet

keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)

ALL_SCOPES = ",".join(scope.value for scope in Scope)


def parse_scopes(raw: str | None) -> set[Scope]:
    """The scopes of a comma-separated ``--scopes``; a usage error when missing or unknown."""
    if raw is None:
        # No implicit "everything": a key (or token) gets exactly what its creator named.
        raise typer.BadParameter(
            f"name the scopes to grant, comma-separated, from {ALL_SCOPES}",
            param_hint="--scopes",
        )
    wanted = {part.strip() for part in raw.split(",") if part.strip()}
    unknown = sorted(wanted - {scope.value for scope in Scope})
    if unknown or not wanted:
        raise typer.BadParameter(
            f"unknown scope(s) {', '.join(unknown) or '(none)'}; choose from {ALL_SCOPES}",
            param_hint="--scopes",
        )
    return {Scope(part) for part in wanted}


@keys_app.command("create")
def create(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Tenant name or id.")],
    scopes: Annotated[
        str | None, typer.Option(help=f"Required. Comma-separated, from: {ALL_SCOPES}.")
    ] = None,
    name: Annotated[str, typer.Option(help="A label for the key.")] = "default",
) -> None:
    """Create a key. The key is printed once, on the last line of stdout; only its hash is kept."""
    wanted = parse_scopes(scopes)

    async def work(repos: RepositorySet) -> tuple[ApiKey, str]:
        return await tenant_service(repos).create_key(tenant, wanted, name)

    key, secret = run_in_transaction(work)
    err.print(
        f"key {key.id} (prefix {key.prefix}) for tenant {tenant}, scopes "
        f"{','.join(sorted(s.value for s in key.scopes))}. Store it now: it is not shown again."
    )
    typer.echo(secret)


@keys_app.command("list")
def list_keys(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Tenant name or id.")],
) -> None:
    """List a tenant's keys (never the secrets)."""

    async def work(repos: RepositorySet) -> list[ApiKey]:
        return await tenant_service(repos).list_keys(tenant)

    table = Table("id", "prefix", "name", "scopes", "created", "revoked")
    for key in run_in_transaction(work):
        table.add_row(
            str(key.id),
            key.prefix,
            key.name,
            ",".join(sorted(s.value for s in key.scopes)),
            key.created_at.isoformat(timespec="seconds"),
            key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "",
        )
    Console().print(table)


@keys_app.command("revoke")
def revoke(key: Annotated[str, typer.Argument(help="Key id or prefix.")]) -> None:
    """Revoke a key; requests with it fail within seconds."""

    async def work(repos: RepositorySet) -> ApiKey:
        return await tenant_service(repos).revoke_key(key)

    revoked = run_in_transaction(work)
    typer.echo(f"revoked {revoked.id} (prefix {revoked.prefix})")
