import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from moderation.core.logging import configure_logging, get_logger, redact_query_secrets

_TOUCHED = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "sqlalchemy")


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    named = {
        name: (logging.getLogger(name).level, list(logging.getLogger(name).handlers))
        for name in _TOUCHED
    }
    saved = structlog.get_config()
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    for name, (old_level, old_handlers) in named.items():
        logging.getLogger(name).setLevel(old_level)
        logging.getLogger(name).handlers[:] = old_handlers
    structlog.configure(**saved)
    structlog.contextvars.clear_contextvars()


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_structlog_events_are_json_with_timestamp_level_and_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO")
    structlog.contextvars.bind_contextvars(request_id="r-1")
    get_logger("moderation.test").info("thing.happened", count=3)

    (line,) = _json_lines(capsys.readouterr().out)
    assert line["event"] == "thing.happened"
    assert line["count"] == 3
    assert line["level"] == "info"
    assert line["request_id"] == "r-1"
    assert line["logger"] == "moderation.test"
    assert str(line["timestamp"]).endswith("Z")
    assert "T" in str(line["timestamp"])


def test_stdlib_loggers_share_the_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    structlog.contextvars.bind_contextvars(request_id="r-2")
    logging.getLogger("uvicorn.error").warning("server %s", "started")

    (line,) = _json_lines(capsys.readouterr().out)
    assert line["event"] == "server started"
    assert line["level"] == "warning"
    assert line["logger"] == "uvicorn.error"
    assert line["request_id"] == "r-2"


def test_configuring_twice_does_not_duplicate_lines(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    configure_logging("INFO")
    get_logger("x").info("once")
    logging.getLogger("y").warning("also once")

    lines = _json_lines(capsys.readouterr().out)
    assert [line["event"] for line in lines] == ["once", "also once"]


def test_level_filters_structlog_and_stdlib(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("WARNING")
    get_logger("x").info("dropped")
    logging.getLogger("z").info("dropped too")
    get_logger("x").error("kept")

    assert [line["event"] for line in _json_lines(capsys.readouterr().out)] == ["kept"]


def test_uvicorn_access_and_sqlalchemy_info_are_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("DEBUG")
    logging.getLogger("uvicorn.access").info("GET / 200")
    logging.getLogger("sqlalchemy.engine").info("SELECT 1")
    logging.getLogger("sqlalchemy.engine").warning("pool exhausted")

    assert [line["event"] for line in _json_lines(capsys.readouterr().out)] == ["pool exhausted"]


def test_exceptions_are_rendered_into_the_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        get_logger("x").exception("failed")

    (line,) = _json_lines(capsys.readouterr().out)
    assert "RuntimeError: boom" in str(line["exception"])


def test_console_renderer_is_not_json(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json_logs=False)
    get_logger("x").info("readable.event", key="value")

    out = capsys.readouterr().out
    assert "readable.event" in out
    assert "key" in out
    with pytest.raises(json.JSONDecodeError):
        json.loads(out.splitlines()[0])


def test_unknown_level_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown log level"):
        configure_logging("LOUD")


SECRET = "AIzaSyD-perspective-secret"


def test_a_query_key_is_redacted_in_uvicorns_access_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO")
    # As an operator who turns uvicorn's access log back on would see it, in uvicorn's format.
    access = logging.getLogger("uvicorn.access")
    access.setLevel(logging.INFO)
    access.info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:50000",
        "POST",
        f"/v1alpha1/comments:analyze?key={SECRET}&doNotStore=true",
        "1.1",
        200,
    )

    out = capsys.readouterr().out
    assert SECRET not in out
    (line,) = _json_lines(out)
    assert line["event"] == (
        '127.0.0.1:50000 - "POST /v1alpha1/comments:analyze?key=REDACTED&doNotStore=true '
        'HTTP/1.1" 200'
    )


@pytest.mark.parametrize("json_logs", [True, False])
def test_credentials_in_urls_are_redacted_in_every_field(
    capsys: pytest.CaptureFixture[str], json_logs: bool
) -> None:
    configure_logging("INFO", json_logs=json_logs)
    get_logger("x").warning(
        "webhook.failed",
        url=f"https://hooks.example/in?id=7&token={SECRET}",
        query=f"key={SECRET}",
        title="a monkey=business note stays",
    )
    logging.getLogger("httpx").info(
        'HTTP Request: %s %s "%s %d %s"',
        "GET",
        f"https://api.example/v1?API_KEY={SECRET}",
        "HTTP/1.1",
        200,
        "OK",
    )

    out = capsys.readouterr().out
    assert SECRET not in out
    assert "id=7&token=REDACTED" in out
    assert "API_KEY=REDACTED" in out
    assert "a monkey=business note stays" in out


def test_redaction_leaves_ordinary_parameters_alone() -> None:
    assert redact_query_secrets("/api/v1/content?status=pending&monkey=1&keys=2") == (
        "/api/v1/content?status=pending&monkey=1&keys=2"
    )
    assert redact_query_secrets("?key=a;sig=b&password=c#top") == (
        "?key=REDACTED;sig=REDACTED&password=REDACTED#top"
    )
