from pathlib import Path

from moderation.workers.handlers import ImportReader


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return path


def test_jsonl_records_skip_blank_lines_and_report_bad_ones(tmp_path: Path) -> None:
    path = _file(tmp_path, "a.jsonl", '{"title": "a"}\n\n[1, 2]\nnot json\r\n{"title": "é"}')
    reader = ImportReader(path, "jsonl")
    records = [record.fields for record in reader.records()]
    assert reader.count() == 4
    assert records[0] == {"title": "a"}
    assert records[1] == "a JSONL record must be a JSON object"
    assert isinstance(records[2], str)
    assert records[2].startswith("invalid JSON")
    assert records[3] == {"title": "é"}


def test_reading_resumes_exactly_after_any_reported_offset(tmp_path: Path) -> None:
    lines = [f'{{"n": {n}}}' for n in range(10)]
    path = _file(tmp_path, "b.jsonl", "\n".join(lines) + "\n")
    reader = ImportReader(path, "jsonl")
    everything = list(reader.records())
    rest = [record.fields for record in reader.records(everything[3].cursor)]
    assert rest == [{"n": n} for n in range(4, 10)]


def test_csv_records_may_span_lines_and_carry_tags_and_metadata(tmp_path: Path) -> None:
    text = (
        "\ufefftitle,body,author_id,tags,metadata,language\n"
        'One,"first line\nsecond ""quoted"" line",u1,a;b,"{""k"": 1}",en\n'
        "Two,plain,u2,x|y,,\n"
        "Three,short\n"
    )
    reader = ImportReader(_file(tmp_path, "c.csv", text), "csv")
    records = [record.fields for record in reader.records()]
    assert reader.count() == 3
    assert records[0] == {
        "title": "One",
        "body": 'first line\nsecond "quoted" line',
        "author_id": "u1",
        "tags": ["a", "b"],
        "metadata": {"k": 1},
        "language": "en",
        "content_type": "text",
    }
    assert records[1] == {
        "title": "Two",
        "body": "plain",
        "author_id": "u2",
        "tags": ["x", "y"],
        "language": None,
        "content_type": "text",
    }
    assert records[2] == "expected 6 CSV fields, found 2"
    cursor = next(reader.records()).cursor
    resumed = [record.fields for record in reader.records(cursor)]
    assert resumed == records[1:]


def test_undecodable_and_headerless_input_is_reported_per_record(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"a": 1}\n\xff\xfe\n')
    assert [r.fields for r in ImportReader(path, "jsonl").records()][1] == "record is not UTF-8"
    empty = _file(tmp_path, "e.csv", "")
    assert list(ImportReader(empty, "csv").records()) == []
    assert ImportReader(empty, "csv").count() == 0
