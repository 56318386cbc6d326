"""Requesting bills over REST, and the date lock that follows: FIELD_LOCKED,
INVALID_TRANSITION, RUN_IN_PROGRESS and the 422s of a request that cannot go ahead."""

from __future__ import annotations

import pytest

from tests.rest.helpers import (
    READY,
    RUNS,
    add_preset,
    create_run,
    get_run,
    patch_run,
    refused,
    request_bills,
    run_path,
)

LOCKED_CHANGES = [
    ("invoiceDate", "2026-12-02"),
    ("invoiceDate", None),
    ("cutoffDate", "2026-11-30"),
    ("cutoffDate", None),
    ("transactionCutoffDate", "2026-11-29"),
    ("dueDate", "2026-12-31"),
    ("dueDate", None),
    ("subrun", "West"),
    ("subrun", None),
    ("invoiceMessage", "Festive"),
    ("invoiceMessage", None),
]


async def requested_run(api) -> dict:
    """A run with every locked field set, whose bills have been requested."""
    for kind, names in (
        ("billingSubrun", ("East", "West")),
        ("invoiceMessage", ("Seasonal", "Festive")),
    ):
        for name in names:
            await add_preset(api, kind, name)
    run = await create_run(
        api,
        subrun="East",
        invoiceMessage="Seasonal",
        transactionCutoffDate="2026-11-28",
        **READY,
    )
    return await request_bills(api, run)


# --- requesting bills ---------------------------------------------------------------------


async def test_requesting_bills_moves_a_pending_run_to_requested(api):
    run = await create_run(api, **READY)
    requested = await patch_run(api, run, status="Requested")
    assert requested == {**run, "status": "Requested", "updatedDate": requested["updatedDate"]}
    assert requested["updatedDate"] > run["updatedDate"]
    assert await get_run(api, run) == requested


async def test_bills_can_be_requested_with_put_too(api):
    run = await create_run(api, **READY)
    requested = await api.rest_json("PUT", run_path(run), json={"status": "Requested"})
    assert requested["status"] == "Requested"


async def test_dates_sent_with_the_request_land_before_the_lock(api):
    run = await create_run(api, "No dates yet")
    requested = await patch_run(
        api, run, status="Requested", invoiceDate="2026-12-01", cutoffDate="2026-11-30"
    )
    assert (requested["status"], requested["invoiceDate"], requested["cutoffDate"]) == (
        "Requested",
        "2026-12-01",
        "2026-11-30",
    )


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"cutoffDate": "2026-12-01"}, {"invoiceDate"}),
        ({"invoiceDate": "2026-12-01"}, {"cutoffDate"}),
        ({"dueDate": "2026-12-15"}, {"invoiceDate", "cutoffDate"}),
    ],
)
async def test_requesting_bills_without_an_invoice_or_cutoff_date_is_422(api, fields, missing):
    run = await create_run(api, **fields)
    error = await refused(
        api, "PATCH", run_path(run), 422, "VALIDATION_FAILED", json={"status": "Requested"}
    )
    named = {detail["field"] for detail in error.get("details", [])} or {error["field"]}
    assert named == missing
    assert error["field"] in missing


async def test_clearing_a_needed_date_in_the_request_itself_is_422(api):
    run = await create_run(api, **READY)
    await refused(
        api,
        "PATCH",
        run_path(run),
        422,
        "VALIDATION_FAILED",
        "cutoffDate",
        json={"status": "Requested", "cutoffDate": None},
    )


async def test_a_form_request_without_dates_is_422(api):
    run = await create_run(api, invoiceDate="2026-12-01")
    await refused(
        api,
        "PATCH",
        run_path(run),
        422,
        "VALIDATION_FAILED",
        "cutoffDate",
        data={"status": "Requested", "cutoffDate": ""},
    )


# --- status values ------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["Requested", "Running", "Complete"])
async def test_a_new_run_that_is_not_pending_is_422(api, status):
    await refused(
        api,
        "POST",
        RUNS,
        422,
        "VALIDATION_FAILED",
        "status",
        json={"name": "Eager", "status": status, **READY},
    )


async def test_a_new_run_may_say_it_is_pending(api):
    run = await create_run(api, status="Pending")
    assert run["status"] == "Pending"


@pytest.mark.parametrize("status", ["Running", "Complete"])
async def test_moving_a_pending_run_to_anything_but_requested_is_invalid_transition(api, status):
    run = await create_run(api, **READY)
    await refused(
        api, "PATCH", run_path(run), 409, "INVALID_TRANSITION", "status", json={"status": status}
    )


@pytest.mark.parametrize("status", ["Pending", "Running", "Complete"])
async def test_moving_a_requested_run_is_invalid_transition(api, status):
    run = await requested_run(api)
    await refused(
        api, "PATCH", run_path(run), 409, "INVALID_TRANSITION", "status", json={"status": status}
    )


@pytest.mark.parametrize("status", ["Bogus", "requested", "", None, 1, ["Requested"]])
async def test_a_status_that_is_not_a_status_is_422(api, status):
    run = await create_run(api, **READY)
    await refused(
        api, "PATCH", run_path(run), 422, "VALIDATION_FAILED", "status", json={"status": status}
    )


async def test_sending_the_current_status_is_a_no_op(api):
    run = await create_run(api, **READY)
    assert await patch_run(api, run, status="Pending") == run
    requested = await request_bills(api, run)
    assert await patch_run(api, run, status="Requested") == requested
    assert await get_run(api, run) == requested


# --- the lock -----------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), LOCKED_CHANGES)
async def test_changing_a_locked_field_after_the_request_is_field_locked(api, field, value):
    run = await requested_run(api)
    error = await refused(
        api, "PATCH", run_path(run), 409, "FIELD_LOCKED", field, json={field: value}
    )
    assert field in error["message"]


async def test_a_locked_change_fails_whole_even_with_a_name_change_beside_it(api):
    run = await requested_run(api)
    fields = {"name": "Renamed", "cutoffDate": "2026-11-30"}
    await refused(api, "PUT", run_path(run), 409, "FIELD_LOCKED", "cutoffDate", json=fields)
    form = {"name": "Renamed", "dueDate": ""}
    await refused(api, "PATCH", run_path(run), 409, "FIELD_LOCKED", "dueDate", data=form)


async def test_sending_the_current_values_of_locked_fields_is_fine(api):
    run = await requested_run(api)
    locked = {field: run[field] for field, _ in LOCKED_CHANGES}
    assert await patch_run(api, run, **locked) == run
    assert await patch_run(api, run, **locked, status="Requested") == run


async def test_the_name_stays_editable_after_the_request(api):
    run = await requested_run(api)
    renamed = await patch_run(api, run, name="Renamed", cutoffDate=run["cutoffDate"])
    assert renamed == {**run, "name": "Renamed", "updatedDate": renamed["updatedDate"]}
    assert renamed["updatedDate"] > run["updatedDate"]


async def test_a_pending_run_is_not_locked(api):
    await add_preset(api, "billingSubrun", "West")
    await add_preset(api, "invoiceMessage", "Festive")
    run = await create_run(api, **READY)
    for field, value in LOCKED_CHANGES:
        assert (await patch_run(api, run, **{field: value}))[field] == value


# --- RUN_IN_PROGRESS ----------------------------------------------------------------------


async def test_a_second_run_of_the_same_subrun_is_run_in_progress(api):
    await add_preset(api, "billingSubrun", "East")
    first = await create_run(api, "First", subrun="East", **READY)
    second = await create_run(api, "Second", subrun="East", **READY)
    await request_bills(api, first)
    await refused(
        api,
        "PATCH",
        run_path(second),
        409,
        "RUN_IN_PROGRESS",
        json={"status": "Requested"},
    )
    assert (await get_run(api, second))["status"] == "Pending"


async def test_runs_with_no_subrun_form_one_group(api):
    first = await create_run(api, "First", **READY)
    second = await create_run(api, "Second", **READY)
    await request_bills(api, first)
    await refused(
        api, "PATCH", run_path(second), 409, "RUN_IN_PROGRESS", json={"status": "Requested"}
    )


async def test_runs_of_different_subruns_do_not_conflict(api):
    for name in ("East", "West"):
        await add_preset(api, "billingSubrun", name)
    east = await create_run(api, "East", subrun="East", **READY)
    west = await create_run(api, "West", subrun="West", **READY)
    unassigned = await create_run(api, "No subrun", **READY)
    for run in (east, west, unassigned):
        await request_bills(api, run)
    assert [run["status"] for run in await api.rest_json("GET", RUNS)] == ["Requested"] * 3


async def test_a_run_moved_to_a_busy_subrun_cannot_request_bills(api):
    for name in ("East", "West"):
        await add_preset(api, "billingSubrun", name)
    busy = await create_run(api, "Busy", subrun="East", **READY)
    await request_bills(api, busy)
    other = await create_run(api, "Other", subrun="West", **READY)
    await refused(
        api,
        "PATCH",
        run_path(other),
        409,
        "RUN_IN_PROGRESS",
        json={"status": "Requested", "subrun": "East"},
    )
    moved = await patch_run(api, other, subrun="East")  # moving alone is fine while Pending
    await refused(
        api, "PATCH", run_path(moved), 409, "RUN_IN_PROGRESS", json={"status": "Requested"}
    )
