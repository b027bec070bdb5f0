"""`moderation tenants …`"""

import typer
from rich.console import Console
from rich.table import Table

from moderation.cli._service_context import run_in_transaction
from moderation.domain.models import Tenant
from moderation.domain.repositories import RepositorySet
from moderation.domain.services import ServiceSet, TenantService

tenants_app = typer.Typer(help="Create and list tenants.", no_args_is_help=True)


def tenant_service(repos: RepositorySet) -> TenantService:
    return ServiceSet(repos).tenants


@tenants_app.command("create")
def create(name: str = typer.Argument(help="Unique tenant name, e.g. 'acme'.")) -> None:
    """Create a tenant; prints its id."""

    async def work(repos: RepositorySet) -> Tenant:
        return await tenant_service(repos).create_tenant(name)

    tenant = run_in_transaction(work)
    typer.echo(f"tenant {tenant.name} {tenant.id}")


@tenants_app.command("list")
def list_tenants() -> None:
    """List tenants."""

    async def work(repos: RepositorySet) -> list[Tenant]:
        return await tenant_service(repos).list_tenants()

    table = Table("name", "id", "created")
    for tenant in run_in_transaction(work):
        table.add_row(tenant.name, str(tenant.id), tenant.created_at.isoformat(timespec="seconds"))
    Console().print(table)
