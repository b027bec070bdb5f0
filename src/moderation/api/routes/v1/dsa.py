"""DSA statements of reasons, exported for the EU Transparency Database."""

import base64
import csv
import io
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response

from moderation.api.dependencies import PrincipalDep, ServicesDep, require_scope
from moderation.api.openapi_responses import AUTHENTICATED, problems
from moderation.api.schemas import StatementBatchResponse
from moderation.core.exceptions import InvalidRequestError
from moderation.domain.models import Scope, StatementOfReasons

router = APIRouter(tags=["dsa"])

_FIELDS = list(StatementOfReasons.model_fields)
_CSV_EXAMPLE = (
    ",".join(_FIELDS)
    + "\nDECISION_VISIBILITY_CONTENT_REMOVED,DECISION_GROUND_INCOMPATIBLE_CONTENT,"
    "Terms of service: content policy (spam),The content breaches the platform's content "
    "policy on spam.,STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE,CONTENT_TYPE_TEXT,EN,"
    '2026-03-04,2026-03-04,"Removed by the automated classifier (model 1.2.0) on 2026-03-04 '
    "following the platform's own screening; reasons: spam.\",SOURCE_VOLUNTARY,Yes,"
    "AUTOMATED_DECISION_FULLY,f0b2c87d-4429-4dab-b4ad-002b0636052c\n"
)


@router.get(
    "/api/v1/dsa/statements",
    response_model=StatementBatchResponse,
    dependencies=[Depends(require_scope(Scope.POLICY_ADMIN, Scope.MODERATE))],
    responses=problems(*AUTHENTICATED, 400)
    | {200: {"content": {"text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE}}}},
)
async def statements(
    principal: PrincipalDep,
    services: ServicesDep,
    start: Annotated[datetime, Query(alias="from", description="Inclusive, with a UTC offset")],
    end: Annotated[datetime, Query(alias="to", description="Exclusive; at most 367 days on")],
    after: Annotated[
        str | None, Query(max_length=200, description="`next_cursor` of the previous batch")
    ] = None,
    format_: Annotated[Literal["json", "csv"], Query(alias="format")] = "json",
) -> StatementBatchResponse | Response:
    """Statements of reasons for the removals (rejections) decided in [from, to), oldest first,
    100 per batch as the Transparency Database's batch endpoint takes them. `format=csv` gives
    the same batch as CSV (list fields joined with commas), with the next cursor in the
    `Monocto-Next-Cursor` header. See docs/api.md for how each field is derived."""
    found, cursor = await services.statements.batch(principal, start, end, after=_decode(after))
    next_cursor = _encode(cursor)
    if format_ == "json":
        return StatementBatchResponse(statements=found, next_cursor=next_cursor)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_FIELDS, lineterminator="\n")
    writer.writeheader()
    for item in found:
        row = item.model_dump()
        writer.writerow({k: ",".join(v) if isinstance(v, list) else v for k, v in row.items()})
    headers = {"Monocto-Next-Cursor": next_cursor} if next_cursor else {}
    return Response(buffer.getvalue(), media_type="text/csv", headers=headers)


def _encode(cursor: tuple[datetime, UUID] | None) -> str | None:
    if cursor is None:
        return None
    raw = f"{cursor[0].isoformat()}|{cursor[1]}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str | None) -> tuple[datetime, UUID] | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, entry_id = raw.split("|")
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError("no offset")
        return when, UUID(entry_id)
    except ValueError:
        raise InvalidRequestError("after is not a cursor this endpoint returned") from None
