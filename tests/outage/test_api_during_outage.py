"""What a client sees while the database cannot be reached: the real app, a real outage.

The app reaches PostgreSQL through a proxy the test cuts (refusing new connections and
dropping open ones) and restores.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from api.keys import AVAILABILITY
from billing import auth
from billing.settings import Settings
from tests.outage.proxy import TcpProxy
from tests.rest.helpers import RUNS, create_run

MESSAGE = "the database is unavailable; retry shortly"
RUNS_QUERY = "query { billingRuns(first: 5) { totalCount nodes { id name } } }"
CREATE_RUN = """
mutation { createBillingRun(input: {name: "During the outage"}) { billingRun { id } } }
"""
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture
def settings(database_url: str, proxy: TcpProxy) -> Settings:
    return Settings(database_url=proxy.url(database_url), run_engine=False)


async def _outage(api: Any, proxy: TcpProxy) -> None:
    """Cut the database off, once the test's key is known (so requests reach handlers)."""
    await api.rest_json("GET", RUNS)
    await proxy.cut()


def _assert_unavailable(response: Any, body: Any) -> None:
    assert response.status == 503, body
    assert response.headers["Retry-After"] == "1"
    assert response.headers["X-Request-Id"]


async def test_rest_reads_and_writes_are_503_unavailable_with_retry_after(api, proxy):
    await _outage(api, proxy)

    for method, kwargs in (("GET", {}), ("POST", {"json": {"name": "During the outage"}})):
        response = await api.rest(method, RUNS, **kwargs)
        body = await response.json()
        _assert_unavailable(response, body)
        assert body == {"error": {"code": "UNAVAILABLE", "message": MESSAGE}}

    await proxy.restore()
    assert await api.rest_json("GET", RUNS) == []


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
@pytest.mark.parametrize("operation", [RUNS_QUERY, CREATE_RUN])
async def test_graphql_is_503_in_the_graphql_error_shape(api, proxy, accept, operation):
    await _outage(api, proxy)

    response = await api.graphql(operation, headers={"Accept": accept})
    body = await response.json(content_type=None)

    _assert_unavailable(response, body)
    assert response.content_type == accept
    assert "data" not in body, body
    unavailable = {"code": "UNAVAILABLE", "requestId": response.headers["X-Request-Id"]}
    assert body["errors"], body
    assert all(e["message"] == MESSAGE and e["extensions"] == unavailable for e in body["errors"])
    await proxy.restore()
    assert (await api.gql(RUNS_QUERY))["billingRuns"]["totalCount"] == 0


async def test_a_key_that_cannot_be_checked_is_503_not_401(api, proxy):
    with api.database():
        fresh_key = await auth.create_api_key("never used before the outage")
    await _outage(api, proxy)
    headers = {"Authorization": f"Bearer {fresh_key}"}

    rest = await api.client.get(f"/backend/api/v1{RUNS}", headers=headers)
    graphql = await api.client.post("/graphql", json={"query": RUNS_QUERY}, headers=headers)

    _assert_unavailable(rest, await rest.json())
    assert (await rest.json())["error"]["code"] == "UNAVAILABLE"
    _assert_unavailable(graphql, await graphql.json())
    assert (await graphql.json())["errors"][0]["extensions"]["code"] == "UNAVAILABLE"


async def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(api, proxy, caplog):
    caplog.set_level(logging.INFO)
    await _outage(api, proxy)

    for _ in range(5):
        assert (await api.rest("GET", RUNS)).status == 503
        assert (await api.graphql(RUNS_QUERY)).status == 503
    await proxy.restore()
    await api.rest_json("GET", RUNS)
    await api.client.app[AVAILABILITY].wait_until_back(30)

    messages = [(r.levelname, r.getMessage()) for r in caplog.records if r.name != "aiohttp.access"]
    outage = [m for m in messages if "database" in m[1] and "migrations" not in m[1]]
    assert len(outage) == 2, messages
    assert outage[0][0] == "WARNING" and outage[0][1].startswith("database unavailable: ")
    assert outage[1][0] == "INFO" and outage[1][1].startswith("database available again after ")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_the_app_serves_again_as_soon_as_the_database_is_back(api, proxy):
    await _outage(api, proxy)
    assert (await api.rest("GET", RUNS)).status == 503

    await proxy.restore()

    run = await create_run(api, "After the outage")
    assert [r["id"] for r in await api.rest_json("GET", RUNS)] == [run["id"]]
    assert (await api.gql(RUNS_QUERY))["billingRuns"]["nodes"] == [
        {"id": str(run["id"]), "name": "After the outage"}
    ]


# --- subscriptions ------------------------------------------------------------------

PROTOCOL = "graphql-transport-ws"
PROGRESS = "subscription ($id: ID!) { billingRunProgress(id: $id) { id name status } }"


async def _receive(ws: Any) -> dict[str, Any]:
    return await asyncio.wait_for(ws.receive_json(), timeout=30)


async def _subscribed(api: Any, run_id: int) -> Any:
    ws = await api.client.ws_connect("/graphql", protocols=[PROTOCOL])
    await ws.send_json(
        {"type": "connection_init", "payload": {"Authorization": api.auth["Authorization"]}}
    )
    assert (await _receive(ws))["type"] == "connection_ack"
    await ws.send_json(
        {
            "id": "1",
            "type": "subscribe",
            "payload": {"query": PROGRESS, "variables": {"id": str(run_id)}},
        }
    )
    return ws


async def test_a_subscription_pauses_through_an_outage_and_goes_on_after_it(api, proxy):
    run = await create_run(api, "Followed")
    ws = await _subscribed(api, run["id"])
    first = await _receive(ws)
    assert first["payload"]["data"]["billingRunProgress"]["name"] == "Followed"

    await proxy.cut()
    availability = api.client.app[AVAILABILITY]
    await availability.wait_until_lost(30)  # the subscription's poll has met the outage
    assert availability.down
    await proxy.restore()
    await api.rest_json("PATCH", f"{RUNS}{run['id']}", json={"name": "Renamed after"})

    update = await _receive(ws)
    assert update["type"] == "next", update
    update["payload"].pop("extensions", None)  # the cost, checked elsewhere
    assert update["payload"] == {
        "data": {
            "billingRunProgress": {
                "id": str(run["id"]),
                "name": "Renamed after",
                "status": "Pending",
            }
        }
    }
    await ws.close()


async def test_a_subscription_asked_for_during_an_outage_ends_with_unavailable(api, proxy):
    run = await create_run(api, "Followed")
    await _outage(api, proxy)

    ws = await _subscribed(api, run["id"])
    message = await _receive(ws)
    message["payload"].pop("extensions", None)  # the cost, checked elsewhere

    assert message == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": None,
            "errors": [{"message": MESSAGE, "extensions": {"code": "UNAVAILABLE"}}],
        },
    }
    assert await _receive(ws) == {"id": "1", "type": "complete"}
    await ws.close()


async def test_a_websocket_whose_key_cannot_be_checked_is_closed_try_again_later(api, proxy):
    with api.database():
        fresh_key = await auth.create_api_key("never used before the outage")
    await _outage(api, proxy)

    ws = await api.client.ws_connect("/graphql", protocols=[PROTOCOL])
    await ws.send_json(
        {"type": "connection_init", "payload": {"Authorization": f"Bearer {fresh_key}"}}
    )
    closing = await asyncio.wait_for(ws.receive(), timeout=30)

    assert ws.close_code == 1013, closing
