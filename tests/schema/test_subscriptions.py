"""billingRunProgress over graphql-transport-ws, through the real app."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from typing import Any

import pytest

from billing import engine, runs
from billing.settings import behind_pgbouncer
from schema.runs import subscriptions
from tests.billing.builders import call, customer

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


async def _subscribe(api, run_id: int) -> Any:
    ws = await _connect(api, {"Authorization": f"Bearer {api.key}"})
    assert (await _receive(ws))["type"] == "connection_ack"
    await ws.send_json(
        {
            "id": "1",
            "type": "subscribe",
            "payload": {"query": PROGRESS, "variables": {"id": str(run_id)}},
        }
    )
    return ws


def _progress(message: dict[str, Any]) -> tuple[str, int, str]:
    assert message["type"] == "next", message
    run = message["payload"]["data"]["billingRunProgress"]
    return run["status"], run["customersDone"], run["invoiceAmount"]


@pytest.mark.skipif(
    behind_pgbouncer(os.environ.get("TEST_POSTGRES_URL", "")),
    reason="the engine's wake-ups travel by LISTEN, which transaction pooling cannot carry: "
    "behind PgBouncer LISTEN_DATABASE_URL must name PostgreSQL itself (the README says so)",
)
async def test_the_last_update_is_the_complete_run_when_the_last_look_was_after_the_last_chunk(
    api, monkeypatch: pytest.MonkeyPatch
):
    # No polls by the clock: the subscription looks at the run only when the engine,
    # stepped here, wakes it. Each step waits for the update it causes, so when complete()
    # runs the subscription has already looked at (and sent) the last chunk's progress,
    # and only complete() itself can wake it again.
    monkeypatch.setattr(subscriptions, "PROGRESS_POLL_SECONDS", 3600.0)
    with api.database():
        for _ in range(3):
            await call(await customer(), datetime(2026, 11, 2, tzinfo=UTC), "1.25")
    run_id = await _requested_run(api)
    ws = await _subscribe(api, run_id)
    updates = [_progress(await _receive(ws))]

    with api.database():
        terms = await engine.load_run(run_id, "UTC")
        assert terms is not None
        assert await engine.start(terms, chunk_size=2)
        updates.append(_progress(await _receive(ws)))
        while await engine.bill_next_chunk(terms):
            updates.append(_progress(await _receive(ws)))
        # The subscription has sent the last chunk's progress; nothing it shows changes
        # now but the status, the completion date and the amount.
        assert updates[-1] == ("Running", 3, "0.00")
        assert await engine.complete(terms)
    updates.append(_progress(await _receive(ws)))

    assert updates == [
        ("Requested", 0, "0.00"),
        ("Running", 0, "0.00"),
        ("Running", 2, "0.00"),
        ("Running", 3, "0.00"),
        ("Complete", 3, "3.75"),
    ]
    assert await _receive(ws) == {"id": "1", "type": "complete"}
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
