"""The service's command line, run for real in subprocesses against a fresh data directory:
database migrations, tenants, keys, and `moderation serve` answering HTTP with a key it made."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from moderation.infrastructure.database import Migrator

# Whatever the newest migration is: the CLI must reach it.
HEAD_REVISION = Migrator("sqlite+aiosqlite://").head()


def _command() -> list[str]:
    """The installed `moderation` script, as a user runs it (or the same entry point)."""
    script = Path(sys.executable).with_name("moderation")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from moderation.cli.app import main; main()"]


def _environment(data_dir: Path, **extra: str) -> dict[str, str]:
    # Nothing from the developer's own MODERATION_* settings may leak into the run.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODERATION_")}
    # Wide enough that rich never wraps a table cell or an error message.
    env.update(COLUMNS="200", HF_HUB_OFFLINE="1", MODERATION_DATA_DIR=str(data_dir))
    env.update(extra)
    return env


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [*_command(), *args],
        env=_environment(data_dir),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _unknown_key() -> str:
    # A well-formed key that was never issued, made at run time.
    from moderation.core.security import generate_api_key

    return generate_api_key()[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _create_key(data_dir: Path, tenant: str, scopes: str) -> str:
    assert _run(data_dir, "tenants", "create", tenant).returncode == 0
    created = _run(data_dir, "keys", "create", "--tenant", tenant, "--scopes", scopes)
    assert created.returncode == 0, created.stderr
    return created.stdout.splitlines()[-1]


def test_db_upgrade_then_current(tmp_path: Path) -> None:
    upgraded = _run(tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"database at {HEAD_REVISION}" in upgraded.stdout
    assert (tmp_path / "moderation.db").is_file()
    current = _run(tmp_path, "db", "current")
    assert current.returncode == 0, current.stderr
    assert current.stdout.split() == ["current", HEAD_REVISION, "head", HEAD_REVISION]


def test_tenants_and_keys(tmp_path: Path) -> None:
    created = _run(tmp_path, "tenants", "create", "acme")
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("tenant acme ")

    duplicate = _run(tmp_path, "tenants", "create", "acme")
    assert duplicate.returncode == 1
    assert "tenant 'acme' already exists" in duplicate.stderr

    key = _run(tmp_path, "keys", "create", "--tenant", "acme", "--scopes", "content:read,moderate")
    assert key.returncode == 0, key.stderr
    secret = key.stdout.splitlines()[-1]
    assert secret.startswith("mod_")
    prefix = secret.split("_")[1]
    assert f"prefix {prefix}" in key.stderr
    assert "content:read,moderate" in key.stderr

    listed = _run(tmp_path, "keys", "list", "--tenant", "acme")
    assert listed.returncode == 0, listed.stderr
    assert prefix in listed.stdout
    assert secret not in listed.stdout
    assert secret.split("_", 2)[2] not in listed.stdout

    revoked = _run(tmp_path, "keys", "revoke", prefix)
    assert revoked.returncode == 0, revoked.stderr
    assert f"prefix {prefix}" in revoked.stdout


def test_an_unknown_scope_is_a_usage_error(tmp_path: Path) -> None:
    result = _run(tmp_path, "keys", "create", "--tenant", "acme", "--scopes", "content:read,root")
    assert result.returncode == 2
    assert "unknown scope(s) root" in result.stderr
    assert "mod_" not in result.stdout


def test_serve_moderates_content_then_stops_cleanly(tmp_path: Path, tiny_model_dir: Path) -> None:
    key = _create_key(tmp_path, "acme", "content:read,content:write")
    port = _free_port()
    # Files, not pipes: a server logging every request would block on a full, unread pipe.
    stdout_path, stderr_path = tmp_path / "serve.out", tmp_path / "serve.err"
    with stdout_path.open("w") as stdout_file, stderr_path.open("w") as stderr_file:
        server = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [*_command(), "serve", "--port", str(port)],
            env=_environment(tmp_path, MODERATION_MODEL=str(tiny_model_dir)),
            stdout=stdout_file,
            stderr=stderr_file,
            text=True,
        )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {key}"}
    try:
        with httpx.Client(base_url=base, timeout=5.0) as http:
            _wait_until_ready(http, server)
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


def _wait_until_ready(http: httpx.Client, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"serve exited with {server.returncode} before it was ready")
        try:
            if http.get("/health/ready").status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.1)
    pytest.fail("serve did not become ready within 60 s")


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


def test_openai_client_against_serve(tmp_path: Path, tiny_model_dir: Path) -> None:
    """The switch an OpenAI user makes: base URL and key, nothing else."""
    import openai

    key = _create_key(tmp_path, "acme", "moderate")
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [*_command(), "serve", "--port", str(port)],
            env=_environment(tmp_path, MODERATION_MODEL=str(tiny_model_dir)),
            stdout=log_file,
            stderr=log_file,
            text=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=5.0) as http:
            _wait_until_ready(http, server)
        texts = ["Have a lovely day, friend.", "You are a stupid idiot and I hate you"]
        with openai.OpenAI(api_key=key, base_url=f"{base}/v1", max_retries=0) as client:
            response = client.moderations.create(model="omni-moderation-latest", input=texts)
        assert [r.flagged for r in response.results] == [False, True]
        assert response.results[1].categories.harassment is True
        with (
            openai.OpenAI(api_key=_unknown_key(), base_url=f"{base}/v1", max_retries=0) as bad,
            pytest.raises(openai.AuthenticationError),
        ):
            bad.moderations.create(input="hello")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
