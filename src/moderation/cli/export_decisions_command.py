"""`moderation export-decisions`"""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from moderation.cli._service_context import err, run_with_transactions
from moderation.domain.models import AuditEntry, ContentItem, ModerationStatus
from moderation.domain.services import ServiceSet, Transactions
from moderation.domain.services.reviewer_decision_export import ReviewerDecisionExport
from moderation.ml.data import ReviewerLabels
from moderation.ml.vocabulary.category import Category
from moderation.ml.vocabulary.moderation_reason import ModerationReason

_MAPPING = "; ".join(
    f"{reason.value} -> {', '.join(category.value for category in categories)}"
    for reason, categories in ReviewerLabels.REASON_CATEGORIES.items()
)
_UNMAPPED = ", ".join(
    r.value for r in ModerationReason if r not in ReviewerLabels.REASON_CATEGORIES
)
# The command's help, one string per paragraph: typer keeps a docstring's line breaks after
# its first paragraph.
HELP = "\n\n".join(
    (
        "Export a tenant's human reviewer decisions as labelled JSON Lines for `moderation eval`.",
        "One line per item a reviewer decided, from its latest human decision (the engine's "
        "decisions are not labels): `text` (title, a blank line, body: what the engine reads) "
        "and a column per category (toxicity, insult, profanity, threat, hate_speech, sexual, "
        "spam) holding 1, 0 or null (unknown, which `moderation eval` skips), with `id`, "
        "`status`, `reasons` and `decided_at`.",
        "Approved: 0 in every category. Rejected or flagged: 1 in the categories its reasons "
        f"stand for, unknown in the rest: {_MAPPING} (harassment is insults and other abuse, "
        "so insult stays unknown). A rejection or flag whose reasons stand "
        f"for no category ({_UNMAPPED}, or none) is skipped.",
        "With -o FILE the file appears only once the export is complete.",
    )
)


def _instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise typer.BadParameter(f"not an ISO 8601 time: {value!r}") from error
    # A time without an offset is UTC, as every time the service stores and prints.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def export_decisions(
    tenant: Annotated[str, typer.Option("--tenant", "-t", help="Tenant name or id.")],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Write here; '-' (the default) is stdout.")
    ] = "-",
    since: Annotated[
        datetime | None,
        typer.Option(
            parser=_instant,
            metavar="ISO",
            help="Only decisions made at or after this time (UTC unless it has an offset).",
        ),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option(
            parser=_instant,
            metavar="ISO",
            help="Labels as they stood just before this time: later decisions are ignored.",
        ),
    ] = None,
) -> None:
    """Export a tenant's human reviewer decisions as labelled JSON Lines (see HELP)."""
    if since is not None and until is not None and since >= until:
        raise typer.BadParameter("must be before --until", param_hint="--since")
    to_stdout = output == "-"
    target = Path(output)
    partial = target.with_name(f"{target.name}.partial")
    try:
        sink: TextIO = sys.stdout if to_stdout else partial.open("w", encoding="utf-8")
    except OSError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error

    async def work(transactions: Transactions) -> tuple[int, int]:
        async with transactions.transaction(write=False) as repos:
            found = await ServiceSet(repos).tenants.tenant(tenant)
        written = skipped = 0
        export = ReviewerDecisionExport(transactions)
        async for entry, item in export.decisions(found.id, since=since, until=until):
            record = _record(entry, item)
            if record is None:
                skipped += 1
                continue
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
        return written, skipped

    try:
        written, skipped = run_with_transactions(work)
    except BaseException:
        if not to_stdout:
            sink.close()
            partial.unlink(missing_ok=True)
        raise
    if not to_stdout:
        sink.close()
        partial.replace(target)
    # One line whatever the width: a log or a script reads it.
    err.print(
        f"exported {written} reviewer decisions of tenant {tenant} to "
        f"{'stdout' if to_stdout else target}; skipped {skipped} whose reasons map to no "
        "category",
        soft_wrap=True,
        markup=False,
    )


def _record(entry: AuditEntry, item: ContentItem) -> dict[str, Any] | None:
    if entry.status == ModerationStatus.APPROVED:
        labels = ReviewerLabels.approved()
    else:
        labels = ReviewerLabels.harmful(entry.reasons)
        if not labels:
            return None
    return {
        "id": str(item.id),
        "text": item.text,
        **{category.value: labels.get(category) for category in Category},
        "status": entry.status.value,
        "reasons": [reason.value for reason in entry.reasons],
        "decided_at": entry.created_at.isoformat(),
    }
