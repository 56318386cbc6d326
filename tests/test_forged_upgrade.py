"""Only a real websocket handshake may defer the key to connection_init.

Every route and method, on both transports, with forged `Upgrade` headers and no key:
refused with 401, and nothing read or changed.
"""

from __future__ import annotations

import base64
import os
import re
from typing import Any

import pytest

from api.paths import OPENAPI_PATH
from tests.conftest import API

HANDSHAKE_KEY = base64.b64encode(os.urandom(16)).decode()
FULL_HANDSHAKE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": HANDSHAKE_KEY,
}
#: Headers that claim an upgrade without being a handshake /graphql accepts.
FORGERIES: list[dict[str, str]] = [
    {"Upgrade": "websocket"},
    {"Upgrade": "WebSocket", "Connection": "keep-alive"},
    {"Upgrade": "websocket", "Connection": "Upgrade"},
    {**FULL_HANDSHAKE},  # no subprotocol
    {**FULL_HANDSHAKE, "Sec-WebSocket-Protocol": "chat"},  # one we do not speak
    {**FULL_HANDSHAKE, "Sec-WebSocket-Protocol": "graphql-transport-ws", "Sec-WebSocket-Key": "x"},
    {**FULL_HANDSHAKE, "Sec-WebSocket-Protocol": "graphql-ws", "Sec-WebSocket-Version": "99"},
]
#: With the method: a valid handshake in our subprotocol, but not a GET.
VALID_HEADERS_WRONG_METHOD = {**FULL_HANDSHAKE, "Sec-WebSocket-Protocol": "graphql-transport-ws"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: Read without a key by design (the OpenAPI document): nothing there to protect.
PUBLIC = {("GET", OPENAPI_PATH)}
MUTATION = 'mutation { createBillingRun(input: {name: "forged"}) { billingRun { id } } }'
QUERY = "{ billingRuns { nodes { id name } } }"


async def _state(api) -> dict[str, Any]:
    """Everything a forged request could have changed, read with the real key."""
    paths = ("/billingRuns/", "/customers/", "/calls/", "/transactions/", "/invoices/")
    return {path: await api.rest_json("GET", path) for path in paths}


async def _seed(api) -> None:
    await api.rest_json("POST", "/billingRuns/", 201, json={"name": "Existing"})
    await api.rest_json(
        "POST", "/customers/", 201, json={"accountNumber": "ACC1", "name": "Existing customer"}
    )


def _protected_paths(api) -> list[str]:
    paths = set()
    for resource in api.client.app.router.resources():
        path = re.sub(r"\{[^}]+\}", "1", resource.canonical)
        if path.startswith(API) or path.rstrip("/") == "/graphql":
            paths.add(path)
    return sorted(paths)


async def _send(api, method: str, path: str, headers: dict[str, str]) -> tuple[int, str]:
    kwargs: dict[str, Any] = {"headers": headers}
    if path.rstrip("/") == "/graphql":
        if method == "GET":
            kwargs["params"] = {"query": QUERY}
        else:
            kwargs["json"] = {"query": MUTATION}
    elif method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {"name": "forged", "accountNumber": "FORGED", "status": "Requested"}
    response = await api.client.request(method, path, **kwargs)
    return response.status, await response.text()


async def test_forged_upgrade_headers_never_skip_the_key(api):
    await _seed(api)
    before = await _state(api)
    paths = _protected_paths(api)
    assert any(p.startswith(API) for p in paths) and "/graphql" in paths

    answered = []
    for path in paths:
        for method in METHODS:
            if (method, path) in PUBLIC:
                continue
            for headers in FORGERIES:
                status, body = await _send(api, method, path, headers)
                answered.append((path, method, status))
                assert status == 401, (path, method, headers, status, body)
                assert "forged" not in body and "Existing" not in body
            status, body = await _send(api, method, path, VALID_HEADERS_WRONG_METHOD)
            if not (method == "GET" and path.rstrip("/") == "/graphql"):
                assert status == 401, (path, method, status, body)

    assert len(answered) == (len(paths) * len(METHODS) - len(PUBLIC)) * len(FORGERIES)
    assert await _state(api) == before


@pytest.mark.parametrize("headers", FORGERIES, ids=range(len(FORGERIES)))
async def test_forged_upgrade_on_graphql_mutation_creates_nothing(api, headers):
    before = await _state(api)

    response = await api.client.post("/graphql", json={"query": MUTATION}, headers=headers)

    assert response.status == 401
    assert (await response.json())["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"
    assert await _state(api) == before


@pytest.mark.parametrize("headers", FORGERIES, ids=range(len(FORGERIES)))
async def test_forged_upgrade_on_graphql_get_reads_nothing(api, headers):
    await _seed(api)

    response = await api.client.get("/graphql", params={"query": QUERY}, headers=headers)

    assert response.status == 401
    assert "Existing" not in await response.text()


async def test_a_real_handshake_still_defers_the_key_to_connection_init(api):
    ws = await api.client.ws_connect("/graphql", protocols=["graphql-transport-ws"])
    await ws.send_json({"type": "connection_init", "payload": {"Authorization": "Bearer nope"}})

    await ws.receive()

    assert ws.close_code == 4403
