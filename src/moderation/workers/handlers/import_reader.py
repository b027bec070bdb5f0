import csv
import io
import json
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

ImportFormat = Literal["jsonl", "csv"]
# One record: the file offset just after it, and its fields (or why they could not be read).
ImportRecord = tuple[int, dict[str, Any] | str]

_MAX_RECORD_BYTES = 1_048_576


class ImportReader:
    """Reads an import file one record at a time, from any record boundary.

    JSONL: one JSON object per line, blank lines skipped. CSV: a header row naming the fields
    (`title`, `body`, `author_id`, and optionally `content_type`, `language`, `tags` separated by
    `;` or `|`, `metadata` as a JSON object); quoted fields may span lines. Every record reports
    the byte offset after it, which is what a job stores to resume exactly there.
    """

    def __init__(self, path: Path, file_format: ImportFormat) -> None:
        self._path = path
        self._format = file_format

    def count(self) -> int:
        """How many records the file holds (a quick pass that parses nothing)."""
        with self._path.open("rb") as handle:
            start = self._skip_header(handle)
            return sum(1 for _ in _raw_records(handle, start, self._format))

    def records(self, offset: int | None = None) -> Generator[ImportRecord, None, None]:
        """The records from `offset` (a value an earlier record reported), or from the start."""
        with self._path.open("rb") as handle:
            header = self._header(handle)
            start = self._skip_header(handle) if offset is None else offset
            for end, raw in _raw_records(handle, start, self._format):
                yield end, self._parse(raw, header)

    def _header(self, handle: BinaryIO) -> list[str]:
        if self._format != "csv":
            return []
        handle.seek(0)
        first = next(_raw_records(handle, 0, "csv"), None)
        if first is None:
            return []
        row = next(csv.reader(io.StringIO(first[1].decode("utf-8-sig"))), [])
        return [name.strip() for name in row]

    def _skip_header(self, handle: BinaryIO) -> int:
        if self._format != "csv":
            return 0
        handle.seek(0)
        first = next(_raw_records(handle, 0, "csv"), None)
        return first[0] if first is not None else 0

    def _parse(self, raw: bytes, header: list[str]) -> dict[str, Any] | str:
        if len(raw) > _MAX_RECORD_BYTES:
            return f"record is larger than {_MAX_RECORD_BYTES} bytes"
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return "record is not UTF-8"
        if self._format == "jsonl":
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                return f"invalid JSON: {error.msg} at column {error.colno}"
            return value if isinstance(value, dict) else "a JSONL record must be a JSON object"
        return _csv_fields(text, header)


def _raw_records(
    handle: BinaryIO, start: int, file_format: ImportFormat
) -> Iterator[tuple[int, bytes]]:
    """(offset after, bytes) of each non-blank record from `start`."""
    handle.seek(start)
    position = start
    pending = b""
    while True:
        line = handle.readline()
        if not line:
            break
        position += len(line)
        pending += line
        # A CSV record goes on while a quoted field is open: an odd count of quotes so far
        # (escaped quotes are doubled, so they never change the parity).
        if file_format == "csv" and pending.count(b'"') % 2 == 1:
            continue
        record = pending.rstrip(b"\r\n")
        pending = b""
        if record.strip():
            yield position, record
    if pending.strip():
        yield position, pending.rstrip(b"\r\n")


def _csv_fields(text: str, header: list[str]) -> dict[str, Any] | str:
    if not header:
        return "the CSV file has no header row"
    try:
        row = next(csv.reader(io.StringIO(text)))
    except (csv.Error, StopIteration) as error:
        return f"invalid CSV: {error}"
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
                    fields["metadata"] = json.loads(value)
                except json.JSONDecodeError:
                    return "metadata must be a JSON object"
        elif name == "language":
            fields["language"] = value or None
        elif value != "" or name in ("title", "body", "author_id"):
            fields[name] = value
    fields.setdefault("content_type", "text")
    return fields
