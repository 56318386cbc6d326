"""Races over real HTTP: the lock and the transition are atomic on both databases."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from tests.rest.helpers import add_preset, create_run, get_run, run_path

WRITERS = 50
REPEATS = 5
FIRST_CUTOFF = "2026-11-01"


async def race_date_patches_against_a_request(api, subrun: str) -> tuple[int, int]:
    """Send WRITERS cutoffDate PATCHes and one request for bills at once; check the outcome.

    Returns how many PATCHes landed before the request and how many were locked out.
    """
    run = await create_run(
        api, f"Race {subrun}", subrun=subrun, invoiceDate="2026-12-01", cutoffDate=FIRST_CUTOFF
    )
    path = run_path(run)
    dates = [(date(2026, 1, 1) + timedelta(days=n)).isoformat() for n in range(WRITERS)]
    patches = [api.rest("PATCH", path, json={"cutoffDate": day}) for day in dates]
    request = api.rest("PATCH", path, json={"status": "Requested"})
    middle = WRITERS // 2
    responses = await asyncio.gather(*patches[:middle], request, *patches[middle:])
    request_response = responses.pop(middle)
    assert request_response.status == 200, await request_response.text()
    requested = await request_response.json()
    assert requested["status"] == "Requested"

    landed = []
    locked = 0
    for day, response in zip(dates, responses, strict=True):
        body = await response.json()
        if response.status == 200:
            # It landed while the run was Pending, so strictly before the transition.
            assert body["status"] == "Pending", body
            assert body["cutoffDate"] == day
            assert body["updatedDate"] < requested["updatedDate"]
            landed.append(body)
        else:
            assert response.status == 409, body
            assert body["error"]["code"] == "FIELD_LOCKED", body
            assert body["error"]["field"] == "cutoffDate", body
            locked += 1

    # Nothing changed the run after the transition, and it holds the date of the last
    # PATCH that preceded it (or its first date when none did).
    final = await get_run(api, run)
    assert final == requested
    last = max(landed, key=lambda body: body["updatedDate"], default=None)
    assert final["cutoffDate"] == (last["cutoffDate"] if last else FIRST_CUTOFF)
    return len(landed), locked


async def test_date_patches_racing_a_request_for_bills_never_change_a_requested_run(api):
    outcomes = []
    for attempt in range(REPEATS):
        subrun = f"Race {attempt}"  # each run its own subrun: no RUN_IN_PROGRESS between them
        await add_preset(api, "billingSubrun", subrun)
        outcomes.append(await race_date_patches_against_a_request(api, subrun))
    assert all(landed + locked == WRITERS for landed, locked in outcomes)
    # The race was a race: some PATCHes landed before a request and some after one.
    assert sum(landed for landed, _ in outcomes) > 0, outcomes
    assert sum(locked for _, locked in outcomes) > 0, outcomes


async def race_two_requests(api, subrun: str | None) -> None:
    fields = {"subrun": subrun} if subrun else {}
    runs = [
        await create_run(
            api, f"{subrun} {n}", invoiceDate="2026-12-01", cutoffDate="2026-12-01", **fields
        )
        for n in range(2)
    ]
    responses = await asyncio.gather(
        *(api.rest("PATCH", run_path(run), json={"status": "Requested"}) for run in runs)
    )
    statuses = sorted(response.status for response in responses)
    assert statuses == [200, 409], [await response.text() for response in responses]
    for run, response in zip(runs, responses, strict=True):
        body = await response.json()
        if response.status == 409:
            assert body["error"]["code"] == "RUN_IN_PROGRESS", body
            assert await get_run(api, run) == run
        else:
            assert body["status"] == "Requested"
            assert await get_run(api, run) == body


async def test_two_requests_for_bills_in_one_subrun_at_once_let_exactly_one_through(api):
    for attempt in range(REPEATS):
        subrun = f"Pair {attempt}"
        await add_preset(api, "billingSubrun", subrun)
        await race_two_requests(api, subrun)


async def test_two_requests_for_bills_without_a_subrun_at_once_let_exactly_one_through(api):
    await race_two_requests(api, None)
