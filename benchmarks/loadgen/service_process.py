"""`moderation serve` in a subprocess, on loopback, with a tenant and key made by the CLI."""

import http.client
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import psutil

# The console script may not be on PATH (e.g. `python -m`); this is what it runs.
_CLI = [sys.executable, "-c", "from moderation.cli.app import main; main()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServiceProcess:
    """The service as an operator runs it: the same CLI, environment variables only.

    `env` is the whole environment (MODERATION_* settings included); both the CLI calls
    (tenant, key) and the server get it, so they share the database.
    """

    def __init__(self, env: dict[str, str], log_path: Path, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = free_port()
        self._env = env
        self._log_path = log_path
        self._log: IO[bytes] | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("not started")
        return self._process.pid

    def cli(self, *args: str) -> str:
        """Run `moderation ARGS…` with the service's environment; its stdout."""
        completed = subprocess.run(  # noqa: S603 - our own fixed command line
            [*_CLI, *args], env=self._env, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"moderation {' '.join(args)} failed ({completed.returncode}):\n"
                f"{completed.stdout}{completed.stderr}"
            )
        return completed.stdout

    def create_key(self, tenant: str) -> str:
        """A new tenant and a key with every scope (printed on the CLI's last stdout line)."""
        self.cli("tenants", "create", tenant)
        every_scope = "content:read,content:write,moderate,policy:admin"
        created = self.cli("keys", "create", "--tenant", tenant, "--scopes", every_scope)
        return created.strip().splitlines()[-1]

    def start(self, ready_timeout: float = 120.0) -> None:
        self._log = self._log_path.open("wb")
        self._process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            [*_CLI, "serve", "--host", self.host, "--port", str(self.port)],
            env=self._env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the service exited early:\n{self.log_tail()}")
            if self.request("GET", "/health/ready")[0] == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the service was not ready in {ready_timeout} s:\n{self.log_tail()}")

    def request(
        self, method: str, path: str, body: str | None = None, token: str | None = None
    ) -> tuple[int, bytes]:
        """One request on a fresh connection; (0, error) when the server does not answer."""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            payload = body.encode() if body is not None else None
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        except OSError as error:
            return 0, str(error).encode()
        finally:
            connection.close()

    def cpu_seconds(self) -> float:
        """User + system CPU the server process has used so far (all its threads)."""
        times = psutil.Process(self.pid).cpu_times()
        return float(times.user + times.system)

    def log_tail(self, chars: int = 4000) -> str:
        if not self._log_path.exists():
            return ""
        return self._log_path.read_text(encoding="utf-8", errors="replace")[-chars:]

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
