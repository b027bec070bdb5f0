"""One endpoint under load."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Scenario:
    """A request to repeat: method and path, and optionally a file of JSON bodies (one per
    line) that the load generator cycles through, so consecutive requests differ."""

    name: str
    method: str
    path: str
    bodies_file: Path | None = None
    authenticated: bool = True
