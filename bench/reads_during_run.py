"""API read latency while idle and while a billing run is being produced, from one server.

    python bench/reads_during_run.py [--database-url URL] [--customers 10000]
        [--calls-per-customer 20] [--transactions-per-customer 2] [--clients 8]
        [--idle-seconds 5]

On a fresh database (by default a throwaway PostgreSQL database it creates on
postgres://postgres@127.0.0.1:5432 and drops; a `sqlite:///path` URL uses that file,
removed first and after) it creates the demo data and its Pending run, starts one
`python server.py` on a free loopback port, and has --clients clients alternate REST
GET /billingRuns/{id} and GraphQL `billingRun(id:)`: first for --idle-seconds, then from
the PATCH that requests bills until the run is Complete. It prints p50/p99 of both
phases, the ratio of the p99s, the run's duration and whether during-run p99 ≤ 3 x idle
p99 holds. A benchmark, not a test: the exit code is 0 whether or not the goal holds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
from common import ROOT, create_database, drop_databases, step

API = "/backend/api/v1"
GOAL = 3.0
QUERY = "query($id: ID!) { billingRun(id: $id) { id status customersDone invoicesProduced } }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _cli(env: dict[str, str], *args: str) -> str:
    """Run `python server.py ARGS`; its stdout (exit on failure)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"server.py {args[0]} failed: {err.decode().strip()}")
    return out.decode()


async def _until_served(base: str) -> None:
    async with aiohttp.ClientSession() as session, asyncio.timeout(60):
        while True:
            try:
                async with session.get(base + API + "/billingRuns/") as response:
                    if response.status == 401:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)


async def _reads(
    session: aiohttp.ClientSession, base: str, run: str, clients: int, stop: asyncio.Event
) -> tuple[list[float], int]:
    """Latencies of reads by `clients` clients until `stop` is set; and the failures."""
    latencies: list[float] = []
    failures = 0

    async def client(number: int) -> None:
        nonlocal failures
        graphql = number % 2 == 1
        while not stop.is_set():
            started = time.perf_counter()
            try:
                if graphql:
                    body = {"query": QUERY, "variables": {"id": run}}
                    async with session.post(base + "/graphql", json=body) as response:
                        payload = await response.json(content_type=None)
                        ok = response.status == 200 and not payload.get("errors")
                else:
                    async with session.get(f"{base}{API}/billingRuns/{run}") as response:
                        await response.read()
                        ok = response.status == 200
            except (aiohttp.ClientError, TimeoutError):
                ok = False
            if ok:
                latencies.append(time.perf_counter() - started)
            else:
                failures += 1
            graphql = not graphql

    await asyncio.gather(*(client(n) for n in range(clients)))
    return latencies, failures


async def _measure(args: argparse.Namespace, env: dict[str, str]) -> dict[str, float | int]:
    step(f"demo data: {args.customers:,} customers")
    started = time.perf_counter()
    out = await _cli(
        env,
        "demo-data",
        "--customers",
        str(args.customers),
        "--calls-per-customer",
        str(args.calls_per_customer),
        "--transactions-per-customer",
        str(args.transactions_per_customer),
    )
    step(f"demo data took {time.perf_counter() - started:.1f} s")
    line = next(line for line in out.splitlines() if line.startswith("created billing run "))
    run = line.split()[3]
    key = (await _cli(env, "create-api-key", "reads-during-run")).strip().splitlines()[-1]

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        env={**env, "PORT": str(port), "RATE_LIMIT_PER_SECOND": "0", "LOG_FORMAT": "text"},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await _until_served(base)
        headers = {"Authorization": f"Bearer {key}"}
        timeout = aiohttp.ClientTimeout(total=60)
        connector = aiohttp.TCPConnector(limit=args.clients + 2)
        async with aiohttp.ClientSession(
            headers=headers, timeout=timeout, connector=connector
        ) as session:
            step(f"idle reads: {args.clients} clients for {args.idle_seconds:g} s")
            stop = asyncio.Event()
            reads = asyncio.create_task(_reads(session, base, run, args.clients, stop))
            await asyncio.sleep(args.idle_seconds)
            stop.set()
            idle, idle_failures = await reads

            step(f"requesting bills for run {run}; reads until it is Complete")
            stop = asyncio.Event()
            reads = asyncio.create_task(_reads(session, base, run, args.clients, stop))
            run_started = time.perf_counter()
            async with session.patch(
                f"{base}{API}/billingRuns/{run}", json={"status": "Requested"}
            ) as response:
                if response.status != 200:
                    raise SystemExit(f"requesting bills: {response.status} {await response.text()}")
            status = "Requested"
            async with asyncio.timeout(args.run_timeout):
                while status != "Complete":
                    await asyncio.sleep(0.1)
                    async with session.get(f"{base}{API}/billingRuns/{run}") as response:
                        status = (await response.json())["status"]
            run_seconds = time.perf_counter() - run_started
            stop.set()
            during, during_failures = await reads
    finally:
        if server.returncode is None:
            server.terminate()
            try:
                await asyncio.wait_for(server.wait(), 30)
            except TimeoutError:
                server.kill()
                await server.wait()

    idle_p99, during_p99 = _quantile(idle, 0.99), _quantile(during, 0.99)
    return {
        "idle_reads": len(idle),
        "idle_p50": _quantile(idle, 0.50) * 1000,
        "idle_p99": idle_p99 * 1000,
        "during_reads": len(during),
        "during_p50": _quantile(during, 0.50) * 1000,
        "during_p99": during_p99 * 1000,
        "ratio": during_p99 / idle_p99 if idle_p99 else float("inf"),
        "run_seconds": run_seconds,
        "failures": idle_failures + during_failures,
    }


async def _fresh_database(args: argparse.Namespace) -> dict[str, float | int]:
    url: str = args.database_url
    env = dict(os.environ)
    if url.startswith("sqlite"):
        path = Path(urlsplit(url).path)
        for stale in (path, *(Path(f"{path}{tail}") for tail in ("-wal", "-shm"))):
            stale.unlink(missing_ok=True)
        try:
            return await _measure(args, {**env, "DATABASE_URL": url})
        finally:
            for stale in (path, *(Path(f"{path}{tail}") for tail in ("-wal", "-shm"))):
                stale.unlink(missing_ok=True)
    name = f"billing_reads_{uuid.uuid4().hex[:10]}"
    fresh = await create_database(url, name)
    try:
        return await _measure(args, {**env, "DATABASE_URL": fresh})
    finally:
        await drop_databases(url, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (a fresh database is made on it and dropped) "
        "or sqlite:///path (default: %(default)s)",
    )
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--calls-per-customer", type=int, default=20)
    parser.add_argument("--transactions-per-customer", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8, help="concurrent readers")
    parser.add_argument("--idle-seconds", type=float, default=5.0)
    parser.add_argument("--run-timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    figures = asyncio.run(_fresh_database(args))
    kind = "SQLite" if args.database_url.startswith("sqlite") else "PostgreSQL"
    holds = figures["during_p99"] <= GOAL * figures["idle_p99"]
    print(
        f"{kind}, {args.customers:,} customers x {args.calls_per_customer} calls, "
        f"{args.clients} readers (REST + GraphQL)\n"
        f"| phase | reads | p50 ms | p99 ms |\n"
        f"|---|---:|---:|---:|\n"
        f"| idle | {figures['idle_reads']:,} | {figures['idle_p50']:.1f} "
        f"| {figures['idle_p99']:.1f} |\n"
        f"| during run | {figures['during_reads']:,} | {figures['during_p50']:.1f} "
        f"| {figures['during_p99']:.1f} |\n\n"
        f"during/idle p99: {figures['ratio']:.2f}x; run took {figures['run_seconds']:.1f} s; "
        f"failed reads: {figures['failures']}\n"
        f"goal during-run p99 ≤ {GOAL:g} x idle p99: {'holds' if holds else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
