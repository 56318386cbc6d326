"""REQUEST_TIMEOUT_SECONDS: a request held up past it is cancelled and answered 503
TIMEOUT, logs one line, and leaves nothing half-written; websockets are not cut.

What holds a request up is another transaction on the database: on SQLite one holding
the app's only connection, on PostgreSQL one holding a row lock the request's write
needs. The timeout itself is the only clock: nothing here measures time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import asyncpg
import pytest
from tortoise.transactions import in_transaction

from billing import runs
from billing.settings import Settings
from models import Call, Customer
from tests.billing.builders import customer

TIMEOUT = 1.0
#: A failure guard only: a held request is answered once TIMEOUT has passed.
GUARD_SECONDS = 60
RENAME = """
mutation ($id: ID!) {
  updateBillingRun(id: $id, input: {name: "After"}) { billingRun { name } userErrors { code } }
}
"""


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, run_engine=False, request_timeout_seconds=TIMEOUT)


@asynccontextmanager
async def held(api, database_url: str, table: str, row_id: int) -> AsyncIterator[None]:
    """Another transaction holds the row (on SQLite, the whole database) until the end."""
    if database_url.startswith("sqlite"):
        with api.database():
            async with in_transaction():
                yield
        return
    conn = await asyncpg.connect(urlsplit(database_url)._replace(scheme="postgresql").geturl())
    try:
        async with conn.transaction():
            await conn.execute(f"SELECT id FROM {table} WHERE id = $1 FOR UPDATE", row_id)
            yield
    finally:
        await conn.close()


@pytest.fixture
async def run_id(api) -> int:
    with api.database():
        return (await runs.create_run({"name": "Before"})).id


def timeout_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "cancelled after" in r.getMessage()]


async def test_a_rest_write_held_past_the_timeout_is_a_503_and_changes_nothing(
    api, database_url, run_id, caplog
):
    await api.rest_json("GET", f"/billingRuns/{run_id}")  # the key is known before the hold
    caplog.set_level(logging.WARNING, logger="billing.api")

    async with asyncio.timeout(GUARD_SECONDS), held(api, database_url, "billing_run", run_id):
        response = await api.rest("PATCH", f"/billingRuns/{run_id}", json={"name": "After"})
        body = await response.json()

    assert response.status == 503 and response.headers["Retry-After"] == "1"
    assert body == {
        "error": {
            "code": "TIMEOUT",
            "message": "the request took longer than 1 s and was cancelled; "
            "a write it had not finished was rolled back",
        }
    }
    assert response.headers["X-Request-Id"]
    assert (await api.rest_json("GET", f"/billingRuns/{run_id}"))["name"] == "Before"
    [line] = timeout_lines(caplog)
    assert f"PATCH /backend/api/v1/billingRuns/{run_id}" in line
    assert response.headers["X-Request-Id"] in line
    # The server is whole again: the same write now goes through.
    renamed = await api.rest_json("PATCH", f"/billingRuns/{run_id}", json={"name": "After"})
    assert renamed["name"] == "After"


async def test_a_graphql_mutation_held_past_the_timeout_is_a_503_in_the_graphql_shape(
    api, database_url, run_id, caplog
):
    await api.gql("{ __typename }")
    caplog.set_level(logging.WARNING, logger="billing.api")

    async with asyncio.timeout(GUARD_SECONDS), held(api, database_url, "billing_run", run_id):
        response = await api.graphql(RENAME, {"id": str(run_id)})
        body = await response.json()

    assert response.status == 503 and response.headers["Retry-After"] == "1"
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "TIMEOUT"
    assert error["extensions"]["requestId"] == response.headers["X-Request-Id"]
    assert len(timeout_lines(caplog)) == 1
    run = await api.gql("query ($id: ID!) { billingRun(id: $id) { name } }", {"id": str(run_id)})
    assert run == {"billingRun": {"name": "Before"}}


async def test_a_batch_cancelled_between_its_inserts_leaves_none_of_them(api, database_url):
    if not database_url.startswith("postgres"):
        pytest.skip("a row lock that stops a transaction half-way needs PostgreSQL")
    with api.database():
        first, second = await customer(), await customer()
    # 1000 calls go in one INSERT; the 1001st, for the held customer, waits in a second.
    calls = [_call(first.id)] * 1000 + [_call(second.id)]

    async with asyncio.timeout(GUARD_SECONDS), held(api, database_url, "customer", second.id):
        response = await api.rest("POST", "/calls/", json=calls)

    assert response.status == 503 and response.headers["Retry-After"] == "1"
    assert (await response.json())["error"]["code"] == "TIMEOUT"
    with api.database():
        assert await Call.all().count() == 0
    await api.rest_json("POST", "/calls/", status=201, json=calls)
    with api.database():
        assert await Call.filter(customer_id=first.id).count() == 1000
        assert await Customer.all().count() == 2


def _call(customer_id: int) -> dict[str, object]:
    return {
        "customerId": str(customer_id),
        "startTime": "2026-11-20T09:15:00Z",
        "duration": 60,
        "numberDialled": "01632960123",
        "charge": 0.1,
    }


async def test_a_subscription_outlives_the_request_timeout(api, run_id):
    ws = await api.client.ws_connect("/graphql", protocols=["graphql-transport-ws"])
    await ws.send_json(
        {"type": "connection_init", "payload": {"Authorization": f"Bearer {api.key}"}}
    )
    async with asyncio.timeout(GUARD_SECONDS):
        assert (await ws.receive_json())["type"] == "connection_ack"
        await ws.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {
                    "query": "subscription ($id: ID!) { billingRunProgress(id: $id) { name } }",
                    "variables": {"id": str(run_id)},
                },
            }
        )
        first = await ws.receive_json()
        await asyncio.sleep(TIMEOUT * 1.5)  # longer than any plain request may run
        await api.gql(RENAME, {"id": str(run_id)})
        second = await ws.receive_json()
    await ws.close()

    assert first["payload"]["data"]["billingRunProgress"]["name"] == "Before"
    assert second["payload"]["data"]["billingRunProgress"]["name"] == "After"
