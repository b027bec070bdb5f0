"""Running the real `moderation` command line and `moderation serve` in subprocesses."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def command() -> list[str]:
    """The installed `moderation` script, as a user runs it (or the same entry point)."""
    script = Path(sys.executable).with_name("moderation")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from moderation.cli.app import main; main()"]


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    # Nothing from the developer's own MODERATION_* settings may leak into the run.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODERATION_")}
    # Wide enough that rich never wraps a table cell or an error message.
    env.update(COLUMNS="200", HF_HUB_OFFLINE="1", MODERATION_DATA_DIR=str(data_dir))
    env.update(extra)
    return env


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI, fixed arguments
        [*command(), *args],
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def unknown_key() -> str:
    """A well-formed key that was never issued, made at run time."""
    from moderation.core.security import generate_api_key

    return generate_api_key()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def create_key(data_dir: Path, tenant: str, scopes: str) -> str:
    """A new tenant's new key with `scopes` (comma-separated), made through the CLI."""
    assert run_cli(data_dir, "tenants", "create", tenant).returncode == 0
    created = run_cli(data_dir, "keys", "create", "--tenant", tenant, "--scopes", scopes)
    assert created.returncode == 0, created.stderr
    return created.stdout.splitlines()[-1]


def wait_until_ready(http: httpx.Client, server: subprocess.Popen[str]) -> None:
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


@contextmanager
def serving(data_dir: Path, model_dir: Path, **extra_env: str) -> Iterator[str]:
    """`moderation serve` on a free port with `model_dir`, ready; yields its base URL and
    stops it with SIGINT (as Ctrl-C would) on the way out."""
    port = free_port()
    # A file, not a pipe: a server logging every request would block on a full, unread pipe.
    log_path = data_dir / "serve.log"
    with log_path.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
            [*command(), "serve", "--port", str(port)],
            env=environment(data_dir, MODERATION_MODEL=str(model_dir), **extra_env),
            stdout=log_file,
            stderr=log_file,
            text=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=5.0) as http:
            wait_until_ready(http, server)
        yield base
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
