"""billingRunProgress over graphql-transport-ws, through the real app."""

from __future__ import annotations

import asyncio
from typing import Any

from billing import engine, runs

PROTOCOL = "graphql-transport-ws"
PROGRESS = """
subscription ($id: ID!) {
  billingRunProgress(id: $id) { id status customersDone invoicesProduced invoiceAmount }
}
"""


async def _connect(api, payload: dict[str, Any] | None):
    ws = await api.client.ws_connect("/graphql", protocols=[PROTOCOL])
    await ws.send_json({"type": "connection_init", "payload": payload or {}})
    return ws


async def _receive(ws) -> dict[str, Any]:
    return await asyncio.wait_for(ws.receive_json(), timeout=10)


async def _requested_run(api) -> int:
    with api.database():
        run = await runs.create_run(
            {"name": "Live", "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01"}
        )
        await runs.request_bills(run.id)
    return run.id


async def test_progress_streams_the_run_until_it_is_complete(api):
    run_id = await _requested_run(api)
    ws = await _connect(api, {"Authorization": f"Bearer {api.key}"})
    assert (await _receive(ws))["type"] == "connection_ack"
    await ws.send_json(
        {
            "id": "1",
            "type": "subscribe",
            "payload": {"query": PROGRESS, "variables": {"id": str(run_id)}},
        }
    )

    first = await _receive(ws)
    with api.database():
        await engine.bill(run_id, "UTC")
    updates = [first]
    while updates[-1]["type"] == "next":
        updates.append(await _receive(ws))

    statuses = [u["payload"]["data"]["billingRunProgress"]["status"] for u in updates[:-1]]
    assert statuses[0] == "Requested" and statuses[-1] == "Complete"
    assert updates[-1] == {"id": "1", "type": "complete"}
    await ws.close()


async def test_a_subscription_without_a_key_is_refused(api):
    ws = await _connect(api, {})

    message = await ws.receive()

    assert ws.closed or message.type.name in ("CLOSE", "CLOSED", "CLOSING")
    assert ws.close_code == 4403


async def test_a_subscription_with_a_key_in_the_upgrade_header_is_accepted(api):
    ws = await api.client.ws_connect("/graphql", protocols=[PROTOCOL], headers=api.auth)
    await ws.send_json({"type": "connection_init", "payload": {}})

    assert (await _receive(ws))["type"] == "connection_ack"
    await ws.close()


async def test_progress_of_an_unknown_run_is_an_error(api):
    ws = await _connect(api, {"Authorization": f"Bearer {api.key}"})
    await _receive(ws)
    await ws.send_json(
        {"id": "7", "type": "subscribe", "payload": {"query": PROGRESS, "variables": {"id": "999"}}}
    )

    message = await _receive(ws)

    assert message["type"] in ("error", "next")
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    await ws.close()
