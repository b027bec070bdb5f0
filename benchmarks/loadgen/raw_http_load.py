"""A small, cheap HTTP/1.1 load generator: keep-alive connections over asyncio streams.

    python -m benchmarks.loadgen.raw_http_load --port 8000 --method POST --path /api/v1/moderate \
        --bodies bodies.jsonl --token KEY --concurrency 16 --duration 10

Used when `wrk` is not installed. Requests are pre-encoded bytes and responses are parsed just
enough to find their end (Content-Length), so the generator spends as little CPU as a Python
client can; it still shares the machine with the server. Prints one JSON object to stdout.
"""

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path


def build_requests(
    host: str, port: int, method: str, path: str, bodies: list[bytes], token: str | None
) -> list[bytes]:
    """Raw request bytes, one per body (or a single body-less request)."""
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: bench\r\n"
    if token:
        head += f"Authorization: Bearer {token}\r\n"
    if not bodies:
        return [(head + "\r\n").encode()]
    return [
        (head + f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        + body
        for body in bodies
    ]


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    raise ValueError("response without Content-Length")


async def _connection(
    host: str,
    port: int,
    requests: list[bytes],
    offset: int,
    stride: int,
    deadline: float,
    latencies: list[int],
    outcomes: Counter[str],
) -> None:
    index = offset
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while time.perf_counter() < deadline:
        try:
            if writer is None or reader is None:
                reader, writer = await asyncio.open_connection(host, port)
            request = requests[index % len(requests)]
            index += stride
            started = time.perf_counter_ns()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(_content_length(head))
            latencies.append(time.perf_counter_ns() - started)
            status = int(head[9:12])
            outcomes[f"status_{status}" if status >= 400 else "ok"] += 1
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
            outcomes[type(e).__name__] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


def _percentile(sorted_ns: list[int], fraction: float) -> float:
    if not sorted_ns:
        return 0.0
    rank = min(len(sorted_ns) - 1, max(0, round(fraction * len(sorted_ns)) - 1))
    return sorted_ns[rank] / 1e6


async def run_load(
    host: str, port: int, requests: list[bytes], concurrency: int, duration: float
) -> dict[str, object]:
    """Keep `concurrency` connections busy for `duration` seconds; latency and outcome stats."""
    latencies: list[int] = []
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(
            _connection(host, port, requests, i, concurrency, deadline, latencies, outcomes)
            for i in range(concurrency)
        )
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    errors = {kind: count for kind, count in outcomes.items() if kind != "ok"}
    return {
        "requests": outcomes["ok"] + sum(v for k, v in errors.items() if k.startswith("status_")),
        "duration_s": elapsed,
        "p50_ms": _percentile(latencies, 0.50),
        "p99_ms": _percentile(latencies, 0.99),
        "mean_ms": sum(latencies) / len(latencies) / 1e6 if latencies else 0.0,
        "max_ms": latencies[-1] / 1e6 if latencies else 0.0,
        "errors": sum(errors.values()),
        "error_detail": errors,
    }


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop]:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings uvloop
        return asyncio.new_event_loop
    return uvloop.new_event_loop


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--path", default="/")
    parser.add_argument("--bodies", type=Path, help="JSON bodies, one per line")
    parser.add_argument("--token", help="Bearer credential")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args(argv)
    bodies = args.bodies.read_bytes().splitlines() if args.bodies else []
    requests = build_requests(args.host, args.port, args.method, args.path, bodies, args.token)
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        result = runner.run(
            run_load(args.host, args.port, requests, args.concurrency, args.duration)
        )
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
