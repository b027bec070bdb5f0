"""`moderation tokens …`"""

from typing import Annotated

import typer

from moderation.cli._service_context import err, load_settings, run_in_transaction
from moderation.cli.key_commands import ALL_SCOPES, parse_scopes
from moderation.cli.tenant_commands import tenant_service
from moderation.core.jwt_verifier import JwtVerifier
from moderation.domain.models import Tenant
from moderation.domain.repositories import RepositorySet

tokens_app = typer.Typer(
    help="Mint JWTs signed with this install's HS256 secret (local tools, scripts).",
    no_args_is_help=True,
)


@tokens_app.command("mint")
def mint(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Tenant name or id.")],
    subject: Annotated[
        str, typer.Option("--subject", "-s", help="The user (`sub`); recorded as user:<subject>.")
    ],
    scopes: Annotated[
        str | None, typer.Option(help=f"Required. Comma-separated, from: {ALL_SCOPES}.")
    ] = None,
    ttl: Annotated[int, typer.Option(min=1, help="Lifetime in seconds.")] = 3600,
) -> None:
    """Sign a token with the secret the server uses: MODERATION_JWT_SECRET, or else the one
    generated in the data directory. The token is printed on the last line of stdout."""
    wanted = parse_scopes(scopes)
    if not subject.strip():
        raise typer.BadParameter("must not be empty", param_hint="--subject")
    settings = load_settings()
    try:
        verifier = JwtVerifier.from_settings(settings)
    except (ValueError, OSError) as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    if ttl > verifier.max_lifetime_seconds:
        raise typer.BadParameter(
            f"at most {verifier.max_lifetime_seconds} (MODERATION_JWT_MAX_LIFETIME_SECONDS)",
            param_hint="--ttl",
        )

    async def work(repos: RepositorySet) -> Tenant:
        return await tenant_service(repos).tenant(tenant)

    found = run_in_transaction(work)
    try:
        token = verifier.issue(subject, found.id, wanted, ttl_seconds=ttl)
    except RuntimeError as error:
        err.print(
            "[red]error:[/red] only an RS256 public key is configured here; tokens come from "
            "the identity provider that holds its private key"
        )
        raise typer.Exit(2) from error
    err.print(
        f"token for user:{subject} in tenant {found.name}, scopes "
        f"{','.join(sorted(s.value for s in wanted))}, valid {ttl} s"
    )
    typer.echo(token)
