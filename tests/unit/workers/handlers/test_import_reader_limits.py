"""The import reader under hostile input: one linear pass, bounded memory, and a bad record
is a row error at its line number, after which reading goes on with the next line."""

import time
import tracemalloc
from pathlib import Path

from moderation.workers.handlers import ImportReader

HEADER = "title,body,author_id\n"
ROW = "Title,plain body text here,u1\n"


def _csv(tmp_path: Path, text: str, name: str = "upload.csv") -> ImportReader:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return ImportReader(path, "csv")


def _errors(reader: ImportReader) -> list[tuple[int, str]]:
    return [(r.line, r.fields) for r in reader.records() if isinstance(r.fields, str)]


def test_an_unclosed_quote_in_2_mb_of_csv_costs_one_row_error_and_one_pass(
    tmp_path: Path,
) -> None:
    rows = 2 * 1024 * 1024 // len(ROW)
    reader = _csv(tmp_path, HEADER + 'Broken,"never closed,u1\n' + ROW * rows)

    started = time.perf_counter()
    records = list(reader.records())
    elapsed = time.perf_counter() - started

    # The reader this replaced re-scanned the open record on every line: 20 s here.
    assert elapsed < 5.0
    assert records[0].line == 2
    assert isinstance(records[0].fields, str)
    assert "larger than 1048576 bytes (a quoted field left open?)" in records[0].fields
    imported = [(r.line, r.fields) for r in records[1:] if isinstance(r.fields, dict)]
    assert len(imported) == rows == len(records) - 1
    assert [line for line, _ in imported[:3]] == [3, 4, 5]
    assert imported[-1][0] == rows + 2
    assert imported[0][1]["body"] == "plain body text here"
    assert reader.count() == len(records)


def test_lines_that_reopen_a_quote_on_every_resync_stay_linear(tmp_path: Path) -> None:
    # Read from any of these lines, a record ends inside a quoted field: resynchronising at
    # each next line as a new multi-line record would scan a megabyte per line.
    # 1 MB: the quadratic reader needed about 50 s for it, this one about 1 s on an idle core;
    # the bound leaves room for a loaded CI machine without letting quadratic work through.
    lines = 1024 * 1024 // 6
    reader = _csv(tmp_path, HEADER + 'a,"\n' + 'x"y,"\n' * lines)

    started = time.perf_counter()
    records = list(reader.records())

    assert time.perf_counter() - started < 10.0
    assert all(isinstance(r.fields, str) for r in records)
    assert [r.line for r in records[:3]] == [2, 3, 4]
    assert len(records) <= lines + 1


def test_a_quote_left_open_to_the_end_is_an_error_and_the_lines_after_it_are_read(
    tmp_path: Path,
) -> None:
    reader = _csv(tmp_path, HEADER + ROW + 'Open,"quote,u1\n' + ROW + ROW)
    last = _csv(tmp_path, HEADER + ROW + 'Last,"one,u2', "last.csv")

    records = [(r.line, r.fields) for r in reader.records()]

    assert records[1] == (3, "a quoted field is not closed")
    assert [line for line, fields in records if isinstance(fields, dict)] == [2, 4, 5]
    assert reader.count() == 4
    assert _errors(last) == [(3, "a quoted field is not closed")]


def test_quoted_newlines_still_join_lines_after_a_broken_record(tmp_path: Path) -> None:
    text = HEADER + 'Open,"quote,u1\n' + ROW + 'Done,"two\nlines",u3\n'
    path = tmp_path / "small.csv"
    path.write_bytes(text.encode())
    reader = ImportReader(path, "csv", max_record_bytes=40)

    records = [(r.line, r.fields) for r in reader.records()]

    assert records[0][0] == 2
    assert "larger than 40 bytes" in str(records[0][1])
    assert records[1] == (
        3,
        {
            "title": "Title",
            "body": "plain body text here",
            "author_id": "u1",
            "content_type": "text",
        },
    )
    assert records[2] == (
        4,
        {"title": "Done", "body": "two\nlines", "author_id": "u3", "content_type": "text"},
    )


def test_resuming_inside_a_broken_record_reads_what_an_unbroken_run_reads(
    tmp_path: Path,
) -> None:
    text = HEADER + 'Open,"a\n' + 'x"y,"\n' * 5 + ROW + 'z,"w\n' + ROW
    path = tmp_path / "resume.csv"
    path.write_bytes(text.encode())
    reader = ImportReader(path, "csv", max_record_bytes=30)
    everything = list(reader.records())

    for index, record in enumerate(everything):
        assert list(reader.records(record.cursor)) == everything[index + 1 :]


def test_an_oversized_line_is_skipped_in_bounded_memory_and_the_next_rows_are_read(
    tmp_path: Path,
) -> None:
    huge = "Big," + "b" * (8 * 1024 * 1024) + ",u1\n"
    path = tmp_path / "huge.csv"
    path.write_bytes((HEADER + ROW + huge + ROW).encode())
    reader = ImportReader(path, "csv", max_record_bytes=64 * 1024)

    tracemalloc.start()
    try:
        records = [(r.line, r.fields) for r in reader.records()]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 2 * 1024 * 1024  # the 8 MiB line is never held
    assert records[1] == (3, "the record is larger than 65536 bytes")
    assert [line for line, fields in records if isinstance(fields, dict)] == [2, 4]


def test_an_oversized_jsonl_line_is_a_row_error_at_its_line(tmp_path: Path) -> None:
    good = '{"title": "t", "body": "b", "author_id": "a"}\n'
    path = tmp_path / "huge.jsonl"
    path.write_bytes((good + "\n" + '{"body": "' + "x" * 5_000_000 + '"}\n' + good).encode())
    reader = ImportReader(path, "jsonl", max_record_bytes=4096)

    tracemalloc.start()
    try:
        records = [(r.line, r.fields) for r in reader.records()]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 2 * 1024 * 1024
    assert [line for line, _ in records] == [1, 3, 4]
    assert records[1][1] == "the line is larger than 4096 bytes"
    assert records[2][1] == records[0][1]


def test_nul_lone_surrogates_and_non_json_numbers_are_row_errors_naming_the_field(
    tmp_path: Path,
) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text(
        "\n".join(
            [
                '{"title": "a\\u0000b", "body": "ok", "author_id": "u"}',
                '{"title": "t", "body": "\\ud800", "author_id": "u"}',
                '{"title": "t", "body": "b", "metadata": {"k": ["x", "\\udfff"]}}',
                '{"title": "t", "body": "b", "\\u0000": 1}',
                '{"title": "t", "body": "b", "metadata": {"n": NaN}}',
                '{"title": "t", "body": "b", "metadata": {"n": 1e999}}',
                '{"n": ' + "1" * 5000 + "}",
                "[" * 100_000 + "]" * 100_000,
                '{"title": "\\ud83d\\ude00", "body": "b", "author_id": "u"}',
            ]
        )
    )

    fields = [r.fields for r in ImportReader(path, "jsonl").records()]

    assert fields[0] == "title: contains a NUL character"
    assert fields[1] == "body: contains a lone surrogate (not valid Unicode)"
    assert fields[2] == "metadata.k.1: contains a lone surrogate (not valid Unicode)"
    assert fields[3] == "?: the field name contains a NUL character"
    assert fields[4] == "invalid JSON: NaN is not a JSON number"
    assert fields[5] == "invalid JSON: 1e999 is out of range"
    assert str(fields[6]).startswith("invalid JSON")
    assert str(fields[7]).startswith("invalid JSON")
    assert fields[8] == {"title": "\U0001f600", "body": "b", "author_id": "u"}


def test_nul_and_undecodable_bytes_in_csv_are_row_errors(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(HEADER.encode() + b"a\x00b,body,u1\n" + b"t,\xff\xfe,u1\n" + b"t,b,u1\n")

    fields = [r.fields for r in ImportReader(path, "csv").records()]

    assert fields[0] == "title: contains a NUL character"
    assert fields[1] == "record is not UTF-8"
    assert isinstance(fields[2], dict)
    escaped = tmp_path / "escaped.csv"
    escaped.write_text('title,body,author_id,metadata\nt,b,u,"{""k"": ""\\u0000""}"\n')
    [record] = ImportReader(escaped, "csv").records()
    assert record.fields == "metadata.k: contains a NUL character"


def test_a_cursor_saved_as_a_bare_offset_still_resumes_with_line_numbers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.jsonl"
    path.write_text('{"n": 1}\n{"n": 2}\n\n{"n": 3}\n')
    reader = ImportReader(path, "jsonl")

    [record] = list(reader.records(str(len('{"n": 1}\n{"n": 2}\n'))))

    assert (record.line, record.fields) == (4, {"n": 3})
