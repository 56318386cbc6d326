"""A read-only key reads everything and writes nothing: every REST write route and every
GraphQL mutation is 403 FORBIDDEN and changes nothing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.conftest import API, Api
from tests.keys.helpers import RUNS, new_key
from tests.rest.billing_data import (
    CALLS,
    CUSTOMERS,
    TRANSACTIONS,
    call_fields,
    create_customer,
    create_transaction,
    transaction_fields,
)
from tests.rest.helpers import add_preset, create_run

WRITES = ("POST", "PATCH", "PUT", "DELETE")
CREATE_RUN = 'mutation { createBillingRun(input: {name: "Sneaky"}) { billingRun { id } } }'
RUNS_QUERY = "{ billingRuns { totalCount nodes { id name } } }"
LISTS = (RUNS, CUSTOMERS, CALLS, TRANSACTIONS, "/invoices/")


async def _everything(api: Api) -> dict[str, Any]:
    """Every collection as the full key reads it."""
    return {path: await api.rest_json("GET", path) for path in LISTS}


async def _examples(api: Api) -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    """For each REST collection: an existing id, a body to create one, a change to it."""
    await add_preset(api, "transactionType", "Rental")
    run = await create_run(api)
    customer = await create_customer(api)
    transaction = await create_transaction(api, customer)
    renamed = {"name": "Renamed"}
    return {
        "billingRuns": (run["id"], {"name": "New"}, renamed),
        "customers": (customer["id"], {"accountNumber": "NEW1", "name": "New"}, renamed),
        "calls": ("", call_fields(customer), {}),
        "transactions": (transaction["id"], transaction_fields(customer), {"amount": "9.00"}),
    }


async def _write(client: Api, method: str, pattern: str, examples: dict) -> Any:
    ident, create, change = examples[_collection(pattern)]
    body = {"POST": create, "DELETE": None}.get(method, change)
    return await client.rest(method, pattern.replace("{id}", ident), json=body)


def _write_routes(api: Api) -> list[tuple[str, str]]:
    """Every (method, path pattern) of the REST shim that writes."""
    found = set()
    for route in api.client.app.router.routes():
        pattern = route.resource.canonical if route.resource else ""
        if route.method in WRITES and pattern.startswith(API) and not pattern.endswith("/"):
            found.add((route.method, pattern.removeprefix(API)))
    return sorted(found, key=lambda item: (item[0] == "DELETE", item))


def _collection(pattern: str) -> str:
    return pattern.strip("/").split("/")[0]


async def test_a_read_only_key_reads_rest_and_graphql(api):
    await create_run(api, "Visible")
    reader = await new_key(api, "dashboard", read_only=True)

    runs = await reader.rest_json("GET", RUNS)
    one = await reader.rest_json("GET", f"{RUNS}{runs[0]['id']}")
    data = await reader.gql(RUNS_QUERY)

    assert [run["name"] for run in runs] == ["Visible"] and one["name"] == "Visible"
    assert data["billingRuns"]["nodes"] == [{"id": runs[0]["id"], "name": "Visible"}]


async def test_every_rest_write_is_403_for_a_read_only_key_and_changes_nothing(api):
    examples = await _examples(api)
    routes = _write_routes(api)
    assert {_collection(p) for _, p in routes} == set(examples), "a write route with no example"
    reader = await new_key(api, "dashboard", read_only=True)
    before = await _everything(api)

    for method, pattern in routes:
        response = await _write(reader, method, pattern, examples)
        error = (await response.json())["error"]
        assert (response.status, error["code"]) == (403, "FORBIDDEN"), (method, pattern, error)
        assert error["message"] == "this API key is read-only"

    assert await _everything(api) == before
    for method, pattern in routes:  # the same writes with a full key all succeed
        response = await _write(api, method, pattern, examples)
        assert response.status < 300, (method, pattern, await response.text())


async def test_a_read_only_key_writing_to_no_such_route_gets_the_usual_answer(api):
    reader = await new_key(api, "dashboard", read_only=True)

    assert (await reader.rest("DELETE", f"{RUNS}1")).status == 405
    assert (await reader.rest("POST", "/nothingHere/")).status == 404


async def _refused_mutation(response) -> dict[str, Any]:
    body = await response.json()
    assert response.status == 403, body
    assert "data" not in body
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    return error


async def test_a_graphql_mutation_with_a_read_only_key_is_403_and_changes_nothing(api):
    reader = await new_key(api, "dashboard", read_only=True)

    plain = await reader.graphql(CREATE_RUN)
    spec = await reader.graphql(CREATE_RUN, headers={"Accept": "application/graphql-response+json"})

    error = await _refused_mutation(plain)
    await _refused_mutation(spec)
    assert error["message"] == "this API key is read-only: it cannot run mutations"
    assert await api.rest_json("GET", RUNS) == []


async def test_operation_name_picks_whether_a_document_mutates(api):
    reader = await new_key(api, "dashboard", read_only=True)
    document = "query Look " + RUNS_QUERY + "\n" + CREATE_RUN.replace("mutation", "mutation Make")

    async def send(name: str):
        return await reader.client.post(
            "/graphql",
            json={"query": document, "operationName": name},
            headers=reader.auth,
        )

    looked = await send("Look")
    made = await send("Make")

    assert looked.status == 200 and (await looked.json())["data"]["billingRuns"]["totalCount"] == 0
    await _refused_mutation(made)
    assert await api.rest_json("GET", RUNS) == []


async def test_a_mutation_over_get_or_in_a_batch_runs_for_no_one(api):
    reader = await new_key(api, "dashboard", read_only=True)

    over_get = await reader.client.get(
        "/graphql", params={"query": CREATE_RUN}, headers=reader.auth
    )
    batch = await reader.client.post(
        "/graphql", json=[{"query": RUNS_QUERY}, {"query": CREATE_RUN}], headers=reader.auth
    )

    assert over_get.status == 405  # mutations never run over GET, whatever the key
    assert batch.status == 400  # batches are not accepted at all
    assert await api.rest_json("GET", RUNS) == []


PROGRESS = "subscription ($id: ID!) { billingRunProgress(id: $id) { status } }"


async def _socket(client: Api):
    ws = await client.client.ws_connect("/graphql", protocols=["graphql-transport-ws"])
    await ws.send_json({"type": "connection_init", "payload": client.auth})
    assert (await _receive(ws))["type"] == "connection_ack"
    return ws


async def _receive(ws) -> dict[str, Any]:
    return await asyncio.wait_for(ws.receive_json(), timeout=10)


async def test_a_read_only_key_subscribes_but_cannot_mutate_over_a_websocket(api):
    run = await create_run(api)
    reader = await new_key(api, "dashboard", read_only=True)
    ws = await _socket(reader)

    await ws.send_json(
        {
            "id": "1",
            "type": "subscribe",
            "payload": {"query": PROGRESS, "variables": {"id": run["id"]}},
        }
    )
    progress = await _receive(ws)
    await ws.send_json({"id": "2", "type": "subscribe", "payload": {"query": CREATE_RUN}})
    mutation = await _receive(ws)
    while mutation.get("id") != "2":
        mutation = await _receive(ws)
    await ws.close()

    assert progress["payload"]["data"]["billingRunProgress"] == {"status": "Pending"}
    errors = mutation["payload"] if mutation["type"] == "error" else mutation["payload"]["errors"]
    assert [e["extensions"]["code"] for e in errors] == ["FORBIDDEN"], json.dumps(mutation)
    assert [r["name"] for r in await api.rest_json("GET", RUNS)] == [run["name"]]
