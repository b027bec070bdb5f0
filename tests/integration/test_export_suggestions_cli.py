"""`moderation export-suggestions`: a tenant's suggested scores as JSON Lines."""

import asyncio
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from moderation.cli.app import app
from moderation.domain.models import Principal, Scope
from moderation.domain.services import ScoreSuggestionService, TenantService
from moderation.infrastructure.database import Database, Migrator
from moderation.infrastructure.repositories import (
    SqlApiKeyRepository,
    SqlScoreSuggestionRepository,
    SqlTenantRepository,
)

runner = CliRunner()


async def _seed(url: str) -> None:
    database = Database(url)
    try:
        async with database.transaction() as session:
            tenants = TenantService(SqlTenantRepository(session), SqlApiKeyRepository(session))
            suggestions = ScoreSuggestionService(SqlScoreSuggestionRepository(session))
            for name, texts in (("acme", ["first", "second ü"]), ("other", ["not yours"])):
                tenant = await tenants.create_tenant(name)
                caller = Principal(
                    tenant_id=tenant.id, actor="key:k1", scopes=frozenset({Scope.MODERATE})
                )
                for number, text in enumerate(texts):
                    await suggestions.record(
                        caller,
                        text,
                        {"TOXICITY": number / 10, "INSULT": 0.0},
                        spans={"TOXICITY": [(0, 5, 0.5)]} if number else None,
                        languages=["en"],
                        detected_language="en",
                        community_id="forum-1",
                        client_token=f"c{number}",
                        model_version="1.2.0+abc",
                        model_scores={"TOXICITY": 0.9},
                    )
    finally:
        await database.dispose()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    Migrator(url).upgrade()
    asyncio.run(_seed(url))
    # Migrated above: another test in this process may have configured logging to stdout, and
    # the migrator's lines would land among the exported ones.
    return {
        "MODERATION_DATABASE_URL": url,
        "MODERATION_DATA_DIR": str(tmp_path),
        "MODERATION_AUTO_MIGRATE": "false",
    }


def test_a_tenants_suggestions_are_written_oldest_first(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "labels.jsonl"

    result = runner.invoke(app, ["export-suggestions", "--tenant", "acme", "-o", str(out)], env=env)

    assert result.exit_code == 0, result.output
    assert "exported 2 suggestions of tenant acme" in result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in records] == ["first", "second ü"]
    assert records[0]["labels"] == {"TOXICITY": 0.0, "INSULT": 0.0}
    assert records[0]["spans"] == {}
    assert records[1]["spans"] == {"TOXICITY": [{"begin": 0, "end": 5, "value": 0.5}]}
    assert records[1]["model_scores"] == {"TOXICITY": 0.9}
    assert (records[1]["community_id"], records[1]["client_token"]) == ("forum-1", "c1")
    assert records[1]["languages"] == ["en"]
    assert records[1]["created_by"] == "key:k1"
    assert not out.with_name("labels.jsonl.partial").exists()


def test_without_a_file_the_lines_go_to_stdout(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["export-suggestions", "-t", "other"], env=env)

    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    assert json.loads(line)["text"] == "not yours"


def test_an_unknown_tenant_fails_and_leaves_no_file(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "none.jsonl"

    result = runner.invoke(app, ["export-suggestions", "-t", "nobody", "-o", str(out)], env=env)

    assert result.exit_code == 1
    assert "no tenant 'nobody'" in result.stderr
    assert not out.exists()
    assert not out.with_name("none.jsonl.partial").exists()
