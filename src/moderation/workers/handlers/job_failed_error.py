import traceback

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from moderation.core.exceptions import ModerationError


class JobFailedError(Exception):
    """A job's run failed; the message is safe to store in `job.error`, show to the tenant and
    log. A database error's own text can hold statement parameters and row values (content,
    webhook secrets), so `of` keeps only its class and SQLSTATE."""

    @classmethod
    def of(cls, error: Exception) -> "JobFailedError":
        """The safe form of `error`."""
        if isinstance(error, JobFailedError):
            return error
        return cls(describe(error))


def describe(error: BaseException) -> str:
    """A short description of `error` that carries no data: our own errors keep their message
    (written for clients), a database error its class and SQLSTATE, other errors their class
    and (for OS errors) the system's reason."""
    name = type(error).__name__
    if isinstance(error, JobFailedError | ModerationError):
        return str(error)
    if isinstance(error, DBAPIError):
        parts = [name]
        # The driver's own class says what happened (asyncpg: DiskFullError, …), not its text.
        driver = error.orig.__cause__ if error.orig is not None else None
        if isinstance(driver, Exception) and type(driver).__name__ != name:
            parts.append(type(driver).__name__)
        if code := sqlstate(error):
            parts.append(f"SQLSTATE {code}")
        return f"database error ({', '.join(parts)})"
    if isinstance(error, SQLAlchemyError):
        return f"database error ({name})"
    if isinstance(error, OSError) and error.strerror:
        return f"{name}: {error.strerror}"
    return name


def sqlstate(error: DBAPIError) -> str | None:
    """The SQLSTATE of a PostgreSQL error (five letters and digits); None elsewhere."""
    code = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return code if isinstance(code, str) and len(code) == 5 and code.isalnum() else None


def frames(error: BaseException, limit: int = 8) -> str:
    """Where `error` was raised (file, line, function, source line), without its message."""
    return "".join(traceback.format_tb(error.__traceback__, limit=-limit))
