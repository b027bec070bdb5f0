import io
import json
from pathlib import Path
from typing import Any

import pytest

from moderation.cli.score_stream import MAX_LINE_BYTES, ScoreStream
from moderation.ml.engine import Engine


@pytest.fixture(scope="module")
def stream_engine(tiny_model_dir: Path) -> Engine:
    return Engine.load(tiny_model_dir)


def run(
    engine: Engine, data: bytes, fmt: str = "jsonl", batch: int = 2
) -> tuple[list[dict[str, Any]], ScoreStream]:
    stream = ScoreStream(engine.score, fmt, batch)  # type: ignore[arg-type]
    sink = io.StringIO()
    stream.run(io.BytesIO(data), sink)
    return [json.loads(line) for line in sink.getvalue().splitlines()], stream


class TestScoreStream:
    def test_bad_lines_get_errors_and_the_rest_still_run(self, stream_engine: Engine) -> None:
        data = b"\n".join(
            [
                b'{"id": "a", "text": "hello friend"}',
                b"not json",
                b'{"id": "b", "text": ""}',
                b'{"id": "c"}',
                b'\xff\xfe{"id": "d", "text": "x"}',
                b'{"id": 5, "text": "you idiot"}',
                b"[1, 2]",
            ]
        )
        records, stream = run(stream_engine, data)
        assert [r.get("id") for r in records] == ["a", None, "b", "c", None, 5, None]
        assert [r["error"]["type"] for r in records if "error" in r] == [
            "invalid-json",
            "invalid-record",
            "invalid-record",
            "invalid-encoding",
            "invalid-record",
        ]
        assert records[1]["line"] == 2
        assert records[0]["decision"] == "approve"
        assert stream.failed == 5
        assert stream.lines == 7

    def test_huge_line_is_an_error_not_a_crash(self, stream_engine: Engine) -> None:
        huge = b'{"id": 1, "text": "' + b"a" * (MAX_LINE_BYTES + 10) + b'"}'
        records, _ = run(stream_engine, huge + b'\n{"id": 2, "text": "fine"}\n')
        assert records[0]["error"]["type"] == "line-too-long"
        assert records[1]["id"] == 2
        assert "scores" in records[1]

    def test_text_format_numbers_lines(self, stream_engine: Engine) -> None:
        records, stream = run(stream_engine, b"first text\n\nthird text\n", fmt="text")
        assert [r["id"] for r in records] == [1, None, 3]
        assert records[1]["error"]["type"] == "empty-text"
        assert stream.failed == 1

    def test_blank_jsonl_lines_are_skipped(self, stream_engine: Engine) -> None:
        records, stream = run(stream_engine, b'\n{"id": 1, "text": "hi there"}\n\n')
        assert len(records) == 1
        assert stream.failed == 0
