import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal, TextIO

from pydantic import ValidationError

from moderation.cli.score_input import ScoreInput
from moderation.ml.vocabulary.moderation_result import ModerationResult

InputFormat = Literal["jsonl", "text"]
MAX_LINE_BYTES = 1 << 20
_CHUNK = 1 << 16
Scorer = Callable[[list[str]], list[ModerationResult]]


@dataclass(slots=True)
class _Item:
    line: int
    id: str | int | None
    text: str | None
    error: dict[str, Any] | None


class ScoreStream:
    """Scores a JSONL (or one-text-per-line) stream in bounded batches, order preserved.

    A bad line (not UTF-8, not JSON, no text, too long) becomes an error record carrying its
    line number; the other lines still run. Memory stays bounded by `batch_size` lines of at
    most `MAX_LINE_BYTES` each, whatever the input size.
    """

    def __init__(self, scorer: Scorer, input_format: InputFormat = "jsonl", batch_size: int = 256):
        self._scorer = scorer
        self._format = input_format
        self._batch_size = batch_size
        self.lines = 0
        self.failed = 0

    def run(
        self,
        source: BinaryIO,
        sink: TextIO,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> None:
        """Read `source`, write one JSON line per input line to `sink`."""
        batch: list[_Item] = []
        for item in self._items(source):
            batch.append(item)
            if len(batch) >= self._batch_size:
                self._flush(batch, sink, on_batch)
                batch = []
        if batch:
            self._flush(batch, sink, on_batch)

    def _flush(
        self, batch: list[_Item], sink: TextIO, on_batch: Callable[[int, int], None] | None
    ) -> None:
        good = [item for item in batch if item.error is None and item.text is not None]
        results = iter(self._scorer([item.text for item in good if item.text is not None]))
        for item in batch:
            self.lines += 1
            if item.error is not None:
                self.failed += 1
                record: dict[str, Any] = {"line": item.line, "id": item.id, "error": item.error}
            else:
                record = {"id": item.id, **next(results).model_dump(mode="json")}
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        sink.flush()
        if on_batch is not None:
            on_batch(len(batch), sum(item.error is not None for item in batch))

    def _items(self, source: BinaryIO) -> Iterator[_Item]:
        for number, raw, too_long in _lines(source):
            if too_long:
                yield _error(number, None, "line-too-long", f"line exceeds {MAX_LINE_BYTES} bytes")
                continue
            try:
                decoded = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield _error(number, None, "invalid-encoding", f"not valid UTF-8: {exc.reason}")
                continue
            decoded = decoded.rstrip("\r\n")
            if self._format == "text":
                if not decoded.strip():
                    yield _error(number, None, "empty-text", "text must not be empty")
                else:
                    yield _Item(number, number, decoded, None)
                continue
            if not decoded.strip():
                continue
            yield self._parse_json(number, decoded)

    @staticmethod
    def _parse_json(number: int, decoded: str) -> _Item:
        try:
            payload = json.loads(decoded)
        except json.JSONDecodeError as exc:
            return _error(number, None, "invalid-json", f"invalid JSON: {exc.msg} at {exc.pos}")
        raw_id = payload.get("id") if isinstance(payload, dict) else None
        item_id = raw_id if isinstance(raw_id, str | int) else None
        try:
            parsed = ScoreInput.model_validate(payload)
        except ValidationError as exc:
            detail = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'line'}: {err['msg']}"
                for err in exc.errors()
            )
            return _error(number, item_id, "invalid-record", detail)
        return _Item(number, parsed.id, parsed.text, None)


def _error(number: int, item_id: str | int | None, kind: str, detail: str) -> _Item:
    return _Item(number, item_id, None, {"type": kind, "detail": detail})


def _lines(source: BinaryIO) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, bytes, too long) without ever holding more than MAX_LINE_BYTES of a line."""
    number = 0
    while True:
        raw = source.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while True:
                rest = source.readline(_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, b"", True
            continue
        yield number, raw, False
