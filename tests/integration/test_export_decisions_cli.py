"""`moderation export-decisions`: a tenant's reviewer decisions as labelled JSON Lines that
`moderation eval` reads, on SQLite and PostgreSQL."""

import asyncio
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.integration.api.support import scratch_postgresql
from typer.testing import CliRunner

from moderation.cli.app import app
from moderation.domain.models import (
    AuditEntry,
    ContentType,
    HumanDecision,
    ModerationReason,
    ModerationStatus,
    NewContent,
    Principal,
    Scope,
)
from moderation.domain.services import ServiceSet
from moderation.domain.services.reviewer_decision_export import ReviewerDecisionExport
from moderation.infrastructure.database import Database, Migrator
from moderation.infrastructure.repositories import SqlTransactions
from moderation.ml.engine import Engine
from moderation.ml.evaluation import LabelledFileEvaluator
from moderation.ml.vocabulary.category import Category

runner = CliRunner()

APPROVED = HumanDecision(status=ModerationStatus.APPROVED)
ALL_NEGATIVE = dict.fromkeys((c.value for c in Category), 0)
UNKNOWN = dict.fromkeys((c.value for c in Category), None)


def _rejected(*reasons: ModerationReason, flag: bool = False) -> HumanDecision:
    status = ModerationStatus.FLAGGED if flag else ModerationStatus.REJECTED
    return HumanDecision(status=status, reasons=list(reasons))


@dataclass
class Seeded:
    """The items of the seeded tenants by role, and the time between the two rounds."""

    ids: dict[str, str]
    titles: dict[str, str]
    between_rounds: datetime


async def _seed(url: str) -> Seeded:
    """acme: items decided in two rounds (one decided again in the second), one never decided,
    one a human approved and the engine scored afterwards; other: two rejections only."""
    database = Database(url)
    transactions = SqlTransactions(database)
    ids: dict[str, str] = {}
    titles: dict[str, str] = {}

    async def decide(principal: Principal, decisions: dict[str, HumanDecision]) -> None:
        async with transactions.transaction() as repos:
            content = ServiceSet(repos).content
            for role, decision in decisions.items():
                await content.decide(principal, uuid.UUID(ids[role]), decision)

    try:
        async with transactions.transaction() as repos:
            services = ServiceSet(repos)
            principals = {}
            for name, roles in (
                ("acme", ["fine", "abuse", "spammy", "misinfo", "redecided", "waiting", "late"]),
                ("other", ["other_abuse", "other_spam"]),
            ):
                tenant = await services.tenants.create_tenant(name)
                principal = Principal(
                    tenant_id=tenant.id, actor="user:reviewer", scopes=frozenset(Scope)
                )
                principals[name] = principal
                for role in roles:
                    titles[role] = f"{role} title"
                    new = NewContent(
                        title=titles[role],
                        body=f"the body of {role} ü",
                        content_type=ContentType.TEXT,
                        author_id="author-1",
                    )
                    item, _ = await services.content.create(principal, new)
                    ids[role] = str(item.id)
        acme, other = principals["acme"], principals["other"]
        await decide(
            acme,
            {
                "fine": APPROVED,
                "abuse": _rejected(ModerationReason.HARASSMENT),
                "spammy": _rejected(ModerationReason.SPAM, ModerationReason.PROFANITY, flag=True),
                "misinfo": _rejected(ModerationReason.MISINFORMATION),
                "redecided": _rejected(ModerationReason.HATE_SPEECH),
            },
        )
        await decide(
            other,
            {
                "other_abuse": _rejected(ModerationReason.VIOLENCE),
                "other_spam": _rejected(ModerationReason.SPAM),
            },
        )
        await asyncio.sleep(0.02)
        between_rounds = datetime.now(UTC)
        await asyncio.sleep(0.02)
        await decide(acme, {"redecided": APPROVED, "late": APPROVED})
        # An engine entry after the reviewer's is not a label and does not replace it.
        async with transactions.transaction() as repos:
            late = await ServiceSet(repos).content.get(acme, uuid.UUID(ids["late"]))
            await repos.audit.add(
                AuditEntry(
                    id=uuid.uuid4(),
                    tenant_id=late.tenant_id,
                    content_id=late.id,
                    source="engine",
                    actor="engine",
                    status=ModerationStatus.REJECTED,
                    reasons=[ModerationReason.SPAM],
                    created_at=datetime.now(UTC),
                )
            )
    finally:
        await database.dispose()
    return Seeded(ids, titles, between_rounds)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('decisions') / 'cli.db'}"
        Migrator(url).upgrade()
        yield url
    else:
        with scratch_postgresql("moderation_decisions") as url:
            yield url


@pytest.fixture(scope="module")
def seeded(database_url: str) -> Seeded:
    return asyncio.run(_seed(database_url))


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    loaded = Engine.load(None)
    yield loaded
    loaded.close()


@pytest.fixture
def env(database_url: str, seeded: Seeded, tmp_path: Path) -> dict[str, str]:
    # Migrated by the fixture: a migration in this process may have pointed logging at stdout.
    return {
        "MODERATION_DATABASE_URL": database_url,
        "MODERATION_DATA_DIR": str(tmp_path),
        "MODERATION_AUTO_MIGRATE": "false",
    }


def _export(env: dict[str, str], out: Path, *args: str) -> dict[str, dict[str, Any]]:
    result = runner.invoke(app, ["export-decisions", "-o", str(out), *args], env=env)
    assert result.exit_code == 0, result.output
    assert not out.with_name(f"{out.name}.partial").exists()
    lines = out.read_text(encoding="utf-8").splitlines()
    return {record["id"]: record for record in map(json.loads, lines)}


def _labels(record: dict[str, Any]) -> dict[str, Any]:
    return {c.value: record[c.value] for c in Category}


def test_each_items_latest_reviewer_decision_becomes_one_labelled_line(
    env: dict[str, str], seeded: Seeded, tmp_path: Path
) -> None:
    out = tmp_path / "acme.jsonl"
    result = runner.invoke(app, ["export-decisions", "--tenant", "acme", "-o", str(out)], env=env)

    assert result.exit_code == 0, result.output
    assert "exported 5 reviewer decisions of tenant acme" in result.stderr
    assert "; skipped 1 whose reasons map to no category" in result.stderr
    records = {r["id"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    by_role = {role: records.get(seeded.ids[role]) for role in seeded.ids}
    # Never decided, decided for a reason no category stands for, another tenant's: no line.
    assert {role for role, record in by_role.items() if record is not None} == {
        "fine",
        "abuse",
        "spammy",
        "redecided",
        "late",
    }
    fine = by_role["fine"]
    assert fine is not None
    assert fine["text"] == "fine title\n\nthe body of fine ü"
    assert _labels(fine) == ALL_NEGATIVE
    assert (fine["status"], fine["reasons"]) == ("approved", [])
    assert datetime.fromisoformat(fine["decided_at"]) < seeded.between_rounds
    assert _labels(by_role["abuse"] or {}) == {**UNKNOWN, "toxicity": 1}
    spammy = by_role["spammy"] or {}
    assert _labels(spammy) == {**UNKNOWN, "spam": 1, "profanity": 1}
    assert (spammy["status"], spammy["reasons"]) == ("flagged", ["spam", "profanity"])
    # The later approval replaced the rejection; the engine's later entry replaced nothing.
    assert _labels(by_role["redecided"] or {}) == ALL_NEGATIVE
    assert _labels(by_role["late"] or {}) == ALL_NEGATIVE
    assert list(records) == sorted(records, key=uuid.UUID), "in item id order"


def test_until_gives_the_labels_as_they_stood_and_since_only_later_decisions(
    env: dict[str, str], seeded: Seeded, tmp_path: Path
) -> None:
    cut = seeded.between_rounds.isoformat()
    before = _export(env, tmp_path / "before.jsonl", "-t", "acme", "--until", cut)
    after = _export(env, tmp_path / "after.jsonl", "-t", "acme", "--since", cut)

    ids = seeded.ids
    assert set(before) == {ids["fine"], ids["abuse"], ids["spammy"], ids["redecided"]}
    assert _labels(before[ids["redecided"]]) == {**UNKNOWN, "hate_speech": 1, "toxicity": 1}
    assert set(after) == {ids["redecided"], ids["late"]}
    assert _labels(after[ids["redecided"]]) == ALL_NEGATIVE
    # A time with an offset means the same instant.
    shifted = seeded.between_rounds.astimezone().isoformat()
    assert _export(env, tmp_path / "shifted.jsonl", "-t", "acme", "--until", shifted) == before


def test_the_export_reads_back_with_the_loader_of_moderation_eval(
    env: dict[str, str], engine: Engine, tmp_path: Path
) -> None:
    acme, other = tmp_path / "acme.jsonl", tmp_path / "other.jsonl"
    _export(env, acme, "-t", "acme")
    _export(env, other, "-t", "other")

    report = {row["category"]: row for row in LabelledFileEvaluator(engine).evaluate(acme)}
    assert set(report) == {c.value for c in Category}
    counts = {name: (row["n"], row["positives"]) for name, row in report.items()}
    assert counts["toxicity"] == (4, 1)  # fine, abuse, redecided, late; spammy unknown
    assert counts["spam"] == (4, 1)
    assert counts["profanity"] == (4, 1)
    assert counts["insult"] == (3, 0)
    # Only rejections: a category no reason decided is unknown on every line, and reported
    # with no rows instead of failing the evaluation.
    only_harmful = {r["category"]: r for r in LabelledFileEvaluator(engine).evaluate(other)}
    assert (only_harmful["threat"]["n"], only_harmful["threat"]["positives"]) == (1, 1)
    assert (only_harmful["spam"]["n"], only_harmful["spam"]["positives"]) == (1, 1)
    assert only_harmful["insult"]["n"] == 0
    # And through the command itself.
    result = runner.invoke(app, ["eval", str(acme)], env=env)
    assert result.exit_code == 0, result.output
    assert "hate_speech" in result.stdout


async def _exported_ids(url: str, tenant: str, page_size: int) -> list[str]:
    database = Database(url)
    transactions = SqlTransactions(database)
    try:
        async with transactions.transaction(write=False) as repos:
            found = await ServiceSet(repos).tenants.tenant(tenant)
        export = ReviewerDecisionExport(transactions, page_size=page_size)
        return [str(item.id) async for _, item in export.decisions(found.id)]
    finally:
        await database.dispose()


def test_pages_of_any_size_give_the_same_decisions(database_url: str, seeded: Seeded) -> None:
    whole = asyncio.run(_exported_ids(database_url, "acme", 500))
    paged = asyncio.run(_exported_ids(database_url, "acme", 2))

    assert paged == whole
    assert len(whole) == 6  # misinfo too: skipping it is the command's choice


def test_without_a_file_the_lines_go_to_stdout(env: dict[str, str], seeded: Seeded) -> None:
    result = runner.invoke(app, ["export-decisions", "-t", "other"], env=env)

    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["id"] for r in records} == {seeded.ids["other_abuse"], seeded.ids["other_spam"]}


def test_an_unknown_tenant_fails_and_leaves_no_file(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "none.jsonl"

    result = runner.invoke(app, ["export-decisions", "-t", "nobody", "-o", str(out)], env=env)

    assert result.exit_code == 1
    assert "no tenant 'nobody'" in result.stderr
    assert not out.exists()
    assert not out.with_name("none.jsonl.partial").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "yesterday"],
        ["--since", "2025-02-01", "--until", "2025-01-01"],
    ],
)
def test_bad_times_are_usage_errors(env: dict[str, str], args: list[str]) -> None:
    result = runner.invoke(app, ["export-decisions", "-t", "acme", *args], env=env)

    assert result.exit_code == 2
