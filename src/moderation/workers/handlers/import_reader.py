"""Reading import uploads (JSONL, CSV) one record at a time, in one bounded, linear pass.

Every line is read within a byte budget, so no record is ever held beyond `max_record_bytes`,
and a malformed one costs a row error, never the rest of the file: an oversized line is skipped
to its end, and a CSV record whose quoted field is never closed (within the budget, or before
the end of the file) is reported at the line it starts on, after which reading goes on with
the next line. The lines such a record swallowed are then read one line per record, up to
where it broke: reading them again as multi-line records could run into the same budget once
per line, which is how the old reader became quadratic.
"""

import csv
import json
import math
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from moderation.workers.handlers.import_record import ImportRecord

ImportFormat = Literal["jsonl", "csv"]

DEFAULT_MAX_RECORD_BYTES = 1024 * 1024

_BOM = b"\xef\xbb\xbf"
_SKIP_CHUNK = 64 * 1024
# Neither database stores these in text: PostgreSQL refuses NUL, and a lone surrogate has no
# UTF-8 form. Each is a row error naming its field, as the API answers 422 for them.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# What `surrogateescape` makes of bytes that are not UTF-8.
_UNDECODED = re.compile("[\udc80-\udcff]")
_MAX_FIELD_NAME = 80


class ImportReader:
    """Reads an import file one record at a time, from any record boundary.

    JSONL: one JSON object per line, blank lines skipped. CSV: a header row naming the fields
    (`title`, `body`, `author_id`, and optionally `content_type`, `language`, `tags` separated by
    `;` or `|`, `metadata` as a JSON object); quoted fields may span lines. Each record reports
    the cursor after it, which is what a job stores to resume exactly there, and the line it
    starts on. A record larger than `max_record_bytes` (its line breaks included) is a row
    error, as is a string holding NUL or a lone surrogate.
    """

    def __init__(
        self,
        path: Path,
        file_format: ImportFormat,
        *,
        max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
    ) -> None:
        self._path = path
        self._format = file_format
        self._max_bytes = max_record_bytes

    def count(self) -> int:
        """How many records the file holds (the same pass, without parsing the fields)."""
        with self._path.open("rb") as handle:
            _, start = self._header(handle)
            return sum(1 for _ in self._raw(handle, start))

    def records(self, cursor: str | None = None) -> Generator[ImportRecord, None, None]:
        """The records after `cursor` (a value an earlier record reported), or from the start."""
        with self._path.open("rb") as handle:
            header, start = self._header(handle)
            if cursor:
                start = _Position.parse(cursor, handle)
            for position, line, raw in self._raw(handle, start):
                yield ImportRecord(position.encode(), line, self._fields(raw, header))

    def _header(self, handle: BinaryIO) -> tuple[list[str] | None, "_Position"]:
        start = _Position(0, 1)
        if self._format != "csv":
            return [], start
        for position, _line, raw in _csv_rows(_Lines(handle, start), self._max_bytes, 0):
            return ([name.strip() for name in raw] if isinstance(raw, list) else None), position
        return [], start

    def _raw(
        self, handle: BinaryIO, start: "_Position"
    ) -> Iterator[tuple["_Position", int, bytes | list[str] | str]]:
        lines = _Lines(handle, start)
        if self._format == "csv":
            return _csv_rows(lines, self._max_bytes, start.region_end)
        return _jsonl_lines(lines, self._max_bytes)

    def _fields(
        self, raw: bytes | list[str] | str, header: list[str] | None
    ) -> dict[str, Any] | str:
        if isinstance(raw, str):
            return raw
        return _json_fields(raw) if isinstance(raw, bytes) else _csv_fields(raw, header)


@dataclass(frozen=True)
class _Position:
    """Where reading resumes: a byte offset, the number of the line there, and (CSV) the end
    of a broken record's lines, up to which lines are read one per record."""

    offset: int
    line: int
    region_end: int = 0

    def encode(self) -> str:
        region = self.region_end if self.region_end > self.offset else 0
        return f"{self.offset}:{self.line}:{region}"

    @classmethod
    def parse(cls, cursor: str, handle: BinaryIO) -> "_Position":
        parts = cursor.split(":")
        if len(parts) == 3:
            return cls(int(parts[0]), int(parts[1]), int(parts[2]))
        # A cursor saved before lines were numbered (a bare offset): count the lines once.
        offset = int(parts[0])
        handle.seek(0)
        line, left = 1, offset
        while left > 0 and (chunk := handle.read(min(left, _SKIP_CHUNK))):
            line += chunk.count(b"\n")
            left -= len(chunk)
        return cls(offset, line)


class _TooLong(Exception):
    """The line (or the record it continues) is over the byte budget; it was skipped."""


class _Unclosed(Exception):
    """A CSV record ended inside a quoted field."""


class _Lines:
    """The lines of a binary file from a position, each read within a byte budget."""

    def __init__(self, handle: BinaryIO, start: _Position) -> None:
        self._handle = handle
        self.seek(start.offset, start.line)

    def seek(self, offset: int, line: int) -> None:
        self._handle.seek(offset)
        self.offset, self.line = offset, line

    def read(self, budget: int) -> bytes | None:
        """The next line, its line break included; None at the end of the file. A line over
        `budget` bytes is skipped to its end (a bounded chunk at a time) and raises `_TooLong`."""
        at_start = self.offset == 0
        data = self._handle.readline(max(budget, 0) + 1)
        if not data:
            return None
        self.offset += len(data)
        self.line += 1
        if len(data) > budget:
            while not data.endswith(b"\n"):
                data = self._handle.readline(_SKIP_CHUNK)
                if not data:
                    break
                self.offset += len(data)
            raise _TooLong
        return data[len(_BOM) :] if at_start and data.startswith(_BOM) else data


class _CsvFeed:
    """The line iterator `csv.reader` parses, serving one record at a time: it counts the
    record's bytes and lines, and raises instead of letting a record grow without bound or
    run to the end of the file inside a quoted field."""

    def __init__(self, lines: _Lines, max_bytes: int) -> None:
        self._lines = lines
        self._max_bytes = max_bytes
        self.start(single_line=False)

    def start(self, *, single_line: bool) -> None:
        self._single_line = single_line
        self._size = 0
        self.count = 0
        self.blank = True
        self.first_line = self._lines.line
        self.first_end: int | None = None

    def __iter__(self) -> "_CsvFeed":
        return self

    def __next__(self) -> str:
        if self.count and self._single_line:
            raise _Unclosed
        data = self._lines.read(self._max_bytes - self._size)
        if data is None:
            if self.count:
                raise _Unclosed
            raise StopIteration
        self.count += 1
        self._size += len(data)
        if self.first_end is None:
            self.first_end = self._lines.offset
        if self.blank and data.strip():
            self.blank = False
        return data.decode("utf-8", "surrogateescape")


def _csv_rows(
    lines: _Lines, max_bytes: int, region_end: int
) -> Iterator[tuple[_Position, int, list[str] | str]]:
    """(position after, first line, fields or why not) of each non-blank CSV record."""
    feed = _CsvFeed(lines, max_bytes)
    reader = csv.reader(feed)
    while True:
        feed.start(single_line=lines.offset < region_end)
        try:
            row = next(reader)
        except StopIteration:
            return
        except (_TooLong, _Unclosed, csv.Error) as error:
            problem = _csv_problem(error, max_bytes, continued=feed.count > 0)
            if feed.first_end is not None and lines.offset > feed.first_end:
                region_end = max(region_end, lines.offset)
                lines.seek(feed.first_end, feed.first_line + 1)
            reader = csv.reader(feed)
            yield _Position(lines.offset, lines.line, region_end), feed.first_line, problem
            continue
        if not feed.blank:
            yield _Position(lines.offset, lines.line, region_end), feed.first_line, row


def _csv_problem(error: Exception, max_bytes: int, *, continued: bool) -> str:
    if isinstance(error, _TooLong):
        hint = " (a quoted field left open?)" if continued else ""
        return f"the record is larger than {max_bytes} bytes{hint}"
    if isinstance(error, _Unclosed):
        return "a quoted field is not closed"
    return f"invalid CSV: {error}"


def _jsonl_lines(lines: _Lines, max_bytes: int) -> Iterator[tuple[_Position, int, bytes | str]]:
    """(position after, line, bytes or why not) of each non-blank JSONL line."""
    while True:
        number = lines.line
        try:
            data = lines.read(max_bytes)
        except _TooLong:
            problem = f"the line is larger than {max_bytes} bytes"
            yield _Position(lines.offset, lines.line), number, problem
            continue
        if data is None:
            return
        if data.strip():
            yield _Position(lines.offset, lines.line), number, data


def _json_fields(raw: bytes) -> dict[str, Any] | str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "record is not UTF-8"
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        return f"invalid JSON: {error.msg} at column {error.colno}"
    except RecursionError:
        return "invalid JSON: nested too deeply"
    except ValueError as error:
        return f"invalid JSON: {str(error)[:120]}"
    if not isinstance(value, dict):
        return "a JSONL record must be a JSON object"
    return _storable(value, text)


def _finite(number: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        raise ValueError(f"{number[:40]} is out of range")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


# NaN, Infinity and numbers too large for a double are no JSON PostgreSQL stores.
_DECODER = json.JSONDecoder(parse_float=_finite, parse_constant=_no_constant)


def _storable(value: dict[str, Any], text: str, path: str = "") -> dict[str, Any] | str:
    # JSON text that decoded as UTF-8 holds NUL or a surrogate only as a \u escape.
    if "\\u" not in text:
        return value
    return _unstorable(value, path) or value


def _csv_fields(row: list[str], header: list[str] | None) -> dict[str, Any] | str:
    if not header:
        return "the CSV file has no header row"
    for index, value in enumerate(row):
        if found := _UNSTORABLE.search(value):
            if _UNDECODED.match(found.group()):
                return "record is not UTF-8"
            name = _printable(header[index]) if index < len(header) else f"field {index + 1}"
            return f"{name}: {_why(found.group())}"
    if len(row) != len(header):
        return f"expected {len(header)} CSV fields, found {len(row)}"
    fields: dict[str, Any] = {}
    for name, value in zip(header, row, strict=True):
        if name == "tags":
            separator = "|" if "|" in value else ";"
            fields["tags"] = [tag for tag in value.split(separator) if tag.strip()]
        elif name == "metadata":
            if value.strip():
                try:
                    metadata = _DECODER.decode(value)
                except (ValueError, RecursionError):
                    return "metadata must be a JSON object"
                if isinstance(metadata, dict) and isinstance(
                    checked := _storable(metadata, value, "metadata"), str
                ):
                    return checked
                fields["metadata"] = metadata
        elif name == "language":
            fields["language"] = value or None
        elif value != "" or name in ("title", "body", "author_id"):
            fields[name] = value
    fields.setdefault("content_type", "text")
    return fields


def _unstorable(fields: dict[str, Any], path: str = "") -> str | None:
    """Why the record cannot be stored as it is (a NUL or a lone surrogate in a string, a key
    included), naming the field; None when it can."""
    stack: list[tuple[str, Any]] = [(path, fields)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if found := _UNSTORABLE.search(value):
                return f"{path}: {_why(found.group())}"
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{_printable(key)}" if path else _printable(key)
                if found := _UNSTORABLE.search(key):
                    return f"{name}: the field name {_why(found.group())}"
                stack.append((name, item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{index}", item) for index, item in enumerate(value))
    return None


def _why(character: str) -> str:
    if character == "\x00":
        return "contains a NUL character"
    return "contains a lone surrogate (not valid Unicode)"


def _printable(key: str) -> str:
    # The name goes into the job's result: it must be storable and short itself.
    return _UNSTORABLE.sub("?", key)[:_MAX_FIELD_NAME]
