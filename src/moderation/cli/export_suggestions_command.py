"""`moderation export-suggestions`"""

import json
import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from moderation.cli._service_context import err, run_in_transaction
from moderation.cli.tenant_commands import tenant_service
from moderation.domain.models import ScoreSuggestion
from moderation.domain.repositories import RepositorySet
from moderation.domain.services import ServiceSet


def export_suggestions(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Tenant name or id.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")
    ] = None,
) -> None:
    """Export the scores a tenant's clients suggested (Perspective's comments:suggestscore)
    as JSON Lines of labelled data, oldest first: one suggestion per line with its text,
    `labels` (attribute -> suggested score), `spans`, and `model_scores`, what this service
    scored the text at the time. With -o the file appears only once the export is complete."""
    partial = None if output is None else output.with_name(f"{output.name}.partial")
    try:
        sink: TextIO = sys.stdout if partial is None else partial.open("w", encoding="utf-8")
    except OSError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error

    async def work(repos: RepositorySet) -> int:
        found = await tenant_service(repos).tenant(tenant)
        service = ServiceSet(repos).suggestions
        count = 0
        async for suggestion in service.export(found.id):
            sink.write(json.dumps(_record(suggestion), ensure_ascii=False) + "\n")
            count += 1
        return count

    try:
        count = run_in_transaction(work)
    except BaseException:
        if partial is not None:
            sink.close()
            partial.unlink(missing_ok=True)
        raise
    if partial is not None and output is not None:
        sink.close()
        partial.replace(output)
    err.print(f"exported {count} suggestions of tenant {tenant} to {output or 'stdout'}")


def _record(suggestion: ScoreSuggestion) -> dict[str, Any]:
    return {
        "id": str(suggestion.id),
        "created_at": suggestion.created_at.isoformat(),
        "text": suggestion.text,
        "labels": suggestion.scores,
        "spans": {
            name: [{"begin": begin, "end": end, "value": value} for begin, end, value in spans]
            for name, spans in suggestion.spans.items()
        },
        "model_scores": suggestion.model_scores,
        "model_version": suggestion.model_version,
        "languages": suggestion.languages,
        "detected_language": suggestion.detected_language,
        "community_id": suggestion.community_id,
        "client_token": suggestion.client_token,
        "created_by": suggestion.created_by,
    }
