"""Load against `serve --workers N` on PostgreSQL: many clients mixing reads, PATCHes,
creates and bill requests; then every acknowledged write is read back.

    python bench/load.py [--clients 200] [--seconds 30] [--workers 2] [--postgres URL]

It makes a throwaway database on the PostgreSQL server named by --postgres (default:
TEST_POSTGRES_URL, else postgres://postgres@127.0.0.1:5432/test), starts the server on
a free loopback port, runs the clients, checks, stops the server, drops the database and
prints a report. Traffic goes to 127.0.0.1 only; every loop is bounded by --seconds.

Each client owns two customers and one run at a time, so for each of them the last
acknowledged write is the one that must be read back at the end ("lost" otherwise). A
client that requested bills for its run then tries to move the run's invoice date: any
2xx for that is a broken lock. Bill requests race each other for the one active run
(409 RUN_IN_PROGRESS is expected); a Complete run is left and the client makes a new one.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import signal
import socket
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
API = "/backend/api/v1"


@dataclass
class Tally:
    """What the clients saw, and what they were told was written."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    #: (path, field) -> the value of the last acknowledged write.
    acknowledged: dict[tuple[str, str], Any] = field(default_factory=dict)
    lock_violations: list[str] = field(default_factory=list)
    lock_checks: int = 0
    bills_requested: int = 0

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


class Client:
    def __init__(
        self, number: int, session: aiohttp.ClientSession, base: str, tally: Tally
    ) -> None:
        self.number, self.session, self.base, self.tally = number, session, base, tally
        self.customers: list[int] = []
        self.run: int | None = None
        self.requested = False
        self.serial = itertools.count()
        self.random = random.Random(number)

    async def call(self, kind: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        started = time.perf_counter()
        try:
            async with self.session.request(method, self.base + API + path, json=body) as r:
                payload = await r.json(content_type=None)
                status = r.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.tally.errors[type(exc).__name__] += 1
            return 0, None
        self.tally.latencies.append(time.perf_counter() - started)
        self.tally.statuses[status] += 1
        self.tally.by_kind[kind] += 1
        return status, payload

    async def setup(self) -> None:
        for _ in range(2):
            await self.create_customer()
        await self.create_run()

    async def create_customer(self) -> None:
        name = f"Client {self.number} customer {next(self.serial)}"
        account = f"L{self.number:04d}{uuid.uuid4().hex[:8]}"
        status, body = await self.call(
            "create", "POST", "/customers/", {"accountNumber": account, "name": name}
        )
        if status in (200, 201):
            self.customers.append(body["id"])
            self.tally.acknowledged[(f"/customers/{body['id']}", "name")] = name

    async def create_run(self) -> None:
        name = f"Client {self.number} run {next(self.serial)}"
        body = {"name": name, "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01"}
        status, run = await self.call("create", "POST", "/billingRuns/", body)
        if status in (200, 201):
            self.run, self.requested = run["id"], False
            self.tally.acknowledged[(f"/billingRuns/{run['id']}", "name")] = name

    async def step(self) -> None:
        roll = self.random.random()
        if roll < 0.55:
            await self.read()
        elif roll < 0.85:
            await self.patch()
        elif roll < 0.95:
            await (self.create_customer() if roll < 0.92 else self.create_run())
        else:
            await self.request_bills()

    async def read(self) -> None:
        choice = self.random.randrange(3)
        if choice == 0 and self.customers:
            await self.call("read", "GET", f"/customers/{self.random.choice(self.customers)}")
        elif choice == 1 and self.run is not None:
            await self.call("read", "GET", f"/billingRuns/{self.run}")
        else:
            await self.call("read", "GET", "/billingRuns/?limit=20")

    async def patch(self) -> None:
        if self.run is not None and self.random.random() < 0.3:
            path = f"/billingRuns/{self.run}"
            if self.requested:  # the dates are locked now: this must be refused
                moved = {"invoiceDate": f"2026-12-0{self.random.randint(2, 9)}"}
                status, _ = await self.call(
                    "patch",
                    "PATCH",
                    path,
                    moved,
                )
                self.tally.lock_checks += 1
                if 200 <= status < 300:
                    self.tally.lock_violations.append(path)
                return
            name = f"Client {self.number} run renamed {next(self.serial)}"
            status, _ = await self.call("patch", "PATCH", path, {"name": name})
            if status == 200:
                self.tally.acknowledged[(path, "name")] = name
            return
        if not self.customers:
            return
        path = f"/customers/{self.random.choice(self.customers)}"
        name = f"Client {self.number} renamed {next(self.serial)}"
        status, _ = await self.call("patch", "PATCH", path, {"name": name})
        if status == 200:
            self.tally.acknowledged[(path, "name")] = name

    async def request_bills(self) -> None:
        if self.run is None:
            return
        if self.requested:
            status, run = await self.call("read", "GET", f"/billingRuns/{self.run}")
            if status == 200 and run["status"] == "Complete":
                await self.create_run()
            return
        status, _ = await self.call(
            "bill", "PATCH", f"/billingRuns/{self.run}", {"status": "Requested"}
        )
        if status == 200:
            self.requested = True
            self.tally.bills_requested += 1


async def run_load(base: str, key: str, clients: int, seconds: float) -> dict[str, Any]:
    """Run `clients` clients against `base` for `seconds`; check; the figures."""
    tally = Tally()
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=60)
    headers = {"Authorization": f"Bearer {key}"}
    async with aiohttp.ClientSession(
        headers=headers, connector=connector, timeout=timeout
    ) as session:
        crowd = [Client(n, session, base, tally) for n in range(clients)]
        await asyncio.gather(*(client.setup() for client in crowd))
        tally.latencies.clear()
        tally.statuses.clear()
        tally.by_kind.clear()
        started = time.perf_counter()
        deadline = started + seconds

        async def loop(client: Client) -> None:
            while time.perf_counter() < deadline:
                await client.step()

        await asyncio.gather(*(loop(client) for client in crowd))
        elapsed = time.perf_counter() - started
        lost = await _lost_writes(session, base, tally)
    latencies = sorted(tally.latencies)
    requests = len(latencies)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": requests,
        "throughput": round(requests / elapsed, 1),
        "p50_ms": round(_quantile(latencies, 0.50) * 1000, 1),
        "p99_ms": round(_quantile(latencies, 0.99) * 1000, 1),
        "by_kind": dict(tally.by_kind),
        "statuses": dict(sorted(tally.statuses.items())),
        "server_errors": tally.server_errors,
        "connection_errors": dict(tally.errors),
        "acknowledged_writes_checked": len(tally.acknowledged),
        "lost_writes": lost,
        "lock_checks": tally.lock_checks,
        "lock_violations": len(tally.lock_violations),
        "bills_requested": tally.bills_requested,
    }


async def _lost_writes(session: aiohttp.ClientSession, base: str, tally: Tally) -> list[str]:
    lost: list[str] = []
    gate = asyncio.Semaphore(32)

    async def check(path: str, name: str, value: Any) -> None:
        async with gate, session.get(base + API + path) as response:
            body = await response.json(content_type=None)
        if response.status != 200 or body.get(name) != value:
            lost.append(f"{path} {name}: wrote {value!r}, read {body.get(name)!r}")

    await asyncio.gather(*(check(p, n, v) for (p, n), v in tally.acknowledged.items()))
    return lost


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, int(q * len(values)))]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _serve_and_load(args: argparse.Namespace) -> dict[str, Any]:
    from common import create_database, drop_databases  # run as a script: bench/ is on the path

    name = f"billing_load_{uuid.uuid4().hex[:10]}"
    url = await create_database(args.postgres, name)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port), "LOG_FORMAT": "text"}
    # One key for every client: the per-key rate limit would measure itself, not the server.
    env.setdefault("RATE_LIMIT_PER_SECOND", "0")
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        "serve",
        "--workers",
        str(args.workers),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert server.stdout is not None
        key = None
        async with asyncio.timeout(120):
            while b"Running on" not in (line := await server.stdout.readline()):
                if not line:
                    raise SystemExit("the server exited before listening")
                if line.strip().startswith(b"br_"):
                    key = line.strip().decode()
        assert key is not None, "the server printed no first key"
        drain = asyncio.create_task(server.stdout.read())
        base = f"http://127.0.0.1:{port}"
        await _until_served(base)
        figures = await run_load(base, key, args.clients, args.seconds)
        server.send_signal(signal.SIGTERM)
        figures["server_exit_code"] = await asyncio.wait_for(server.wait(), 60)
        drain.cancel()
        return figures
    finally:
        if server.returncode is None:
            server.kill()
            await server.wait()
        await drop_databases(args.postgres, name)


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args(argv)
    figures = asyncio.run(_serve_and_load(args))
    for name, value in figures.items():
        print(f"{name}: {value}")
    broken = figures["server_errors"] or figures["lost_writes"] or figures["lock_violations"]
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
