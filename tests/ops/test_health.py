"""GET /livez and /healthz: no key, and /healthz follows the database."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer

from billing.settings import Settings
from server import create_app
from tests.ops.helpers import TcpProxy


async def test_livez_is_200_without_a_key(api):
    response = await api.client.get("/livez")

    assert response.status == 200


async def test_healthz_is_200_ok_without_a_key_while_the_database_answers(api):
    response = await api.client.get("/healthz")

    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_health_endpoints_refuse_other_methods(api):
    response = await api.client.post("/healthz")

    assert response.status == 405


async def test_healthz_is_503_while_postgres_refuses_connections_and_200_after(
    database_kind, database_url
):
    if database_kind != "postgres":
        pytest.skip(
            "SQLite is a file opened inside the process: SELECT 1 answers whenever the "
            "process runs, so there is no outage to show"
        )
    parts = urlsplit(database_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.start()
    login = (parts.username or "") + (f":{parts.password}" if parts.password else "")
    netloc = f"{login}@127.0.0.1:{proxy.port}" if login else f"127.0.0.1:{proxy.port}"
    through_proxy = parts._replace(netloc=netloc).geturl()
    app = create_app(Settings(database_url=through_proxy, run_engine=False))
    try:
        async with TestClient(TestServer(app)) as client:
            before = await client.get("/healthz")
            assert before.status == 200, await before.text()

            await proxy.stop()
            during = await client.get("/healthz")
            body = await during.json()
            assert during.status == 503
            assert body["status"] == "unavailable" and body["reason"], body
            assert (await client.get("/livez")).status == 200  # the process still serves

            await proxy.start()
            after = await client.get("/healthz")
            assert after.status == 200, await after.text()
            assert await after.json() == {"status": "ok"}
    finally:
        if proxy.running:
            await proxy.stop()
