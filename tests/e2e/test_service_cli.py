"""The service's command line, run for real in subprocesses against a fresh data directory:
database migrations, tenants, keys, and `moderation serve` answering HTTP with a key it made."""

import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from tests.e2e.serve_support import (
    command,
    create_key,
    environment,
    free_port,
    run_cli,
    wait_until_ready,
)

from moderation.infrastructure.database import Migrator

# Whatever the newest migration is: the CLI must reach it.
HEAD_REVISION = Migrator("sqlite+aiosqlite://").head()


def test_db_upgrade_then_current(tmp_path: Path) -> None:
    upgraded = run_cli(tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"database at {HEAD_REVISION}" in upgraded.stdout
    assert (tmp_path / "moderation.db").is_file()
    current = run_cli(tmp_path, "db", "current")
    assert current.returncode == 0, current.stderr
    assert current.stdout.split() == ["current", HEAD_REVISION, "head", HEAD_REVISION]


def test_tenants_and_keys(tmp_path: Path) -> None:
    created = run_cli(tmp_path, "tenants", "create", "acme")
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("tenant acme ")

    duplicate = run_cli(tmp_path, "tenants", "create", "acme")
    assert duplicate.returncode == 1
    assert "tenant 'acme' already exists" in duplicate.stderr

    key = run_cli(
        tmp_path, "keys", "create", "--tenant", "acme", "--scopes", "content:read,moderate"
    )
    assert key.returncode == 0, key.stderr
    secret = key.stdout.splitlines()[-1]
    assert secret.startswith("mod_")
    prefix = secret.split("_")[1]
    assert f"prefix {prefix}" in key.stderr
    assert "content:read,moderate" in key.stderr

    listed = run_cli(tmp_path, "keys", "list", "--tenant", "acme")
    assert listed.returncode == 0, listed.stderr
    assert prefix in listed.stdout
    assert secret not in listed.stdout
    assert secret.split("_", 2)[2] not in listed.stdout

    revoked = run_cli(tmp_path, "keys", "revoke", prefix)
    assert revoked.returncode == 0, revoked.stderr
    assert f"prefix {prefix}" in revoked.stdout


def test_an_unknown_scope_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(
        tmp_path, "keys", "create", "--tenant", "acme", "--scopes", "content:read,root"
    )
    assert result.returncode == 2
    assert "unknown scope(s) root" in result.stderr
    assert "mod_" not in result.stdout


def test_serve_moderates_content_then_stops_cleanly(tmp_path: Path, tiny_model_dir: Path) -> None:
    key = create_key(tmp_path, "acme", "content:read,content:write")
    port = free_port()
    # Files, not pipes: a server logging every request would block on a full, unread pipe.
    stdout_path, stderr_path = tmp_path / "serve.out", tmp_path / "serve.err"
    with stdout_path.open("w") as stdout_file, stderr_path.open("w") as stderr_file:
        server = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [*command(), "serve", "--port", str(port)],
            env=environment(tmp_path, MODERATION_MODEL=str(tiny_model_dir)),
            stdout=stdout_file,
            stderr=stderr_file,
            text=True,
        )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {key}"}
    try:
        with httpx.Client(base_url=base, timeout=5.0) as http:
            wait_until_ready(http, server)
            created = http.post(
                "/api/v1/content",
                headers=headers,
                json={
                    "title": "hello",
                    "body": "You are a stupid idiot and I hate you",
                    "content_type": "text",
                    "author_id": "u-1",
                },
            )
            assert created.status_code == 201, created.text
            item = _wait_until_decided(http, headers, created.json()["id"])
            assert item["moderation_status"] in {"flagged", "rejected"}
            assert item["moderated_by"] == "engine"
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    stderr = stderr_path.read_text()
    assert server.returncode == 0, stderr
    assert f"http://127.0.0.1:{port}" in stderr
    assert "Application shutdown complete" in stdout_path.read_text()


def _wait_until_decided(
    http: httpx.Client, headers: dict[str, str], content_id: str
) -> dict[str, object]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        item: dict[str, object] = http.get(f"/api/v1/content/{content_id}", headers=headers).json()
        if item["moderation_status"] != "pending":
            return item
        time.sleep(0.05)
    pytest.fail(f"{content_id} still pending after 15 s")
