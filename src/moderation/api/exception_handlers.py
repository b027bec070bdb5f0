"""Every error leaves as RFC 9457 problem+json: ours, the router's 404/405, validation, crashes
(on a drop-in route, in its vendor's envelope instead: `vendor_envelopes`).

Crashes are logged without request data (`error_redaction`): a database error's text holds the
statement's parameters and row values, which may be content or a webhook secret.
"""

from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match

from moderation.api.error_redaction import redacted_fields
from moderation.api.problem_details import problem_response, validation_problem
from moderation.api.vendor_envelopes import vendor_response
from moderation.core.exceptions import (
    ModerationError,
    ServiceUnavailableError,
)
from moderation.core.storable_text import printable

log = structlog.get_logger(__name__)


async def _moderation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ModerationError)  # noqa: S101 - registered for this type only
    return problem_response(
        error.status,
        error.title,
        error.detail,
        type_=error.type,
        instance=request.url.path,
        headers=error.headers or None,
        extra=error.extra or None,
    )


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)  # noqa: S101
    errors = [_field_error(item) for item in error.errors()]
    return validation_problem(errors, request.url.path)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)  # noqa: S101
    headers = dict(error.headers) if error.headers else {}
    if error.status_code == 405:
        headers["Allow"] = _allowed_methods(request) or headers.get("Allow", "")
    return problem_response(
        error.status_code,
        _TITLES.get(error.status_code, "Error"),
        str(error.detail) if error.detail else None,
        instance=request.url.path,
        headers=headers or None,
    )


def _allowed_methods(request: Request) -> str:
    # Starlette's 405 names only the first route matching the path; a path served by several
    # routes (GET and PUT /policy) must list all of them (RFC 9110 §15.5.6).
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


async def _database_unavailable(request: Request, error: Exception) -> Response:
    # Connection-level failures (database down, restarting, pool exhausted) are transient:
    # the client should retry, and nothing of the request was committed.
    log.warning("database.unavailable", error=type(error).__name__, path=request.url.path)
    return problem_response(
        503,
        ServiceUnavailableError.title,
        "the database is unavailable; nothing was stored, retry shortly",
        type_=ServiceUnavailableError.type,
        instance=request.url.path,
        headers={"Retry-After": "5"},
    )


async def _unexpected_error(request: Request, error: Exception) -> Response:
    request_id = getattr(request.state, "request_id", None)
    # Not exc_info: the traceback's messages would carry the data (see the module docstring).
    log.error("request.failed", path=request.url.path, **redacted_fields(error))
    return problem_response(
        500,
        "Internal Server Error",
        "an unexpected error occurred; it has been logged",
        instance=request.url.path,
        extra={"request_id": request_id} if request_id else None,
    )


def _field_error(item: Any) -> dict[str, Any]:
    # A member name is echoed: one the encoder cannot write would turn this 422 into a 500.
    location = [printable(str(part)) for part in item.get("loc", ())]
    return {
        "field": ".".join(location) or "body",
        "location": location,
        "message": printable(str(item.get("msg", "invalid"))),
        "type": item.get("type", "value_error"),
    }


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
}


Handler = Callable[[Request, Exception], Awaitable[Response]]


def _vendor_envelope(handler: Handler) -> Handler:
    # A drop-in route answers in its vendor's error shape, whatever failed (auth, scope, rate
    # limit, validation, a crash), so that vendor's client raises its own exception types.
    async def wrapped(request: Request, error: Exception) -> Response:
        return vendor_response(request.url.path, await handler(request, error))

    return wrapped


def register_exception_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ModerationError, _vendor_envelope(_moderation_error))
    app.add_exception_handler(RequestValidationError, _vendor_envelope(_validation_error))
    app.add_exception_handler(HTTPException, _vendor_envelope(_http_error))
    for failure in (OperationalError, InterfaceError, OSError, PoolTimeoutError):
        app.add_exception_handler(failure, _vendor_envelope(_database_unavailable))
    # Any other database error is a 500 answered here, inside the app: the catch-all below is
    # Starlette's server-error handler, which re-raises to the server, and the server's own log
    # line would print the error's text with its parameters.
    app.add_exception_handler(SQLAlchemyError, _vendor_envelope(_unexpected_error))
    app.add_exception_handler(Exception, _vendor_envelope(_unexpected_error))
