"""The command line, run as a user runs it: real processes, real ports."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
import pytest

from tests.conftest import ROOT
from tests.conftest import run_server as _run

SERVER = str(ROOT / "server.py")
TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Running:
    port: int
    output: list[str]
    process: asyncio.subprocess.Process


@asynccontextmanager
async def _serving(database_url: str) -> AsyncIterator[Running]:
    """Start `python server.py`; yield once it listens; stop it with Ctrl-C."""
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        SERVER,
        env={**os.environ, "DATABASE_URL": database_url, "PORT": str(port)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    lines: list[str] = []
    try:
        async with asyncio.timeout(TIMEOUT):
            while not any("Running on" in line for line in lines):
                line = await process.stdout.readline()
                assert line, f"the server exited before listening: {lines}"
                lines.append(line.decode())
        yield Running(port, lines, process)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            await asyncio.wait_for(process.wait(), timeout=TIMEOUT)


async def _list_runs(port: int, key: str) -> int:
    async with aiohttp.ClientSession() as session:
        response = await session.get(
            f"http://127.0.0.1:{port}/backend/api/v1/billingRuns/",
            headers={"Authorization": f"Bearer {key}"},
        )
        return response.status


async def test_create_api_key_prints_a_key_that_opens_the_api(database_url):
    code, out, err = await _run("create-api-key", "reporting", env={"DATABASE_URL": database_url})

    assert code == 0, err
    key = out.strip().splitlines()[-1]
    async with _serving(database_url) as server:
        assert await _list_runs(server.port, key) == 200
        assert await _list_runs(server.port, key + "x") == 401


async def test_first_start_prints_a_new_key_once(database_url):
    async with _serving(database_url) as first:
        key_lines = [line.strip() for line in first.output if line.strip().startswith("br_")]
        assert len(key_lines) == 1, first.output
        assert await _list_runs(first.port, key_lines[0]) == 200
    async with _serving(database_url) as second:
        assert not any(line.strip().startswith("br_") for line in second.output)


@pytest.mark.parametrize(
    ("database_url", "says"),
    [
        ("mysql://root@localhost/billing", "is not supported"),
        ("postgres://", "needs a host and a database name"),
        ("sqlite:///no/such/folder/billing.sqlite3", "does not exist"),
    ],
)
async def test_a_bad_database_url_is_a_clear_error(database_url, says):
    code, _, err = await _run("migrate", env={"DATABASE_URL": database_url})

    assert code == 2
    assert says in err
    assert "Traceback" not in err


async def test_an_unreachable_postgres_server_is_a_clear_error():
    port = _free_port()  # nothing listens there
    url = f"postgres://postgres@127.0.0.1:{port}/billing"

    code, _, err = await _run("migrate", env={"DATABASE_URL": url})

    assert code == 2
    assert "cannot use the database" in err and "Traceback" not in err


async def test_a_busy_port_is_a_clear_error(database_url):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = await _run(env={"DATABASE_URL": database_url, "PORT": str(port)})

    assert code == 2
    assert f"port {port}" in err and "already in use" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "command",
    [[], ["serve"], ["migrate"], ["create-api-key"], ["export-schema"], ["make-migrations"]],
)
async def test_every_command_has_help(command):
    code, out, _ = await _run(*command, "--help", env={})

    assert code == 0
    assert "usage: server.py" in out


async def test_export_schema_writes_the_committed_schema(tmp_path):
    target = tmp_path / "schema.graphql"

    code, _, err = await _run("export-schema", str(target), env={})

    assert code == 0, err
    assert target.read_text() == (ROOT / "schema.graphql").read_text()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
async def test_the_server_stops_cleanly_on_ctrl_c_and_on_sigterm(database_url, stop):
    async with _serving(database_url) as server:
        async with aiohttp.ClientSession() as session:  # a keep-alive connection stays open
            await session.get(f"http://127.0.0.1:{server.port}/backend/api/v1/billingRuns/")
            server.process.send_signal(stop)
            code = await asyncio.wait_for(server.process.wait(), timeout=30)

    assert code == 0


async def _raw_request(port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer


async def test_a_malformed_request_is_a_400_logged_without_a_traceback(database_url):
    nul_header = b"GET /backend/api/v1/billingRuns/ HTTP/1.1\r\nHost: x\r\nX-Note: a\x00b\r\n\r\n"
    async with _serving(database_url) as server:
        answer = await _raw_request(server.port, nul_header)
        server.process.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(server.process.stdout.read(), timeout=TIMEOUT)
        await server.process.wait()
    log = "".join(server.output) + rest.decode()

    assert answer.startswith(b"HTTP/1.") and b" 400 " in answer.split(b"\r\n")[0]
    assert "Malformed request" in log, log
    assert "Traceback" not in log and " ERROR " not in log, log


async def test_serve_migrates_once(database_url):
    async with _serving(database_url) as server:
        server.process.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(server.process.stdout.read(), timeout=TIMEOUT)
        await server.process.wait()
    log = "".join(server.output) + rest.decode()

    assert log.count("migrations applied") == 1, log
