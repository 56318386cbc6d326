"""Real server processes on one database, and a run for them to bill."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from billing import db, runs
from models import Call, Customer
from tests.conftest import ROOT
from tests.test_cli import _free_port

NOW = datetime(2026, 11, 20, tzinfo=UTC)


async def billable_run(url: str, customers: int, calls_each: int = 2) -> int:
    """`customers` customers with a few calls each (every ninth has none), and a Pending
    run over them; the run's id. The same data on any fresh database."""
    ctx = await db.open_database(url)
    with ctx:
        await Customer.bulk_create(
            Customer(
                account_number=f"W{i:05d}",
                name=f"Customer {i}",
                low_value_policy=("NONE", "SKIP", "PAD", "FEE")[i % 4],
                minimum_amount=50_000 * (i % 3),
                low_usage_fee=12_500,
                created_date=NOW,
                updated_date=NOW,
            )
            for i in range(customers)
        )
        ids = [c.id for c in await Customer.all().order_by("id")]
        await Call.bulk_create(
            (
                Call(
                    customer_id=cid,
                    start_time=NOW - timedelta(days=n, seconds=i),
                    duration=30 + n,
                    number_dialled="0123",
                    charge=(i * 37 + n * 1013) % 9_000,
                    created_date=NOW,
                    updated_date=NOW,
                )
                for i, cid in enumerate(ids)
                if i % 9
                for n in range(calls_each)
            ),
            batch_size=5_000,
        )
        run = await runs.create_run(
            {"name": "Shared", "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01"}
        )
        await ctx.close_connections()
    return run.id


class ServerProcess:
    """`python server.py serve ...` as a real process; its output kept, line by line."""

    def __init__(self, url: str, *args: str, **env: str) -> None:
        self.url, self.args, self.env = url, args, env
        self.port = _free_port()
        self.lines: list[str] = []
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._news = asyncio.Event()

    async def start(self) -> None:
        env = {**os.environ, "DATABASE_URL": self.url, "PORT": str(self.port), **self.env}
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "server.py"),
            "serve",
            *self.args,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())
        try:
            await self.wait_for_line("Running on")
        except BaseException:
            self.process.kill()  # no server left behind by a failed start
            await self.process.wait()
            raise

    async def _read(self) -> None:
        assert self.process and self.process.stdout
        while line := await self.process.stdout.readline():
            self.lines.append(line.decode(errors="replace").rstrip())
            self._news.set()
        self._news.set()

    async def wait_for_line(self, text: str) -> str:
        """The first output line containing `text` (bounded: a failure guard)."""
        async with asyncio.timeout(60):
            while True:
                self._news.clear()
                for line in self.lines:
                    if text in line:
                        return line
                assert self.process is not None
                if self.process.returncode is not None or (
                    self._reader is not None and self._reader.done()
                ):
                    raise AssertionError(f"the server exited; its output:\n{self.output}")
                await self._news.wait()

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def children(self) -> list[int]:
        """The PIDs of this process's children (Linux)."""
        assert self.process is not None
        pid = self.process.pid
        raw = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(child) for child in raw.split()]

    def signal(self, number: int) -> None:
        assert self.process is not None
        self.process.send_signal(number)

    async def wait(self) -> int:
        assert self.process is not None
        code = await asyncio.wait_for(self.process.wait(), 60)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, 10)
        return code

    async def stop(self) -> None:
        if self.process and self.process.returncode is None:
            self.signal(signal.SIGTERM)
            await self.wait()


def alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def chunks_billed(server: ServerProcess, run_id: int) -> int:
    """What the engine logged: chunks of the run this process billed."""
    total = 0
    for line in server.lines:
        marker = f"billing run {run_id}: this process billed "
        if marker in line:
            total += int(line.split(marker, 1)[1].split()[0])
    return total
