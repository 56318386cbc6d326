"""Reading /metrics, running real server processes, and a database that can refuse."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ROOT
from tests.test_cli import _free_port

TIMEOUT = 60
Series = tuple[str, frozenset[tuple[str, str]]]


def parse_metrics(text: str) -> dict[Series, float]:
    """Every sample in a Prometheus text page: (name, labels) -> value."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Mapping[Series, float], metric: str, /, **labels: str) -> float:
    return samples.get((metric, frozenset(labels.items())), 0.0)


@dataclass
class ServerProcess:
    """`python server.py serve` as a real process; its stderr kept line by line."""

    env: dict[str, str]
    port: int = field(default_factory=_free_port)
    stderr: list[str] = field(default_factory=list)
    stdout: list[str] = field(default_factory=list)
    process: asyncio.subprocess.Process | None = None
    _readers: list[asyncio.Task[None]] = field(default_factory=list)
    _grew: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "server.py"),
            "serve",
            env={**os.environ, **self.env, "PORT": str(self.port)},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        listening = asyncio.Event()
        self._readers = [
            asyncio.create_task(self._read(self.process.stdout, self.stdout, listening)),
            asyncio.create_task(self._read(self.process.stderr, self.stderr, None)),
        ]
        async with asyncio.timeout(TIMEOUT):
            waiting = asyncio.create_task(listening.wait())
            exited = asyncio.create_task(self.process.wait())
            await asyncio.wait((waiting, exited), return_when=asyncio.FIRST_COMPLETED)
            exited.cancel()
            assert listening.is_set(), f"the server exited: {self.stdout} {self.stderr}"

    async def stderr_line(self, *parts: str) -> str:
        """Wait (bounded) for a line on stderr holding every one of `parts`."""
        async with asyncio.timeout(TIMEOUT):
            while True:
                for line in self.stderr:
                    if all(part in line for part in parts):
                        return line
                self._grew.clear()
                await self._grew.wait()

    async def _read(
        self,
        stream: asyncio.StreamReader | None,
        into: list[str],
        listening: asyncio.Event | None,
    ) -> None:
        assert stream is not None
        while line := await stream.readline():
            into.append(line.decode())
            self._grew.set()
            if listening is not None and "Running on" in into[-1]:
                listening.set()

    async def stop(self) -> None:
        """Ctrl-C, then wait until it exits and every line it wrote has been read."""
        if self.process is None:
            return
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
        await asyncio.wait_for(self.process.wait(), TIMEOUT)
        await asyncio.wait_for(asyncio.gather(*self._readers), TIMEOUT)

    def json_lines(self) -> list[dict[str, Any]]:
        """Every stderr line, parsed: each must be one JSON object."""
        return [json.loads(line) for line in self.stderr if line.strip()]


@contextlib.asynccontextmanager
async def serving(env: dict[str, str]) -> AsyncIterator[ServerProcess]:
    server = ServerProcess(env)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


class TcpProxy:
    """A TCP relay to a database server that the test can stop (refusing connections and
    dropping those open) and start again on the same port."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = _free_port()
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def running(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._relay, "127.0.0.1", self.port, reuse_address=True
        )

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._pipes):
            task.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def _relay(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_w.transport.abort()
            return
        self._writers |= {client_w, server_w}
        pipes = {
            asyncio.create_task(self._pipe(client_r, server_w)),
            asyncio.create_task(self._pipe(server_r, client_w)),
        }
        self._pipes |= pipes
        try:
            await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in pipes:
                task.cancel()
            for writer in (client_w, server_w):
                writer.transport.abort()
                self._writers.discard(writer)
            self._pipes -= pipes

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
