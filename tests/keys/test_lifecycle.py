"""Revoked and expired keys are refused (also once cached), a key's use costs no query per
request, and when it was last used is written in batches."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from aiohttp.test_utils import TestClient, TestServer

from api.keys import DATABASE
from billing import auth, db
from models import ApiKey
from server import create_app
from tests.keys.helpers import RUNS, new_key, revoke, seconds_until_refused

RUNS_QUERY = "{ billingRuns { totalCount } }"


async def _refusal(api, path: str = RUNS) -> tuple[int, str]:
    response = await api.rest("GET", path)
    return response.status, (await response.json())["error"]["message"]


async def test_a_revoked_key_is_refused_on_rest_and_graphql(api):
    client = await new_key(api)
    await revoke(api, client.key)

    status, message = await _refusal(client)
    response = await client.graphql(RUNS_QUERY)
    body = await response.json()

    assert (status, message) == (401, "the API key has been revoked")
    assert response.status == 401
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"
    assert "data" not in body
    assert (await api.rest("GET", RUNS)).status == 200  # other keys are unaffected


async def test_a_key_revoked_while_in_use_is_refused_within_a_second(api):
    client = await new_key(api)
    assert (await client.rest("GET", RUNS)).status == 200  # now in the process's cache

    await revoke(api, client.key)
    revoked_at = time.monotonic()

    async def request() -> int:
        return (await client.rest("GET", RUNS)).status

    await seconds_until_refused(request, revoked_at)
    assert await _refusal(client) == (401, "the API key has been revoked")


async def test_a_deleted_key_is_refused_within_a_second(api):
    client = await new_key(api)
    assert (await client.rest("GET", RUNS)).status == 200

    with api.database():
        await ApiKey.filter(key_hash=auth.hash_key(client.key)).delete()
    deleted_at = time.monotonic()

    async def request() -> int:
        return (await client.rest("GET", RUNS)).status

    await seconds_until_refused(request, deleted_at)
    assert await _refusal(client) == (401, "the API key is not valid")


async def _expire(api, key: str, when: datetime) -> None:
    with api.database():
        await ApiKey.filter(key_hash=auth.hash_key(key)).update(expires_date=when)


async def test_an_expired_key_is_refused(api):
    client = await new_key(api)
    await _expire(api, client.key, datetime.now(UTC) - timedelta(seconds=1))

    assert await _refusal(client) == (401, "the API key has expired")


async def test_a_key_in_use_is_refused_once_it_expires(api):
    client = await new_key(api)
    await _expire(api, client.key, datetime.now(UTC) + timedelta(seconds=0.5))
    assert (await client.rest("GET", RUNS)).status == 200  # cached, with its expiry

    async with asyncio.timeout(30):  # a guard: the key expires half a second from now
        while True:
            if (await client.rest("GET", RUNS)).status != 200:
                break
            await asyncio.sleep(0.05)

    assert await _refusal(client) == (401, "the API key has expired")


async def test_a_key_created_with_an_expiry_works_until_then(api):
    client = await new_key(api, expires_in_days=30)

    assert (await client.rest("GET", RUNS)).status == 200
    with api.database():
        keys = await auth.list_api_keys()
    (stored,) = [key for key in keys if key.prefix == auth.key_prefix(client.key)]
    assert stored.expires_date is not None
    assert timedelta(days=29) < stored.expires_date - datetime.now(UTC) <= timedelta(days=30)


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sql: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.sql.append(record.getMessage())


@contextmanager
def key_table_statements() -> Iterator[list[str]]:
    """The SQL statements touching api_key inside the block, as Tortoise logs them."""
    logger = logging.getLogger("tortoise.db_client")
    handler = _Statements()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    found: list[str] = []
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        found.extend(sql for sql in handler.sql if "api_key" in sql)


async def test_requests_with_a_key_in_use_cost_no_query_each(api):
    assert (await api.rest("GET", RUNS)).status == 200  # the key is cached
    requests = 200

    started = time.monotonic()
    with key_table_statements() as statements:
        for _ in range(requests):
            assert (await api.rest("GET", RUNS)).status == 200
    elapsed = time.monotonic() - started

    # At most one watermark read a second (and one last-used write a minute).
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    writes = [sql for sql in statements if sql.lstrip().upper().startswith("UPDATE")]
    assert len(reads) <= 1 + elapsed, (elapsed, statements)
    assert len(writes) <= 1 + elapsed / 60, statements
    assert len(reads) + len(writes) < requests / 10


async def test_last_used_is_written_once_for_many_requests_and_on_shutdown(settings):
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        with app[DATABASE]:
            key = await auth.create_api_key("busy")
        headers = {"Authorization": f"Bearer {key}"}
        before = datetime.now(UTC)
        with key_table_statements() as statements:
            for _ in range(50):
                assert (await client.get("/backend/api/v1" + RUNS, headers=headers)).status == 200
    # The client is closed: the server has stopped and written what it remembered.
    ctx = await db.open_database(settings.database_url)
    try:
        with ctx:
            (stored,) = await auth.list_api_keys()
    finally:
        with ctx:
            await ctx.close_connections()

    assert stored.last_used_date is not None and stored.last_used_date >= before
    assert len([sql for sql in statements if "UPDATE" in sql.upper()]) <= 1, statements


async def test_a_key_is_checked_with_no_query_after_the_first_request(api):
    client = await new_key(api)
    with key_table_statements() as first:
        assert (await client.rest("GET", RUNS)).status == 200
    with key_table_statements() as second:
        assert (await client.rest("GET", RUNS)).status == 200

    assert any("key_hash" in sql for sql in first), first
    assert not any("key_hash" in sql for sql in second), second


async def test_an_open_websocket_runs_nothing_more_once_its_key_is_revoked(api):
    client = await new_key(api)
    ws = await api.client.ws_connect("/graphql", protocols=["graphql-transport-ws"])
    await ws.send_json({"type": "connection_init", "payload": client.auth})
    assert (await asyncio.wait_for(ws.receive_json(), 10))["type"] == "connection_ack"
    operations = iter(range(1_000_000))

    async def request() -> int:
        ident = str(next(operations))
        await ws.send_json({"id": ident, "type": "subscribe", "payload": {"query": RUNS_QUERY}})
        answer = await asyncio.wait_for(ws.receive_json(), 10)
        assert answer["id"] == ident, answer
        if answer["type"] == "error":  # refused before it ran: no "complete" follows
            (error,) = answer["payload"]
            assert error == {
                "message": "the API key has been revoked",
                "extensions": {"code": "UNAUTHORIZED"},
            }
            return 401
        await asyncio.wait_for(ws.receive_json(), 10)  # its "complete"
        return 200

    assert await request() == 200
    await revoke(api, client.key)
    await seconds_until_refused(request, time.monotonic())
    await ws.close()
