"""Benchmark the real server against a raw-driver floor, on SQLite and PostgreSQL.

For each database: migrate a fresh one with `server.py migrate`, load 100,000 billing
runs (`bench/loaddata.py`), create an API key, start the real server (`python server.py`)
and the floor (`bench/floor.py`, bare aiohttp + aiosqlite/asyncpg returning the same
JSON), check their answers, then drive both with wrk (installed with apt-get when it is
missing) and print requests/s and p99 per case, each as a ratio to the floor. The table
is also written to bench/results/latest.md.

    python bench/run.py                 # both databases, 10 s a case
    python bench/run.py --quick         # a short smoke run
    python bench/run.py --databases sqlite --duration 5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import common
from common import BENCH, RESULTS, ROOT, step

from billing import runs
from rest.billing_runs import BASE as REST_BASE

HOST = "127.0.0.1"
#: Every field of a run: what the floor (and the REST shim) return.
FIELDS = " ".join((*runs.WRITABLE, *runs.READ_ONLY))
GRAPHQL_ONE = f"query($id: ID!){{ billingRun(id: $id){{ {FIELDS} }} }}"
GRAPHQL_LIST = f"{{ billingRuns(first: 100) {{ nodes {{ {FIELDS} }} }} }}"
_ID_SENTINEL = "@@ID@@"


class BenchError(RuntimeError):
    """A step failed; the message says which and why."""


# --- cases ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What the load generator sends; `{id}` in path or body is a random run id."""

    method: str
    path: str
    body: str | None = None

    @property
    def rotates(self) -> bool:
        return "{id}" in self.path or "{id}" in (self.body or "")

    def concrete(self, ident: int) -> tuple[str, str, bytes | None]:
        body = self.body.replace("{id}", str(ident)).encode() if self.body else None
        return self.method, self.path.replace("{id}", str(ident)), body


def _graphql_body(query: str, variables: dict[str, Any] | None = None) -> str:
    payload: dict[str, Any] = {"query": query}
    if variables is not None:
        payload["variables"] = variables
    return json.dumps(payload, separators=(",", ":")).replace(_ID_SENTINEL, "{id}")


FLOOR_REQUESTS = {
    "one": Request("GET", REST_BASE + "/{id}"),
    "list": Request("GET", REST_BASE + "/?limit=100"),
}


@dataclass(frozen=True)
class Case:
    label: str
    kind: str  # which floor: "one" or "list"
    request: Request
    transport: str  # "graphql" or "rest"


CASES = (
    Case(
        "GraphQL billingRun(id: $id)",
        "one",
        Request("POST", "/graphql", _graphql_body(GRAPHQL_ONE, {"id": _ID_SENTINEL})),
        "graphql",
    ),
    Case(
        "GraphQL billingRuns(first: 100)",
        "list",
        Request("POST", "/graphql", _graphql_body(GRAPHQL_LIST)),
        "graphql",
    ),
    Case("REST get", "one", Request("GET", REST_BASE + "/{id}"), "rest"),
    Case("REST list of 100", "list", Request("GET", REST_BASE + "/?limit=100"), "rest"),
)


# --- processes ------------------------------------------------------------------------


class Processes:
    """Every child process this run starts, each in its own session, stopped at the end."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen[bytes]] = []

    def start(
        self, command: Sequence[str], env: dict[str, str], log: Path | None = None
    ) -> subprocess.Popen[bytes]:
        output = open(log, "ab") if log else subprocess.DEVNULL
        try:
            process = subprocess.Popen(
                list(command),
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            if not isinstance(output, int):  # DEVNULL is a number, not a file
                output.close()
        self.running.append(process)
        return process

    def run(
        self, command: Sequence[str], env: dict[str, str], timeout: float
    ) -> subprocess.CompletedProcess[str]:
        """Run a command to its end (bounded by `timeout`), capturing its output."""
        process = subprocess.Popen(
            list(command),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.running.append(process)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(process)
            message = f"{' '.join(command[:3])} … did not finish in {timeout:.0f} s"
            raise BenchError(message) from None
        finally:
            if process.poll() is not None and process in self.running:
                self.running.remove(process)
        return subprocess.CompletedProcess(
            process.args,
            process.returncode,
            out.decode(errors="replace"),
            err.decode(errors="replace"),
        )

    def stop(self, process: subprocess.Popen[bytes], grace: float = 10) -> None:
        """SIGTERM the process's own group, then SIGKILL after `grace` seconds."""
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=grace)
        if process in self.running:
            self.running.remove(process)

    def stop_all(self) -> None:
        for process in reversed(list(self.running)):
            self.stop(process)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- HTTP checks ----------------------------------------------------------------------


def http(
    port: int, method: str, path: str, body: bytes | None = None, key: str | None = None
) -> tuple[int, bytes]:
    """One request on loopback; returns the status and the body (errors included)."""
    headers = {"Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}", data=body, method=method, headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_ready(
    process: subprocess.Popen[bytes], port: int, key: str | None, log: Path, timeout: float
) -> float:
    """Poll until the process answers 200 for run 1; return the seconds it took."""
    started = time.monotonic()
    last = "no answer"
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise BenchError(f"process exited with {process.returncode}; log tail:\n{_tail(log)}")
        try:
            status, body = http(port, "GET", REST_BASE + "/1", key=key)
            if status == 200:
                return time.monotonic() - started
            last = f"HTTP {status}: {body[:200]!r}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    raise BenchError(f"no 200 within {timeout:.0f} s ({last}); log tail:\n{_tail(log)}")


def _answer(case: Case, status: int, body: bytes) -> Any:
    """The run(s) in a server response, or BenchError when it is not a clean 200."""
    if status != 200:
        raise BenchError(f"{case.label}: HTTP {status}: {body[:300]!r}")
    try:
        payload = json.loads(body, parse_float=str)  # keep money literals as written
    except ValueError:
        raise BenchError(f"{case.label}: not JSON: {body[:300]!r}") from None
    if case.transport == "rest":
        return payload
    if not isinstance(payload, dict) or payload.get("errors") or not payload.get("data"):
        raise BenchError(f"{case.label}: GraphQL errors: {body[:300]!r}")
    data = payload["data"]
    return data["billingRun"] if case.kind == "one" else data["billingRuns"]["nodes"]


def check_answers(server_port: int, floor_port: int, key: str, rows: int) -> list[str]:
    """One response of each case must be a clean 200; a sample must equal the floor's.

    Returns notes (mismatches with the floor); raises BenchError on a failed request.
    """
    notes: list[str] = []
    rng = random.Random(11)
    sample = sorted({1, 2, rows - 1, rows, *(rng.randint(1, rows) for _ in range(25))})
    for case in CASES:
        idents = sample if case.kind == "one" else [0]
        mismatches = 0
        for ident in idents:
            method, path, body = case.request.concrete(ident)
            got = _answer(case, *http(server_port, method, path, body, key))
            fmethod, fpath, _ = FLOOR_REQUESTS[case.kind].concrete(ident)
            status, fbody = http(floor_port, fmethod, fpath)
            if status != 200:
                raise BenchError(f"floor {case.kind}: HTTP {status}: {fbody[:300]!r}")
            expected = json.loads(fbody, parse_float=str)
            if case.kind == "list" and (not isinstance(got, list) or len(got) != 100):
                raise BenchError(f"{case.label}: expected 100 runs, got {str(got)[:200]}")
            if got != expected:
                mismatches += 1
                if mismatches == 1:
                    first_got = got[0] if isinstance(got, list) and got else got
                    first_exp = expected[0] if isinstance(expected, list) else expected
                    diff = {
                        name: (first_got.get(name), first_exp.get(name))
                        for name in first_exp
                        if first_got.get(name) != first_exp.get(name)
                    }
                    notes.append(f"{case.label}: differs from the floor (id {ident}): {diff}")
        if mismatches:
            notes.append(f"{case.label}: {mismatches} of {len(idents)} sampled answers differ")
    return notes


# --- load -----------------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int
    timeouts: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        return self.non_2xx + self.socket_errors + self.timeouts

    @property
    def error_share(self) -> float:
        """Failed requests over all requests (wrk counts a non-2xx/3xx as a request)."""
        total = self.requests + self.socket_errors + self.timeouts
        return self.failed / total if total else 0.0

    def problems(self) -> str:
        parts = []
        if self.non_2xx:
            parts.append(f"{self.non_2xx:,} non-2xx/3xx of {self.requests:,} responses")
        if self.socket_errors:
            parts.append(f"{self.socket_errors:,} socket errors")
        if self.timeouts:
            parts.append(f"{self.timeouts:,} timeouts")
        if parts:
            parts[-1] += f" ({self.error_share:.0%} failed)"
        return ", ".join(parts)


@dataclass
class Settings:
    duration: int
    warmup: int
    connections: int
    threads: int
    rows: int
    python: str


def ensure_wrk() -> None:
    """Install wrk with apt-get when it is missing (as root, or through `sudo -n`)."""
    if shutil.which("wrk"):
        return
    if shutil.which("apt-get") is None:
        raise BenchError("wrk is not installed, and there is no apt-get here to install it")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    if sudo and shutil.which("sudo") is None:
        raise BenchError("wrk is not installed; install it as root: apt-get install wrk")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = [*sudo, "apt-get", "install", "-y", "-q", "wrk"]
    step("wrk is not installed: " + " ".join(install))
    done = subprocess.run(install, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:  # no package lists yet, or stale ones: update, then again
        subprocess.run(
            [*sudo, "apt-get", "update", "-q"], env=env, capture_output=True, check=False
        )
        done = subprocess.run(install, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not shutil.which("wrk"):
        raise BenchError(f"installing wrk failed: {(done.stderr or done.stdout)[-500:]}")


def drive(port: int, request: Request, key: str | None, seconds: int, opts: Settings) -> Load:
    """Load one target for `seconds` with wrk."""
    command = [
        "wrk",
        f"-t{opts.threads}",
        f"-c{opts.connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout=10s",
        "-s",
        str(BENCH / "wrk.lua"),
        f"http://{HOST}:{port}",
        "--",
        request.method,
        request.path,
        request.body or "-",
        f"Bearer {key}" if key else "-",
        str(opts.rows),
    ]
    result = PROCESSES.run(command, dict(os.environ), timeout=seconds + 60)
    line = next(
        (line for line in result.stdout.splitlines() if line.startswith("BENCH_JSON ")), None
    )
    if result.returncode != 0 or line is None:
        raise BenchError(
            f"wrk failed ({result.returncode}): {result.stderr[-500:]}{result.stdout[-500:]}"
        )
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return Load(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        non_2xx=data["status"],
        socket_errors=data["connect"] + data["read"] + data["write"],
        timeouts=data["timeout"],
    )


@dataclass
class Row:
    database: str
    case: Case
    server: Load
    floor: Load

    @property
    def ratio(self) -> float:
        return self.server.rps / self.floor.rps if self.floor.rps else 0.0

    @property
    def unreliable(self) -> bool:
        """More than 1% of either side's requests failed: the rate is not of good answers."""
        return self.server.error_share > 0.01 or self.floor.error_share > 0.01


@dataclass
class DatabaseReport:
    name: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None


# --- databases --------------------------------------------------------------------------


def postgres_reachable(maintenance_url: str) -> str | None:
    """None when the server answers, else why not."""
    try:
        asyncio.run(common.pg_admin(maintenance_url, "SELECT 1"))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@contextlib.contextmanager
def postgres_database(maintenance_url: str) -> Iterator[str]:
    """A fresh database on the server of `maintenance_url`, dropped on exit."""
    name = f"billing_bench_{secrets.token_hex(4)}"
    url = asyncio.run(common.create_database(maintenance_url, name))
    try:
        yield url
    finally:
        with _no_interrupt():
            asyncio.run(common.drop_databases(maintenance_url, name))


def _env(database_url: str, port: int | None = None) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=database_url, HOST=HOST)
    # One key at thousands of requests a second: the benchmark measures throughput, not
    # the rate limit (set RATE_LIMIT_PER_SECOND to measure with it).
    env.setdefault("RATE_LIMIT_PER_SECOND", "0")
    if port is not None:
        env["PORT"] = str(port)
    return env


def bench_database(
    name: str, database_url: str, workdir: Path, opts: Settings, report: DatabaseReport
) -> None:
    """Migrate, load, start server and floor, check, and measure the four cases."""
    python = opts.python
    step(f"{name}: migrating")
    result = PROCESSES.run([python, "server.py", "migrate"], _env(database_url), timeout=180)
    if result.returncode != 0:
        raise BenchError(f"migrate failed: {result.stderr[-800:]}{result.stdout[-400:]}")

    step(f"{name}: loading {opts.rows:,} runs")
    started = time.monotonic()
    command = [python, str(BENCH / "loaddata.py"), database_url, str(opts.rows)]
    result = PROCESSES.run(command, _env(database_url), timeout=600)
    if result.returncode != 0:
        raise BenchError(f"loading failed: {result.stderr[-800:]}")
    report.notes.append(f"loaded {opts.rows:,} runs in {time.monotonic() - started:.1f} s")

    result = PROCESSES.run(
        [python, "server.py", "create-api-key", "bench"], _env(database_url), timeout=120
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        raise BenchError(f"create-api-key failed: {result.stderr[-800:]}")
    key = lines[-1].strip()

    server_port, floor_port = free_port(), free_port()
    server_log, floor_log = workdir / f"server-{name}.log", workdir / f"floor-{name}.log"
    step(f"{name}: starting the server on :{server_port} and the floor on :{floor_port}")
    server = PROCESSES.start([python, "server.py"], _env(database_url, server_port), log=server_log)
    floor = PROCESSES.start(
        [python, str(BENCH / "floor.py"), f"--database-url={database_url}", f"--port={floor_port}"],
        _env(database_url),
        log=floor_log,
    )
    try:
        took = wait_ready(server, server_port, key, server_log, timeout=90)
        report.notes.append(f"server answered {took:.1f} s after start")
        wait_ready(floor, floor_port, None, floor_log, timeout=60)

        step(f"{name}: checking one answer of each case against the floor")
        report.notes.extend(check_answers(server_port, floor_port, key, opts.rows))

        floors: dict[str, Load] = {}
        for case in sorted(CASES, key=lambda case: (case.kind != "one", case.transport)):
            if case.kind not in floors:
                floors[case.kind] = _measure(
                    name, f"floor {case.kind}", floor_port, FLOOR_REQUESTS[case.kind], None, opts
                )
            load = _measure(name, case.label, server_port, case.request, key, opts)
            if server.poll() is not None:
                raise BenchError(
                    f"the server exited ({server.returncode}) during {case.label}:\n"
                    f"{_tail(server_log)}"
                )
            method, path, body = case.request.concrete(opts.rows // 2)
            try:
                _answer(case, *http(server_port, method, path, body, key))
            except (BenchError, OSError) as exc:
                report.notes.append(f"after load, {case.label} no longer answers cleanly: {exc}")
            report.rows.append(Row(name, case, load, floors[case.kind]))
    finally:
        PROCESSES.stop(server)
        PROCESSES.stop(floor)
    report.notes.extend(_log_findings(server_log, "server"))
    report.notes.extend(_log_findings(floor_log, "floor"))


def _measure(
    database: str, label: str, port: int, request: Request, key: str | None, opts: Settings
) -> Load:
    if opts.warmup:
        drive(port, request, key, opts.warmup, opts)
    load = drive(port, request, key, opts.duration, opts)
    problems = load.problems()
    step(
        f"{database}: {label}: {load.rps:,.0f} req/s, p99 {load.p99_ms:.1f} ms"
        + (f" ({problems})" if problems else "")
    )
    return load


_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*")
_ADDRESS = re.compile(r"0x[0-9a-f]+")


def _log_findings(log: Path, who: str) -> list[str]:
    """The errors a process logged during the run, by exception, with counts."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return []
    errors = sum(1 for line in lines if " ERROR " in line or " CRITICAL " in line)
    tracebacks = sum(1 for line in lines if line.startswith("Traceback"))
    if not errors and not tracebacks:
        return []
    kinds = Counter(
        _ADDRESS.sub("0x…", line.strip())[:240]
        for line in lines
        if _EXCEPTION_LINE.match(line.strip())
    )
    where = [line.strip() for line in lines if line.strip().startswith("File ")][-3:]
    summary = "; ".join(f"{count:,}x {kind}" for kind, count in kinds.most_common(4))
    return [
        f"{who} log: {errors:,} ERROR lines, {tracebacks:,} tracebacks"
        + (f": {summary}" if summary else "")
        + (f" (last frames: {' > '.join(where)})" if where else "")
    ]


# --- report ---------------------------------------------------------------------------


def _rps(value: float) -> str:
    return f"{value:,.0f}"


def render(reports: list[DatabaseReport], opts: Settings, load_before: float) -> str:
    lines = [
        "# Benchmark: billing-run server vs a raw-driver floor",
        "",
        f"{common.machine(load_before)}. wrk, {opts.threads} threads, "
        f"{opts.connections} connections, {opts.duration} s a case (after {opts.warmup} s "
        f"warm-up); {opts.rows:,} runs; ids rotate at random over all rows for single-run "
        "cases. Load generator, server, floor and database share the machine.",
        "",
        "| database | case | req/s | p99 ms | floor req/s | floor p99 | ratio |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for report in reports:
        for row in report.rows:
            lines.append(
                f"| {row.database} | {row.case.label} | {_rps(row.server.rps)} | "
                f"{row.server.p99_ms:.1f} | {_rps(row.floor.rps)} | {row.floor.p99_ms:.1f} | "
                f"{row.ratio:.2f}{'*' if row.unreliable else ''} |"
            )
    lines.append("")
    if any(row.unreliable for report in reports for row in report.rows):
        lines.append(
            "\\* more than 1% of the requests failed (see below): that rate is not a rate of "
            "good answers."
        )
        lines.append("")
    errors = [
        f"- {row.database}, {row.case.label}: server {row.server.problems() or 'clean'}, "
        f"floor {row.floor.problems() or 'clean'}"
        for report in reports
        for row in report.rows
        if row.server.problems() or row.floor.problems()
    ]
    measured = sum(len(report.rows) for report in reports)
    if measured:
        lines.append(
            "Non-2xx responses and socket errors under load: " + ("none." if not errors else "")
        )
        lines.extend(errors)
        lines.append("")
    for report in reports:
        if report.skipped:
            lines.append(f"- {report.name}: skipped: {report.skipped}")
        for note in report.notes:
            lines.append(f"- {report.name}: {note}")
    return "\n".join(lines).rstrip() + "\n"


# --- main -----------------------------------------------------------------------------

PROCESSES = Processes()


@contextlib.contextmanager
def _no_interrupt() -> Iterator[None]:
    """Ignore Ctrl-C while cleaning up, so the clean-up itself finishes."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _raise_exit(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the server against a raw-driver floor (see the module doc)."
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds a case (10)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds a case (2)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 s a case, 1 s warm-up")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rows", type=int, default=100_000, help="billing runs to load")
    parser.add_argument(
        "--databases",
        default="sqlite,postgres",
        help="comma-separated: sqlite, postgres (default both)",
    )
    parser.add_argument(
        "--postgres-url",
        default="postgres://postgres@127.0.0.1:5432/test",
        help="a PostgreSQL server to create the throwaway database on (its database is "
        "only used to connect)",
    )
    parser.add_argument("--output", default=str(RESULTS / "latest.md"), help="markdown file")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup = 2, 1
    if args.duration < 1 or args.warmup < 0 or args.rows < 100:
        parser.error("--duration must be >= 1, --warmup >= 0 and --rows >= 100")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    opts = Settings(
        duration=args.duration,
        warmup=args.warmup,
        connections=args.connections,
        threads=args.threads,
        rows=args.rows,
        python=sys.executable,
    )
    try:
        ensure_wrk()
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_exit)

    reports: list[DatabaseReport] = []
    failed = False
    load_before = os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory(prefix="billing-bench-") as tmp:
            workdir = Path(tmp)
            for name in [part.strip() for part in args.databases.split(",") if part.strip()]:
                report = DatabaseReport(name)
                reports.append(report)
                try:
                    if name == "sqlite":
                        url = f"sqlite://{workdir / 'bench.sqlite3'}"
                        bench_database(name, url, workdir, opts, report)
                    elif name == "postgres":
                        why = postgres_reachable(args.postgres_url)
                        if why:
                            report.skipped = f"PostgreSQL unreachable at {args.postgres_url}: {why}"
                            step(report.skipped)
                            continue
                        with postgres_database(args.postgres_url) as url:
                            try:
                                bench_database(name, url, workdir, opts, report)
                            finally:
                                PROCESSES.stop_all()  # before the database is dropped
                    else:
                        report.skipped = f"unknown database {name!r}"
                except BenchError as exc:
                    failed = True
                    report.notes.append(f"FAILED: {exc}")
                    step(f"{name}: FAILED: {exc}")
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr, flush=True)
        failed = True
        if reports:
            reports[-1].notes.append("INTERRUPTED: the results are incomplete")
    finally:
        with _no_interrupt():
            PROCESSES.stop_all()

    print()
    common.write_report(Path(args.output), render(reports, opts, load_before))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
