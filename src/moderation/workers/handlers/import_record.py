from typing import Any, NamedTuple


class ImportRecord(NamedTuple):
    """One record of an import file, as `ImportReader` reads it.

    `cursor` is where a reader resumes right after this record (a job stores it with each
    batch); `line` is the line of the file the record starts on (1-based, counting the CSV
    header); `fields` are the record's fields, or why they could not be read.
    """

    cursor: str
    line: int
    fields: dict[str, Any] | str
