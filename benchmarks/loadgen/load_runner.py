"""Run one scenario with `wrk` (preferred: C, no Python overhead) or the asyncio generator."""

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.loadgen.load_result import LoadResult
from benchmarks.loadgen.scenario import Scenario

REPO_ROOT = Path(__file__).resolve().parents[2]

# Requests are built once per wrk thread in init() from the bodies file, then cycled; done()
# prints the figures as one JSON line, since wrk's own summary rounds latencies coarsely.
_WRK_SCRIPT = r"""
local requests = {}
local count = 0
local index = 0

function init(args)
  local method, bodies, token = args[1], args[2], args[3]
  local headers = {}
  if token ~= nil and token ~= "-" then headers["Authorization"] = "Bearer " .. token end
  if bodies ~= nil and bodies ~= "-" then
    headers["Content-Type"] = "application/json"
    for line in io.lines(bodies) do
      count = count + 1
      requests[count] = wrk.format(method, nil, headers, line)
    end
  else
    count = 1
    requests[1] = wrk.format(method, nil, headers, nil)
  end
end

function request()
  index = index % count + 1
  return requests[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%.1f,"p99_us":%.1f,' ..
    '"mean_us":%.1f,"max_us":%.1f,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str], timeout: float) -> tuple[str, float]:
    """Run the generator to completion; its stdout and the CPU seconds it used."""
    before = _children_cpu_seconds()
    completed = subprocess.run(  # noqa: S603 - our own fixed command line
        command, capture_output=True, text=True, timeout=timeout, check=False, cwd=REPO_ROOT
    )
    cpu = _children_cpu_seconds() - before
    if completed.returncode != 0:
        raise RuntimeError(
            f"load generator failed ({completed.returncode}): {completed.stderr[-2000:]}"
        )
    return completed.stdout, cpu


def run_wrk(
    scenario: Scenario,
    base_url: str,
    token: str,
    concurrency: int,
    duration: float,
    work_dir: Path,
    threads: int = 1,
) -> LoadResult:
    """Load `scenario` with wrk for `duration` seconds over `concurrency` connections."""
    script = work_dir / "bench.lua"
    script.write_text(_WRK_SCRIPT, encoding="utf-8")
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={concurrency}",
        f"--duration={max(1, round(duration))}s",
        "--timeout=10s",
        f"--script={script}",
        base_url + scenario.path,
        "--",
        scenario.method,
        str(scenario.bodies_file) if scenario.bodies_file else "-",
        token if scenario.authenticated else "-",
    ]
    stdout, cpu = _run(command, timeout=duration + 60)
    line = next((ln for ln in stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{stdout}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    kinds = ("connect", "read", "write", "status", "timeout")
    detail = {kind: int(raw[kind]) for kind in kinds if raw[kind]}
    seconds = raw["duration_us"] / 1e6
    return LoadResult(
        requests=int(raw["requests"]),
        duration_s=seconds,
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        mean_ms=raw["mean_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors=sum(detail.values()),
        error_detail=detail,
        loadgen_cpu_pct=100 * cpu / seconds if seconds else 0.0,
    )


def run_python(
    scenario: Scenario, host: str, port: int, token: str, concurrency: int, duration: float
) -> LoadResult:
    """Load `scenario` with the asyncio generator, in its own process."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.loadgen.raw_http_load",
        f"--host={host}",
        f"--port={port}",
        f"--method={scenario.method}",
        f"--path={scenario.path}",
        f"--concurrency={concurrency}",
        f"--duration={duration}",
    ]
    if scenario.bodies_file is not None:
        command.append(f"--bodies={scenario.bodies_file}")
    if scenario.authenticated:
        command.append(f"--token={token}")
    stdout, cpu = _run(command, timeout=duration + 60)
    raw = json.loads(stdout.strip().splitlines()[-1])
    seconds = float(raw["duration_s"])
    return LoadResult(
        requests=int(raw["requests"]),
        duration_s=seconds,
        p50_ms=float(raw["p50_ms"]),
        p99_ms=float(raw["p99_ms"]),
        mean_ms=float(raw["mean_ms"]),
        max_ms=float(raw["max_ms"]),
        errors=int(raw["errors"]),
        error_detail={str(k): int(v) for k, v in raw["error_detail"].items()},
        loadgen_cpu_pct=100 * cpu / seconds if seconds else 0.0,
    )
