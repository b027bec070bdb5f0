"""Log fields for an unexpected error that carry no request data.

A database error's text holds the statement, its parameters (a content body, a webhook
secret) and, from PostgreSQL, the row values of a violated constraint (`DETAIL: Key (...)=(...)`),
so neither it nor its driver error is ever printed: only their classes and the SQLSTATE.
Validation errors lose their inputs the same way. Tracebacks keep every frame, of the error
and its causes, so a 500 can still be found in the code.
"""

import traceback
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from moderation.core.storable_text import printable

# Packages whose exceptions' texts quote statements and values (SQLAlchemy's asyncpg adapter
# wraps the driver's errors in classes of its own).
_DRIVERS = ("sqlalchemy", "asyncpg", "aiosqlite", "sqlite3", "psycopg", "psycopg2")
_MAX_MESSAGE = 500
_MAX_CHAIN = 8


def redacted_fields(error: BaseException) -> dict[str, Any]:
    """`error`'s class, a message without data, and the traceback of it and its causes."""
    return {
        "error": type(error).__name__,
        "error_message": describe(error),
        "traceback": redacted_traceback(error),
    }


def describe(error: BaseException) -> str:
    """What happened, without the data it happened to."""
    name = type(error).__name__
    if isinstance(error, DBAPIError):
        parts = [name]
        if error.orig is not None:
            parts.append(type(error.orig).__name__)
            driver = error.orig.__cause__
            if driver is not None and type(driver).__name__ not in parts:
                parts.append(type(driver).__name__)
        code = _sqlstate(error.orig) or _sqlstate(getattr(error.orig, "__cause__", None))
        if code:
            parts.append(f"SQLSTATE {code}")
        return f"database error ({', '.join(parts)})"
    if isinstance(error, SQLAlchemyError) or _from_driver(error):
        code = _sqlstate(error)
        return f"database error ({name}{f', SQLSTATE {code}' if code else ''})"
    if isinstance(error, ValidationError):
        places = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
            for e in error.errors(include_input=False, include_url=False)[:5]
        )
        return _bounded(f"{error.error_count()} validation errors for {error.title}: {places}")
    return _bounded(str(error))


def redacted_traceback(error: BaseException) -> str:
    """Python's traceback layout for `error` and its causes, each message as `describe` has it."""
    # Newest first, each with how the one before it (newer) came from it.
    chain: list[tuple[BaseException, str]] = []
    current: BaseException | None = error
    link = ""
    while current is not None and len(chain) < _MAX_CHAIN:
        if any(current is seen for seen, _ in chain):
            break
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, _CONTEXT
        else:
            current = None
    # What a database error was raised from (the driver's error and its causes) is its data.
    beneath_database = [False] * len(chain)
    for index in range(1, len(chain)):
        above = chain[index - 1][0]
        beneath_database[index] = beneath_database[index - 1] or isinstance(above, SQLAlchemyError)
    lines: list[str] = []
    for index in range(len(chain) - 1, -1, -1):
        item, _ = chain[index]
        message = _class_only(item) if beneath_database[index] else describe(item)
        lines.append("Traceback (most recent call last):\n")
        lines.extend(traceback.format_tb(item.__traceback__))
        lines.append(f"{type(item).__module__}.{type(item).__qualname__}: {message}\n")
        if index:
            lines.append(chain[index][1])
    return "".join(lines)


_CAUSE = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT = "\nDuring handling of the above exception, another exception occurred:\n\n"


def _class_only(error: BaseException) -> str:
    code = _sqlstate(error)
    return f"(redacted{f', SQLSTATE {code}' if code else ''})"


def _from_driver(error: BaseException) -> bool:
    return type(error).__module__.split(".", 1)[0] in _DRIVERS


def _sqlstate(error: object) -> str | None:
    code = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    return code if isinstance(code, str) and len(code) == 5 and code.isalnum() else None


def _bounded(text: str) -> str:
    text = printable(text)
    return text if len(text) <= _MAX_MESSAGE else text[:_MAX_MESSAGE] + "…"
