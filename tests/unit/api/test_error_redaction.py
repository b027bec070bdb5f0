"""Unexpected errors are logged without the data a database error's text quotes."""

import sqlite3

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError, StatementError

from moderation.api.error_redaction import describe, redacted_fields, redacted_traceback

SECRET = "whsec-do-not-log-me"


class _Model(BaseModel):
    n: int


def _integrity_error() -> IntegrityError:
    driver = sqlite3.IntegrityError(f"UNIQUE constraint failed; Key (name)=({SECRET})")
    try:
        try:
            raise driver
        except sqlite3.IntegrityError as error:
            raise IntegrityError("INSERT INTO t (name) VALUES (?)", (SECRET,), error) from error
    except IntegrityError as wrapped:
        return wrapped


def test_a_database_error_is_described_by_its_classes_only() -> None:
    error = _integrity_error()
    assert SECRET in str(error)  # what must stay out of the log

    assert describe(error) == "database error (IntegrityError, IntegrityError)"


def test_the_traceback_keeps_frames_and_drops_every_database_message() -> None:
    try:
        try:
            raise _integrity_error()
        except IntegrityError as error:
            raise RuntimeError("storing the item failed") from error
    except RuntimeError as outer:
        text = redacted_traceback(outer)
        fields = redacted_fields(outer)

    assert SECRET not in text
    assert "sqlite3.IntegrityError: (redacted)" in text
    assert "The above exception was the direct cause of the following exception" in text
    assert "in _integrity_error" in text
    assert text.rstrip().endswith("builtins.RuntimeError: storing the item failed")
    assert fields["error"] == "RuntimeError"
    assert fields["traceback"] == text


def test_a_statement_error_that_is_not_from_the_driver_is_redacted_too() -> None:
    error = StatementError("bind failed", "SELECT :v", {"v": SECRET}, ValueError(SECRET))

    assert describe(error) == "database error (StatementError)"


def test_a_validation_error_keeps_places_and_drops_inputs() -> None:
    with pytest.raises(ValidationError) as raised:
        _Model.model_validate({"n": SECRET})

    described = describe(raised.value)

    assert SECRET not in described
    assert "n: Input should be a valid integer" in described


def test_other_messages_are_kept_bounded_and_printable() -> None:
    assert describe(ValueError("k\x00")) == "k\ufffd"
    assert len(describe(ValueError("x" * 5000))) == 501


def test_a_cycle_in_the_cause_chain_ends() -> None:
    first, second = ValueError("a"), ValueError("b")
    first.__cause__, second.__cause__ = second, first

    assert redacted_traceback(first).count("Traceback") == 2
