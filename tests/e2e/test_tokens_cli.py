"""The README's zero-configuration `moderation serve`, run for real: it accepts tokens from
`moderation tokens mint` (signed with the secret generated in the data directory), refuses the
secret the docs once published, and throttles credential guessing; keys and tokens get exactly
the scopes their creator names."""

import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import jwt
import pytest

SCOPES = "content:read,content:write,moderate,policy:admin"
PUBLISHED_SECRET = "-".join(["dev", "insecure", "jwt", "secret", "change", "me"])


def _command() -> list[str]:
    script = Path(sys.executable).with_name("moderation")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from moderation.cli.app import main; main()"]


def _environment(data_dir: Path, **extra: str) -> dict[str, str]:
    # Zero configuration: nothing from the developer's own MODERATION_* settings applies.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODERATION_")}
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_ready(http: httpx.Client, server: subprocess.Popen[bytes]) -> None:
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


@pytest.mark.parametrize("command", [["keys", "create"], ["tokens", "mint", "--subject", "a"]])
def test_scopes_must_be_named(tmp_path: Path, command: list[str]) -> None:
    assert _run(tmp_path, "tenants", "create", "acme").returncode == 0

    result = _run(tmp_path, *command, "--tenant", "acme")

    assert result.returncode == 2
    assert "--scopes" in result.stderr
    assert SCOPES in result.stderr
    assert result.stdout == ""


def test_mint_checks_lifetime_and_tenant(tmp_path: Path) -> None:
    assert _run(tmp_path, "tenants", "create", "acme").returncode == 0
    mint = ["tokens", "mint", "--subject", "alice", "--scopes", "moderate"]

    too_long = _run(tmp_path, *mint, "--tenant", "acme", "--ttl", "86401")
    unknown = _run(tmp_path, *mint, "--tenant", "nobody")

    assert too_long.returncode == 2
    assert "at most 86400" in too_long.stderr
    assert unknown.returncode == 1
    assert "nobody" in unknown.stderr
    assert unknown.stdout == ""


def test_zero_config_serve_accepts_minted_tokens_only(tmp_path: Path, tiny_model_dir: Path) -> None:
    tenant = _run(tmp_path, "tenants", "create", "acme")
    assert tenant.returncode == 0, tenant.stderr
    tenant_id = tenant.stdout.split()[-1]
    mint = ["--tenant", "acme", "--subject", "alice", "--scopes", "content:read", "--ttl", "600"]
    minted = _run(tmp_path, "tokens", "mint", *mint)
    assert minted.returncode == 0, minted.stderr
    token = minted.stdout.splitlines()[-1]
    secret_file = tmp_path / "jwt-secret"
    if os.name == "posix":
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    now = int(time.time())
    claims = {"sub": "mallory", "tenant_id": tenant_id, "scope": "content:read", "iat": now}
    claims |= {"exp": now + 600, "iss": "monocto-moderation", "aud": "monocto-moderation-api"}
    forged = jwt.encode(claims, PUBLISHED_SECRET, algorithm="HS256")
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [*_command(), "serve", "--port", str(port)],
            env=_environment(tmp_path, MODERATION_MODEL=str(tiny_model_dir)),
            stdout=log,
            stderr=log,
        )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5.0) as http:
            _wait_until_ready(http, server)
            accepted = http.get("/api/v1/content", headers={"Authorization": f"Bearer {token}"})
            refused = http.get("/api/v1/content", headers={"Authorization": f"Bearer {forged}"})
            # The default budget is 20 failures a minute per address (one above is the forgery).
            guesses = [
                http.get("/api/v1/content", headers={"Authorization": f"Bearer mod_guess{i}"})
                for i in range(20)
            ]
            metrics = http.get("/metrics")
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    assert accepted.status_code == 200, accepted.text
    assert refused.status_code == 401
    assert refused.json()["detail"] == "invalid token signature"
    statuses = [response.status_code for response in guesses]
    assert statuses == [401] * 19 + [429], log_path.read_text()
    assert int(guesses[-1].headers["retry-after"]) >= 1
    # Loopback, no token configured: a Prometheus on the same host scrapes the default install.
    assert metrics.status_code == 200
    assert server.returncode == 0, log_path.read_text()
