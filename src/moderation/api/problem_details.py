"""RFC 9457 problem+json responses."""

from collections.abc import Sequence
from typing import Any

from starlette.responses import JSONResponse

from moderation.core.exceptions import InvalidRequestError

PROBLEM_JSON = "application/problem+json"


def problem_response(
    status: int,
    title: str,
    detail: str | None = None,
    *,
    type_: str = "about:blank",
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, object] | None = None,
) -> JSONResponse:
    """A problem+json response; `extra` members are added beside the standard ones."""
    body: dict[str, object] = {"type": type_, "title": title, "status": status}
    if detail is not None:
        body["detail"] = detail
    if instance is not None:
        body["instance"] = instance
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def validation_problem(errors: Sequence[dict[str, Any]], instance: str | None) -> JSONResponse:
    """The 422 for invalid input: `errors` lists each place (`field`, `location`, `message`,
    `type`), and `detail` sums up the first five."""
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem_response(
        422,
        InvalidRequestError.title,
        detail,
        type_=InvalidRequestError.type,
        instance=instance,
        extra={"errors": list(errors)},
    )
