"""Structured logs: a real server with LOG_FORMAT=json writes one JSON object per line."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from datetime import UTC, datetime

import aiohttp
import pytest

from billing import auth, db
from billing.observe import Every
from cli import logs
from tests.billing.builders import call, customer
from tests.conftest import API
from tests.ops.helpers import TIMEOUT, serving
from tests.test_cli import _run

CUSTOMERS = 5


async def _prepare(database_url: str) -> str:
    """Customers with calls to bill, and a key named `log-reader`; the key."""
    ctx = await db.open_database(database_url)
    with ctx:
        for _ in range(CUSTOMERS):
            await call(await customer(), datetime(2026, 11, 2, tzinfo=UTC), "2.50")
        key = await auth.create_api_key("log-reader")
        await ctx.close_connections()
    return key


async def _bill_a_run(session: aiohttp.ClientSession, base: str) -> int:
    async with session.post(
        f"{base}{API}/billingRuns/",
        json={"name": "Logged", "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01"},
    ) as response:
        assert response.status == 201, await response.text()
        run_id = (await response.json())["id"]
    url = f"{base}{API}/billingRuns/{run_id}"
    async with session.patch(url, json={"status": "Requested"}) as response:
        assert response.status == 200, await response.text()
    async with asyncio.timeout(TIMEOUT):
        while True:
            async with session.get(url) as response:
                if (await response.json())["status"] == "Complete":
                    return int(run_id)
            await asyncio.sleep(0.05)


async def test_json_request_lines_carry_the_fields_and_the_key_name_never_the_key(database_url):
    key = await _prepare(database_url)
    headers = {"Authorization": f"Bearer {key}"}
    env = {"DATABASE_URL": database_url, "LOG_FORMAT": "json", "BILLING_CHUNK_SIZE": "2"}
    async with serving(env) as server, aiohttp.ClientSession(headers=headers) as session:
        async with session.get(
            f"{server.base}{API}/billingRuns/", headers={"X-Request-Id": "trace-me-1"}
        ) as response:
            assert response.status == 200
        async with session.get(f"{server.base}/livez", headers={"Authorization": ""}):
            pass
        run_id = await _bill_a_run(session, server.base)

    lines = server.json_lines()  # every line parses as JSON
    assert all({"time", "level", "message", "logger"} <= line.keys() for line in lines)
    assert not any(key in text for text in server.stderr)
    traced = [line for line in lines if line.get("request_id") == "trace-me-1"]
    assert len(traced) == 1, traced  # one line per request: aiohttp's access log is off
    (request,) = traced
    assert request["logger"] == "billing.access" and request["level"] == "INFO"
    assert request["method"] == "GET"
    assert request["route"] == f"{API}/billingRuns/"
    assert request["status"] == 200
    assert isinstance(request["duration_ms"], int | float) and request["duration_ms"] >= 0
    assert request["key_name"] == "log-reader"
    datetime.fromisoformat(request["time"])
    livez = [line for line in lines if line.get("route") == "/livez"]
    assert [line["key_name"] for line in livez] == [None]
    run_lines = [line for line in lines if line.get("route") == f"{API}/billingRuns/{{id}}"]
    # The PATCH and the polling GETs of one run: logged under the route's pattern.
    assert {line["method"] for line in run_lines} == {"GET", "PATCH"}
    assert all(f"/billingRuns/{run_id}" in line["message"] for line in run_lines)


async def test_the_engine_logs_a_runs_start_and_its_end_with_counts_and_duration(database_url):
    key = await _prepare(database_url)
    env = {"DATABASE_URL": database_url, "LOG_FORMAT": "json", "BILLING_CHUNK_SIZE": "2"}
    headers = {"Authorization": f"Bearer {key}"}
    async with serving(env) as server, aiohttp.ClientSession(headers=headers) as session:
        run_id = await _bill_a_run(session, server.base)
        # The run reads Complete once committed; its end line follows in the engine.
        await server.stderr_line('"billing.engine"', f"billing run {run_id} complete")

    engine = [line for line in server.json_lines() if line["logger"] == "billing.engine"]
    started = [line for line in engine if "started" in line["message"]]
    ended = [line for line in engine if "complete" in line["message"]]
    assert [line["run_id"] for line in started] == [run_id]
    assert len(ended) == 1, engine
    (end,) = ended
    assert end["run_id"] == run_id
    assert end["customers"] == CUSTOMERS
    assert end["invoices_produced"] == CUSTOMERS and end["invoices_not_produced"] == 0
    assert end["invoice_amount"] == "12.50"
    assert end["duration_seconds"] >= 0


async def test_an_unknown_log_format_is_refused_at_start(database_url):
    code, _, err = await _run("serve", env={"DATABASE_URL": database_url, "LOG_FORMAT": "xml"})

    assert code == 2
    assert "LOG_FORMAT='xml'" in err and "json or text" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("setting", "stream", "expected"),
    [(None, io.StringIO, "json"), (None, _Terminal, "text"), ("text", io.StringIO, "text")],
)
def test_the_format_defaults_to_json_off_a_terminal_and_text_on_one(setting, stream, expected):
    out = stream()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        assert logs.install(setting, stream=out) == expected
        logging.getLogger("billing.test").info("hello %s", "there", extra={"run_id": 7})
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    line = out.getvalue().strip()
    if expected == "json":
        assert json.loads(line) | {"time": "t"} == {
            "time": "t",
            "level": "INFO",
            "message": "hello there",
            "logger": "billing.test",
            "run_id": 7,
        }
    else:
        assert line.endswith("INFO billing.test hello there")


def test_progress_is_rate_limited_to_once_per_interval():
    now = [100.0]
    every = Every(5.0, clock=lambda: now[0])
    said = []
    for step in range(40):  # 20 s in quarter seconds
        now[0] = 100.0 + step * 0.5
        said.append(every.due())

    assert said.count(True) == 3  # at 5, 10 and 15 s; a chunk each 0.5 s is not a line each
