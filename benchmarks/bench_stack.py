"""Proof of the scale-out stack under faults: nothing lost, nothing decided twice.

    uv run python benchmarks/bench_stack.py [--items 5000] [--rate 200] [--compare-workers]

Starts `scripts/run-stack` (2 APIs + 2 Celery workers) on a fresh PostgreSQL database with a
private `redis-server` (free port, no persistence) as broker, cache and rate-limit store, and a
webhook receiver on loopback that fails every 7th request on purpose; submits `--items` items at
`--rate`/s over both APIs; mid-run kill -9s one worker (its process group) and starts it again,
and restarts Redis once (the queue is lost with it: the sweep must re-send). Once nothing is
pending it checks that every item has exactly one engine decision in `audit_log`, that every
outbox event is published and every webhook delivery delivered, and that every ContentCreated /
ContentModerated event of the outbox reached the receiver at least once, correctly signed, and
was processed once (the receiver deduplicates by event id). `--compare-workers`: half the items
on 1 worker first (no faults), then half on 2 workers (with the faults); throughput (first POST
to last decision) and p50/p99 of POST-to-decision (moderated_at - created_at) per phase.
While items are moderated, each is read back through both APIs soon after its POST (so the
content cache holds it pending); once settled, every item is read from every API and must match
the database. Exits 1 when an invariant fails. tests/e2e/test_stack_fault.py runs it with 300
items in the default test run.
"""

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import os
import random
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx

# Runnable as a script (`python benchmarks/bench_stack.py`) as well as with `-m`.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.loadgen import sample_texts

REPO = Path(__file__).resolve().parents[1]
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
EVENT_TYPES = ("ContentCreated", "ContentModerated")
# No persistence: a restart loses the queued tasks, which is the fault being tested.
_REDIS_ARGS = ("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no")

# Short leases and sweeps so that a task lost with a killed worker or a restarted Redis comes
# back within seconds instead of the production defaults' minutes.
STACK_ENV = {
    "MODERATION_WORKER_LEASE_SECONDS": "10",
    "MODERATION_SWEEP_SECONDS": "2",
    "MODERATION_SWEEP_GRACE_SECONDS": "5",
    "MODERATION_BROKER_VISIBILITY_TIMEOUT_SECONDS": "30",
    "MODERATION_WEBHOOK_RETRY_BASE_SECONDS": "0.5",
    "MODERATION_WEBHOOK_RETRY_MAX_SECONDS": "2",
    "MODERATION_WEBHOOK_POLL_SECONDS": "0.5",
    # The webhook receiver is on loopback, which the default egress policy refuses.
    "MODERATION_WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true",
    "MODERATION_RELAY_POLL_SECONDS": "0.5",
    "MODERATION_RELAY_MAX_BACKOFF_SECONDS": "2",
    # The load is the point here, not the per-key limit (1200/min by default).
    "MODERATION_RATE_LIMIT_PER_MINUTE": "10000000",
}


def _free_port(consecutive: int = 1) -> int:
    """P..P+consecutive-1 bindable now, below the ephemeral range: no client socket takes them."""
    for _ in range(200):
        port = random.randint(20_000, 30_000)
        with contextlib.ExitStack() as probes:
            try:
                for i in range(consecutive):
                    probes.enter_context(socket.socket()).bind(("127.0.0.1", port + i))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@dataclass
class _Redis:
    """A private redis-server: the machine's shared one (6379) is never touched."""

    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argv
                ["redis-server", "--port", str(self.port), *_REDIS_ARGS],  # noqa: S607
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 10
        while _port_free(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"redis-server did not start (see {self.log})")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


@dataclass
class _Receiver:
    """Webhook receiver: verifies signatures, processes each event id once, and answers 500 to
    every `fail_every`-th request after processing it (a receiver that crashed after its own
    commit), so the sender retries and the deduplication is exercised."""

    secret: str = ""
    fail_every: int = 7
    requests: int = 0
    failed_on_purpose: int = 0
    bad_signatures: int = 0
    deliveries: dict[str, int] = field(default_factory=dict)
    processed: int = 0
    server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/hooks"

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:  # keep-alive: one connection may carry many deliveries
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")[1:]
                headers = {
                    name.strip().lower(): value.strip()
                    for name, _, value in (line.partition(":") for line in lines if line)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status = self._respond(headers, body)
                reply = b"ok" if status == 200 else b"failing on purpose"
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Length: {len(reply)}\r\n\r\n".encode() + reply
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def _respond(self, headers: dict[str, str], body: bytes) -> int:
        self.requests += 1
        event_id = headers.get("monocto-event-id", "")
        if not self._signature_ok(body, headers.get("monocto-signature", ""), event_id):
            self.bad_signatures += 1
            return 400
        # Idempotent processing: a redelivered event id is acknowledged, not processed again.
        self.deliveries[event_id] = self.deliveries.get(event_id, 0) + 1
        if self.deliveries[event_id] == 1:
            self.processed += 1
        if self.requests % self.fail_every == 0:
            self.failed_on_purpose += 1
            return 500
        return 200

    def _signature_ok(self, body: bytes, header: str, event_id: str) -> bool:
        try:
            parts = dict(part.split("=", 1) for part in header.split(","))
            timestamp = int(parts["t"])
        except (KeyError, ValueError):
            return False
        signed = f"{timestamp}.{event_id}.".encode() + body
        expected = hmac.new(self.secret.encode(), signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts.get("v2", ""))


@dataclass
class _Stack:
    run_dir: Path
    database: str
    redis: _Redis
    base_port: int
    children: dict[int, "subprocess.Popen[bytes]"] = field(default_factory=dict)

    def run_stack(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 - our own script
            [str(REPO / "scripts/run-stack"), *args, "--run-dir", str(self.run_dir)],
            check=True,
            env={**os.environ, **STACK_ENV},
            stdout=subprocess.DEVNULL if args[0] == "stop" else None,
        )

    def start(self) -> None:
        broker = f"redis://127.0.0.1:{self.redis.port}/0"
        self.run_stack(
            "start", "--api", "2", "--workers", "2", "--database", self.database, "--fresh",
            "--redis", f"redis://127.0.0.1:{self.redis.port}", "--redis-db", "0",
            "--broker", broker, "--base-port", str(self.base_port), "--tenant", "bench-stack",
        )  # fmt: skip

    @property
    def urls(self) -> list[str]:
        return (self.run_dir / "urls").read_text().split()

    @property
    def api_key(self) -> str:
        return (self.run_dir / "api-key").read_text().strip()

    def worker_pid(self, number: int) -> int:
        return int((self.run_dir / "pids" / f"worker-{number}.pid").read_text())

    def kill_worker(self, number: int, sig: signal.Signals) -> None:
        """Signal the worker's whole process group (its pool children die with it)."""
        pid = self.worker_pid(number)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if pid in self.children:  # our own child: reap it, or its group never empties
                self.children[pid].poll()
            try:
                os.killpg(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.killpg(pid, signal.SIGKILL)

    def ready_workers(self, number: int) -> int:
        """How many times worker-N has logged that its engine is loaded."""
        log = self.run_dir / "logs" / f"worker-{number}.log"
        return log.read_text(errors="replace").count("worker.engine_ready") if log.exists() else 0

    def wait_worker_ready(self, number: int, seen: int = 0, timeout: float = 180) -> None:
        """Wait until worker-N has loaded its engine more than `seen` times (model loading is
        not part of what the phases measure)."""
        deadline = time.monotonic() + timeout
        while self.ready_workers(number) <= seen:
            if time.monotonic() > deadline:
                raise RuntimeError(f"worker-{number} did not load its engine in {timeout} s")
            time.sleep(0.5)

    def start_worker(self, number: int) -> None:
        """Start worker-N again the way run-stack does (own session, same env, same pid file)."""
        env = dict(os.environ)
        for line in (self.run_dir / "env").read_text().splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = shlex.split(value)[0] if value else ""
        cli = Path(sys.executable).with_name("moderation")
        with (self.run_dir / "logs" / f"worker-{number}.log").open("ab") as log:
            process = subprocess.Popen(  # noqa: S603 - our own CLI
                [str(cli), "worker"], stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, env=env, start_new_session=True,
            )  # fmt: skip
        self.children[process.pid] = process
        (self.run_dir / "pids" / f"worker-{number}.pid").write_text(f"{process.pid}\n")


class _Reader:
    """Reads items back through the APIs while they are moderated (each soon after its POST,
    when it is still pending, so the content cache holds the pending state), and once more at
    the end, comparing every answer with the database: a stale cache entry shows as a
    mismatch."""

    def __init__(self, client: httpx.AsyncClient, urls: list[str], key: str) -> None:
        self._client, self._urls = client, urls
        self._headers = {"Authorization": f"Bearer {key}"}
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.reads = self.failed = 0

    async def _get(self, item: str, index: int) -> dict[str, object] | None:
        url = f"{self._urls[index % len(self._urls)]}/api/v1/content/{item}"
        try:
            response = await self._client.get(url, headers=self._headers)
        except httpx.TransportError:
            self.failed += 1
            return None
        self.reads += 1
        if response.status_code != 200:
            self.failed += 1
            return None
        body: dict[str, object] = response.json()
        return body

    async def run(self) -> None:
        """Read each new item twice, once from each API, until cancelled."""
        while True:
            item = await self.queue.get()
            await asyncio.gather(self._get(item, 0), self._get(item, 1))

    async def verify(self, db: asyncpg.Connection, ids: list[str]) -> tuple[int, int]:
        """GET every item from every API; (answers matching the database, answers)."""
        rows = await db.fetch(
            "SELECT id::text AS id, status, moderated_at FROM content_items"
            " WHERE id = ANY($1::uuid[])",
            ids,
        )
        truth = {row["id"]: (row["status"], row["moderated_at"]) for row in rows}
        semaphore = asyncio.Semaphore(32)
        matching = answers = 0

        async def check(item: str, index: int) -> None:
            nonlocal matching, answers
            async with semaphore:
                body = await self._get(item, index)
            if body is None:
                return
            answers += 1
            status, moderated_at = truth[item]
            seen = body.get("moderated_at")
            if body.get("moderation_status") == status and seen is not None and moderated_at:
                matching += int(abs(_parse_time(str(seen)) - moderated_at.timestamp()) < 0.001)

        await asyncio.gather(*(check(i, n) for i in ids for n in range(len(self._urls))))
        return matching, answers


def _parse_time(value: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


@dataclass
class _Phase:
    name: str
    workers: int
    ids: list[str] = field(default_factory=list)
    throttled: int = 0
    errors: int = 0


async def _submit(
    client: httpx.AsyncClient, urls: list[str], key: str, bodies: list[str], rate: float,
    phase: _Phase, faults: Callable[[int], Awaitable[None]] | None = None,
    reader: _Reader | None = None,
) -> None:  # fmt: skip
    """POST every body, `rate` per second, alternating APIs. A 429/503 is retried after its
    Retry-After, a lost connection at once: the Idempotency-Key makes a retry create nothing new."""
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    semaphore = asyncio.Semaphore(64)

    async def one(index: int, body: str) -> None:
        async with semaphore:
            for attempt in range(30):
                url = urls[(index + attempt) % len(urls)] + "/api/v1/content"
                try:
                    idempotency = {"Idempotency-Key": f"{phase.name}-{index}"}
                    response = await client.post(url, content=body, headers=headers | idempotency)
                except httpx.TransportError:
                    phase.errors += 1
                    await asyncio.sleep(0.5)
                    continue
                if response.status_code == 201:
                    phase.ids.append(response.json()["id"])
                    if reader is not None:
                        reader.queue.put_nowait(phase.ids[-1])
                    return
                if response.status_code in (429, 503):
                    phase.throttled += 1
                    await asyncio.sleep(float(response.headers.get("retry-after", "1")))
                    continue
                phase.errors += 1
                print(f"  POST failed: {response.status_code} {response.text[:200]}")
                return

    started = time.time()
    tasks = []
    for index, body in enumerate(bodies):
        tasks.append(asyncio.create_task(one(index, body)))
        if faults is not None:
            await faults(index)
        # Paced from the start time, so a slow moment is caught up rather than accumulated.
        delay = started + (index + 1) / rate - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
    await asyncio.gather(*tasks)


async def _wait_settled(db: asyncpg.Connection, timeout: float) -> dict[str, int]:
    """Poll until nothing is pending anywhere (or the timeout); returns the last counts."""
    deadline = time.monotonic() + timeout
    while True:
        counts = {
            "pending items": await db.fetchval(
                "SELECT count(*) FROM content_items WHERE moderated_at IS NULL"
            ),
            "unpublished outbox events": await db.fetchval(
                "SELECT count(*) FROM outbox_events WHERE published_at IS NULL"
            ),
            "undelivered webhook deliveries": await db.fetchval(
                "SELECT count(*) FROM webhook_deliveries WHERE status <> 'delivered'"
            ),
        }
        if not any(counts.values()) or time.monotonic() > deadline:
            return counts
        await asyncio.sleep(0.5)


async def _latency(db: asyncpg.Connection, phase: _Phase) -> str:
    row = await db.fetchrow(
        "SELECT count(*) AS n, min(created_at) AS first, max(moderated_at) AS last,"
        " percentile_cont(0.5) WITHIN GROUP"
        "  (ORDER BY extract(epoch FROM moderated_at - created_at)) AS p50,"
        " percentile_cont(0.99) WITHIN GROUP"
        "  (ORDER BY extract(epoch FROM moderated_at - created_at)) AS p99"
        " FROM content_items WHERE id = ANY($1::uuid[]) AND moderated_at IS NOT NULL",
        phase.ids,
    )
    if not row["n"]:
        return f"{phase.name}: nothing moderated"
    span = (row["last"] - row["first"]).total_seconds()
    return (
        f"{phase.name} ({phase.workers} worker{'s' if phase.workers > 1 else ''}): "
        f"{row['n']} items in {span:.1f} s = {row['n'] / span:.1f} items/s end to end; "
        f"POST->decision p50 {row['p50'] * 1000:.0f} ms, p99 {row['p99'] * 1000:.0f} ms"
    )


async def _run(args: argparse.Namespace, stack: _Stack, receiver: _Receiver) -> bool:
    urls, key = stack.urls, stack.api_key
    rng = random.Random(args.seed)
    bodies = sample_texts.content_bodies(args.items, rng, [])
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        hook = await client.post(
            urls[0] + "/api/v1/webhooks",
            json={"url": await receiver.start(), "event_types": list(EVENT_TYPES)},
            headers={"Authorization": f"Bearer {key}"},
        )
        hook.raise_for_status()
        receiver.secret = hook.json()["secret"]
        db = await asyncpg.connect(f"{PG_SERVER}/{stack.database}")
        try:
            phases: list[_Phase] = []
            for number in (1, 2):
                stack.wait_worker_ready(number)
            if args.compare_workers:
                half = args.items // 2
                stack.kill_worker(2, signal.SIGTERM)
                phases.append(_Phase("phase 1", 1))
                print(f"phase 1: {half} items, 1 worker, no faults")
                await _submit(client, urls, key, bodies[:half], args.rate, phases[-1])
                print(f"  settled: {await _wait_settled(db, args.timeout)}")
                loaded = stack.ready_workers(2)
                stack.start_worker(2)
                await asyncio.to_thread(stack.wait_worker_ready, 2, loaded)
                await asyncio.sleep(1)  # the worker connects before the clock starts
                bodies = bodies[half:]
            phases.append(_Phase("phase 2" if phases else "run", 2))
            print(f"{phases[-1].name}: {len(bodies)} items, 2 workers, faults mid-run")
            marks = {len(bodies) // 3: "kill", len(bodies) * 2 // 3: "redis"}

            async def faults(index: int) -> None:
                if marks.get(index) == "kill":
                    print(f"  fault: kill -9 worker-1 (pid {stack.worker_pid(1)}) at item {index}")
                    stack.kill_worker(1, signal.SIGKILL)
                    await asyncio.sleep(1)
                    stack.start_worker(1)
                    print(f"  worker-1 restarted (pid {stack.worker_pid(1)})")
                elif marks.get(index) == "redis":
                    port = stack.redis.port
                    print(f"  fault: restart the private Redis (port {port}) at item {index}")
                    stack.redis.stop()
                    await asyncio.sleep(1)
                    stack.redis.start()

            reader = _Reader(client, urls, key)
            reading = asyncio.create_task(reader.run())
            try:
                await _submit(client, urls, key, bodies, args.rate, phases[-1], faults, reader)
                settled = await _wait_settled(db, args.timeout)
            finally:
                reading.cancel()
            await asyncio.sleep(1)  # a delivery answered just now is counted by the receiver
            all_ids = [item for phase in phases for item in phase.ids]
            print(f"  reads while moderating: {reader.reads} ({reader.failed} failed)")
            reads = await reader.verify(db, all_ids)
            return await _report(db, receiver, phases, settled, args.items, reads)
        finally:
            await db.close()
            await receiver.stop()


async def _report(
    db: asyncpg.Connection, receiver: _Receiver, phases: list[_Phase], settled: dict[str, int],
    expected: int, reads: tuple[int, int],
) -> bool:  # fmt: skip
    ids = list(dict.fromkeys(item for phase in phases for item in phase.ids))
    submitted, received = len(ids), set(receiver.deliveries)
    engine = await db.fetch(
        "SELECT c.id, count(a.id) AS n FROM content_items c"
        " LEFT JOIN audit_log a ON a.content_id = c.id AND a.source = 'engine' GROUP BY c.id"
    )
    per_item = {str(row["id"]): row["n"] for row in engine}
    exactly_one = sum(1 for item in ids if per_item.get(item) == 1)
    duplicates = sum(1 for n in per_item.values() if n > 1)
    missing = sum(1 for item in ids if per_item.get(item, 0) == 0)
    outbox = {
        str(row["event_id"])
        for row in await db.fetch(
            "SELECT event_id FROM outbox_events WHERE event_type = ANY($1::text[])",
            list(EVENT_TYPES),
        )
    }
    attempts = await db.fetchval("SELECT coalesce(sum(attempts), 0) FROM webhook_deliveries")
    print()
    print(f"items submitted                    {submitted}")
    print(f"items with exactly one engine decision {exactly_one}")
    print(f"items with no engine decision      {missing}")
    print(f"items with duplicate decisions     {duplicates}")
    for name, count in settled.items():
        print(f"{name:<35}{count}")
    print(f"outbox ContentCreated+Moderated    {len(outbox)}")
    print(f"webhook events received (distinct) {len(received)}")
    print(f"  of the outbox's, at least once   {len(outbox & received)}")
    print(f"  processed once                   {receiver.processed}")
    redelivered = sum(n - 1 for n in receiver.deliveries.values())
    print(f"  redelivered, deduplicated        {redelivered}")
    print(f"webhook requests {receiver.requests}, failed on purpose {receiver.failed_on_purpose},"
          f" bad signatures {receiver.bad_signatures}, attempts logged {attempts}")  # fmt: skip
    throttled, errors = (sum(p.throttled for p in phases), sum(p.errors for p in phases))
    print(f"POSTs throttled (429/503) {throttled}, failed (retried or lost) {errors}")
    print(f"GETs after settling matching the database {reads[0]} of {reads[1]}")
    for phase in phases:
        print(await _latency(db, phase))
    failures = [
        name
        for name, bad in (
            ("every item has exactly one engine decision", exactly_one != submitted),
            ("no duplicate decisions", duplicates > 0),
            ("nothing pending", any(settled.values())),
            ("every event delivered at least once", not outbox <= received),
            ("no unknown events received", not received <= outbox),
            ("processed once", receiver.processed != len(outbox)),
            ("valid signatures", receiver.bad_signatures > 0),
            ("all items submitted", submitted != expected),
            (
                "every read matches the database (no stale cache)",
                reads[0] != reads[1] or reads[1] != 2 * submitted,
            ),
        )
        if bad
    ]
    print("INVARIANTS: " + ("all hold" if not failures else "FAILED: " + "; ".join(failures)))
    return not failures


def main() -> int:
    """Start the stack, run the load with faults, check the invariants, stop everything."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=200.0, help="items POSTed per second")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to settle")
    parser.add_argument("--compare-workers", action="store_true")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-stack-") as scratch:
        run_dir = Path(scratch)
        redis = _Redis(_free_port(), run_dir / "redis.log")
        stack = _Stack(run_dir, f"bench_stack_{os.getpid()}", redis, _free_port(2))
        redis.start()
        try:
            started = time.monotonic()
            stack.start()
            print(f"stack up in {time.monotonic() - started:.1f} s")
            ok = asyncio.run(_run(args, stack, _Receiver()))
        except BaseException:
            for log in sorted((run_dir / "logs").glob("*.log")):
                print(f"--- {log.name} ---\n" + "\n".join(log.read_text().splitlines()[-15:]))
            raise
        finally:
            with contextlib.suppress(subprocess.CalledProcessError):
                stack.run_stack("stop", "--timeout", "10")
            redis.stop()
            if not args.keep:
                subprocess.run(  # noqa: S603 - fixed argv
                    ["psql", f"{PG_SERVER}/postgres", "-qc",  # noqa: S607
                     f'DROP DATABASE IF EXISTS "{stack.database}" WITH (FORCE)'],
                    check=False,
                )  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
