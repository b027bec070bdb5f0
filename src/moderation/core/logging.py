"""Structured logging: structlog and the stdlib (uvicorn, SQLAlchemy) share one formatter.

Every line carries an ISO-8601 UTC timestamp, the level, the logger name and whatever was bound
with `structlog.contextvars` (the request id, the tenant), rendered as one JSON object per line or,
for a developer terminal, by structlog's console renderer.

Credentials in query strings are masked in every line, whichever logger wrote it: Perspective
clients send their API key as `?key=…`, a webhook URL may carry `?token=…`, and uvicorn's and
httpx's lines carry the whole URL. Such a value is written as `key=REDACTED`.
"""

import json
import logging
import re
import sys
from typing import Any

import structlog
from structlog.typing import EventDict, Processor

# Marks the handler this module installs, so that a second call replaces it instead of adding a
# duplicate (which would print every line twice) and so that handlers others installed survive.
_HANDLER_MARK = "_moderation_structlog_handler"

# uvicorn installs its own handlers when it is started with its default log config; dropping them
# and letting records propagate to the root handler keeps one format for the whole process.
_ROUTED_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


class _CurrentStdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stdout` is when a record is emitted.

    A plain StreamHandler keeps the stream it was created with, so output would bypass anything
    that later swaps `sys.stdout` (pytest's capture, a supervisor re-opening the stream).
    """

    def emit(self, record: logging.LogRecord) -> None:
        # Handler.handle holds the handler lock around emit, so swapping the stream is safe.
        self.stream = sys.stdout
        super().emit(record)


# A credential-bearing query parameter (first in a string, or after `?`, `&` or `;`; any case)
# and its value, up to the next separator, quote, space or fragment.
_SECRET_QUERY = re.compile(
    r"(?i)(?:^|(?<=[?&;]))((?:api[_-]?)?key|(?:access[_-]|auth[_-]|id[_-])?token|secret|password|sig)"
    r"=[^&;#\s\"'<>]*"
)
REDACTED = "REDACTED"


def redact_query_secrets(text: str) -> str:
    """`text` with the value of every credential-like query parameter replaced by REDACTED."""
    if "=" not in text:
        return text
    return _SECRET_QUERY.sub(lambda match: f"{match.group(1)}={REDACTED}", text)


def _redact_secrets(_logger: object, _method: str, event_dict: EventDict) -> EventDict:
    # Last before rendering, so it also sees the formatted stdlib message (uvicorn's access line,
    # httpx's request line) and the rendered traceback.
    for name, value in event_dict.items():
        if isinstance(value, str) and "=" in value:
            event_dict[name] = redact_query_secrets(value)
    return event_dict


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _renderer(json_logs: bool) -> Processor:
    if json_logs:
        # `default=str` renders UUIDs, datetimes and enums as their plain text instead of a repr.
        return structlog.processors.JSONRenderer(serializer=json.dumps, default=str)
    return structlog.dev.ConsoleRenderer()


def configure_logging(level: str = "INFO", json_logs: bool = True) -> None:
    """Configure structlog and the stdlib root logger to emit through one formatter.

    Safe to call more than once: each call replaces the previous configuration, including the
    root handler this function installed.
    """
    numeric_level = logging.getLevelNamesMapping().get(level.upper())
    if numeric_level is None:
        raise ValueError(f"unknown log level {level!r}")

    shared = _shared_processors()
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        # Caching would pin loggers created before a reconfiguration to the old settings.
        cache_logger_on_first_use=False,
    )

    final: list[Processor] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if json_logs:
        # The console renderer prints tracebacks itself; JSON needs them as a string field.
        final.append(structlog.processors.format_exc_info)
    final.append(_redact_secrets)
    final.append(_renderer(json_logs))
    formatter = structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=final)

    handler = _CurrentStdoutHandler()
    handler.setFormatter(formatter)
    setattr(handler, _HANDLER_MARK, True)

    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(numeric_level)

    for name in _ROUTED_LOGGERS:
        routed = logging.getLogger(name)
        routed.handlers.clear()
        routed.propagate = True
        routed.setLevel(logging.NOTSET)
    # RequestContextMiddleware writes the access line (with request id and tenant); uvicorn's
    # own access log would duplicate it without either.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    # SQLAlchemy's INFO output is every statement; only its warnings and errors belong in the log.
    logging.getLogger("sqlalchemy").setLevel(max(numeric_level, logging.WARNING))


def get_logger(name: str | None = None, **initial_values: Any) -> structlog.stdlib.BoundLogger:
    """A structlog logger bound to `name` (typically `__name__`)."""
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name, **initial_values)
    return logger
