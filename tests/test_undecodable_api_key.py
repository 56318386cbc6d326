"""An API key that is not UTF-8 text is an invalid key on every transport, never an
internal error.

Regression: aiohttp reads header bytes that are not UTF-8 as lone surrogates (and a JSON
`connection_init` may carry one as an escape); hashing such a key to look it up raised
UnicodeEncodeError, a 500 (and a broken WebSocket).
"""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.conftest import API, Api

BAD_KEYS = [b"Bearer br_\xff\xfe", b"Bearer \xc3(", b"Bearer br_" + b"\x80" * 300]


async def raw_request(
    api: Api, request_line: bytes, authorization: bytes, body: bytes = b""
) -> bytes:
    """Send one request with the Authorization header's bytes exactly as given."""
    server = api.client.server
    reader, writer = await asyncio.open_connection(server.host, server.port)
    try:
        writer.write(
            request_line
            + b"\r\nHost: test\r\nAuthorization: "
            + authorization
            + b"\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: close\r\n\r\n"
            + body
        )
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout=10)
    finally:
        writer.close()


def status_and_body(response: bytes) -> tuple[int, dict]:
    head, _, body = response.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


@pytest.mark.parametrize("authorization", BAD_KEYS, ids=["ff-fe", "bad-sequence", "long"])
async def test_a_rest_request_with_a_key_that_is_not_utf8_is_401(api, authorization):
    response = await raw_request(api, f"GET {API}/billingRuns/ HTTP/1.1".encode(), authorization)

    status, body = status_and_body(response)
    assert status == 401, response
    assert body["error"]["code"] == "UNAUTHORIZED"
    assert await api.rest_json("GET", "/billingRuns/") == []  # a valid key still works


@pytest.mark.parametrize("authorization", BAD_KEYS, ids=["ff-fe", "bad-sequence", "long"])
async def test_a_graphql_request_with_a_key_that_is_not_utf8_is_401(api, authorization):
    query = json.dumps({"query": "{ billingRuns { totalCount } }"}).encode()

    response = await raw_request(api, b"POST /graphql HTTP/1.1", authorization, query)

    status, body = status_and_body(response)
    assert status == 401, response
    assert "INTERNAL" not in json.dumps(body)


@pytest.mark.parametrize("key", ["br_\ud800", "\udcff\udcfe"])
async def test_a_subscription_key_that_is_no_text_is_refused(api, key):
    ws = await api.client.ws_connect("/graphql", protocols=["graphql-transport-ws"])
    # json.dumps escapes the lone surrogate as \\ud800, which the server reads back.
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {key}"}}
    await ws.send_str(json.dumps(init))

    message = await asyncio.wait_for(ws.receive(), timeout=10)

    assert message.type.name in ("CLOSE", "CLOSED", "CLOSING"), message
    assert ws.close_code == 4403
