"""`python server.py` as a real process, with its output read as it comes.

A busy server logs a line per request: unread, its pipe would fill and stall the server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

from tests.conftest import ROOT
from tests.test_cli import _free_port

#: A failure guard for starting, stopping and waiting for a log line.
GUARD_SECONDS = 60


class ServerProcess:
    def __init__(self, database_url: str, **env: str) -> None:
        self.port = _free_port()
        self.env = {**os.environ, "DATABASE_URL": database_url, "PORT": str(self.port), **env}
        self.lines: list[str] = []
        self._new_line = asyncio.Event()
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def log(self) -> str:
        return "".join(self.lines)

    def count(self, text: str) -> int:
        return sum(text in line for line in self.lines)

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "server.py"),
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._read())
        await self.wait_for("Running on")

    async def wait_for(self, text: str, times: int = 1) -> None:
        """Until `text` has been logged `times` times (a failure guard bounds it)."""
        async with asyncio.timeout(GUARD_SECONDS):
            while True:
                self._new_line.clear()
                if self.count(text) >= times:
                    return
                assert self._reader is not None
                if self._reader.done():
                    raise AssertionError(f"the server exited; {text!r} not seen:\n{self.log}")
                await self._new_line.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
            await asyncio.wait_for(self.process.wait(), GUARD_SECONDS)
        if self._reader is not None:
            await self._reader

    async def __aenter__(self) -> ServerProcess:
        await self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        try:
            async for raw in self.process.stdout:
                self.lines.append(raw.decode(errors="replace"))
                self._new_line.set()
        finally:
            self._new_line.set()
