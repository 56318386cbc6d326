"""The rules of a billing run, as the actions enforce them, without a transport: fields,
presets, the Pending -> Requested transition, the date lock and the dates a request
needs. The REST and GraphQL suites test how these errors reach the wire."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billing import presets, runs
from billing.errors import BillingError, ErrorCode
from models import BillingRun, BillingRunStatus
from tests.data import READY


async def _refused(action, code: ErrorCode) -> BillingError:
    with pytest.raises(BillingError) as refusal:
        await action
    assert refusal.value.code == code, refusal.value
    return refusal.value


def _fields_of(error: BillingError) -> list[str | None]:
    return [detail.field for detail in error.errors]


async def _requested(**fields) -> runs.RunRecord:
    run = await runs.create_run({"name": "Requested", **READY, **fields})
    return await runs.request_bills(run.id)


# --- creating -------------------------------------------------------------------------


async def test_a_new_run_is_pending_with_the_fields_given(database):
    with database:
        run = await runs.create_run({"name": "November", "invoiceDate": "2026-12-01"})
        assert (run.name, run.status, run.invoice_date) == (
            "November",
            BillingRunStatus.PENDING,
            date(2026, 12, 1),
        )
        assert (run.cutoff_date, run.subrun, run.invoice_amount) == (None, None, Decimal(0))
        assert run.created_date == run.updated_date


async def test_typed_dates_are_read_as_their_text_is(database):
    with database:
        typed = await runs.create_run({"name": "Typed", "cutoffDate": date(2026, 12, 1)})
        text = await runs.create_run({"name": "Text", "cutoffDate": "2026-12-01"})
        assert typed.cutoff_date == text.cutoff_date == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "name is required"),
        ({"name": None}, "name is required"),
        ({"name": "   "}, "name must be text of 1 to 255 characters"),
        ({"name": "x" * 256}, "name must be text of 1 to 255 characters"),
        ({"name": "a\x00b"}, "name must be text of 1 to 255 characters"),
    ],
)
async def test_a_new_run_needs_a_name_of_1_to_255_characters(database, fields, message):
    with database:
        error = await _refused(runs.create_run(fields), ErrorCode.VALIDATION_FAILED)
    assert (error.field, error.message) == ("name", message)


async def test_a_new_run_starts_pending(database):
    with database:
        error = await _refused(
            runs.create_run({"name": "Eager", "status": "Requested", **READY}),
            ErrorCode.VALIDATION_FAILED,
        )
        assert await BillingRun.all().count() == 0
    assert (error.field, error.message) == ("status", "a new billing run is Pending")


async def test_every_bad_field_is_reported_at_once_in_the_order_of_the_rules(database):
    with database:
        error = await _refused(
            runs.create_run(
                {"name": "", "colour": "red", "id": 7, "dueDate": "soon", "status": "Done"}
            ),
            ErrorCode.VALIDATION_FAILED,
        )
    assert _fields_of(error) == ["colour", "id", "name", "dueDate", "status"]
    assert error.errors[0].message == "unknown field: colour"


async def test_a_create_may_repeat_what_a_new_run_holds_but_not_the_servers_fields(database):
    with database:
        run = await runs.create_run({"name": "Echo", "invoiceAmount": "0.00", "customersDone": 0})
        assert run.invoice_amount == 0
        error = await _refused(
            runs.create_run({"name": "Echo", "createdDate": "2026-11-20T00:00:00Z"}),
            ErrorCode.VALIDATION_FAILED,
        )
    assert (error.field, error.message) == ("createdDate", "createdDate is read-only")


async def test_a_due_date_before_the_invoice_date_is_refused(database):
    with database:
        error = await _refused(
            runs.create_run({"name": "Late", "invoiceDate": "2026-12-02", "dueDate": "2026-12-01"}),
            ErrorCode.VALIDATION_FAILED,
        )
        run = await runs.create_run({"name": "Fine", "invoiceDate": "2026-12-02"})
        error_on_update = await _refused(
            runs.update_run(run.id, {"dueDate": "2026-12-01"}), ErrorCode.VALIDATION_FAILED
        )
    assert error.message == error_on_update.message == "dueDate may not be before invoiceDate"


# --- presets --------------------------------------------------------------------------


async def test_a_run_names_its_subrun_and_message_by_preset_name(database):
    with database:
        await presets.create_preset("billingSubrun", "East")
        await presets.create_preset("invoiceMessage", "Seasonal", "Happy holidays")
        run = await runs.create_run({"name": "R", "subrun": "East", "invoiceMessage": "Seasonal"})
        assert (run.subrun, run.invoice_message) == ("East", "Seasonal")
        cleared = await runs.update_run(run.id, {"subrun": None})
        assert (cleared.subrun, cleared.subrun_id) == (None, None)


async def test_an_unknown_preset_is_refused_naming_the_valid_ones(database):
    with database:
        await presets.create_preset("billingSubrun", "East")
        await presets.create_preset("billingSubrun", "West")
        error = await _refused(
            runs.create_run({"name": "R", "subrun": "North"}), ErrorCode.VALIDATION_FAILED
        )
    assert error.field == "subrun"
    assert error.message == "subrun must be the name of a billingSubrun preset (valid: East, West)"


async def test_a_retired_preset_stays_where_it_is_but_cannot_be_chosen_again(database):
    with database:
        await presets.create_preset("billingSubrun", "East")
        run = await runs.create_run({"name": "R", "subrun": "East"})
        await presets.update_preset("billingSubrun", "East", {"retired": True})
        kept = await runs.update_run(run.id, {"subrun": "East", "name": "Renamed"})
        assert (kept.subrun, kept.name) == ("East", "Renamed")
        error = await _refused(
            runs.create_run({"name": "New", "subrun": "East"}), ErrorCode.VALIDATION_FAILED
        )
    assert error.message == "subrun 'East' is retired and cannot be chosen"


# --- the transition -------------------------------------------------------------------


async def test_requesting_bills_moves_a_pending_run_to_requested(database):
    with database:
        run = await runs.create_run({"name": "R", **READY})
        requested = await runs.request_bills(run.id)
        assert requested.status == BillingRunStatus.REQUESTED
        assert requested.updated_date > run.updated_date
        assert (await BillingRun.get(id=run.id)).active_group == "subrun:none"


async def test_status_requested_in_an_update_requests_bills_with_the_dates_sent(database):
    with database:
        run = await runs.create_run({"name": "No dates yet"})
        requested = await runs.update_run(
            run.id, {"status": "Requested", "invoiceDate": "2026-12-01", "cutoffDate": "2026-11-30"}
        )
    assert (requested.status, requested.invoice_date, requested.cutoff_date) == (
        BillingRunStatus.REQUESTED,
        date(2026, 12, 1),
        date(2026, 11, 30),
    )


async def test_naming_the_current_status_changes_nothing(database):
    with database:
        run = await runs.create_run({"name": "R"})
        again = await runs.update_run(run.id, {"status": "Pending"})
    assert again == run


@pytest.mark.parametrize("status", ["Running", "Complete"])
async def test_a_client_cannot_move_a_pending_run_anywhere_but_requested(database, status):
    with database:
        run = await runs.create_run({"name": "R", **READY})
        error = await _refused(
            runs.update_run(run.id, {"status": status}), ErrorCode.INVALID_TRANSITION
        )
    assert error.message == (
        f"status cannot change from Pending to {status}: "
        "the only change a client makes is Pending to Requested"
    )


async def test_bills_cannot_be_requested_twice(database):
    with database:
        run = await _requested()
        error = await _refused(runs.request_bills(run.id), ErrorCode.INVALID_TRANSITION)
        back = await _refused(
            runs.update_run(run.id, {"status": "Pending"}), ErrorCode.INVALID_TRANSITION
        )
    assert error.message.startswith("status cannot change from Requested to Requested")
    assert back.message.startswith("status cannot change from Requested to Pending")


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({}, ["invoiceDate", "cutoffDate"]),
        ({"invoiceDate": "2026-12-01"}, ["cutoffDate"]),
        ({"cutoffDate": "2026-12-01"}, ["invoiceDate"]),
    ],
)
async def test_bills_need_an_invoice_date_and_a_cutoff_date(database, fields, missing):
    with database:
        run = await runs.create_run({"name": "R", **fields})
        error = await _refused(runs.request_bills(run.id), ErrorCode.VALIDATION_FAILED)
        assert (await runs.get_run(run.id)).status == BillingRunStatus.PENDING
    assert _fields_of(error) == missing
    assert error.message == f"{missing[0]} must be set before bills are requested"


async def test_one_subrun_has_one_run_in_progress_at_a_time(database):
    with database:
        await presets.create_preset("billingSubrun", "East")
        await _requested(subrun="East")
        second = await runs.create_run({"name": "Second", "subrun": "East", **READY})
        await _refused(runs.request_bills(second.id), ErrorCode.RUN_IN_PROGRESS)
        other = await runs.create_run({"name": "No subrun", **READY})
        assert (await runs.request_bills(other.id)).status == BillingRunStatus.REQUESTED


# --- the lock -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("invoiceDate", "2026-12-02"),
        ("cutoffDate", None),
        ("transactionCutoffDate", "2026-11-29"),
        ("dueDate", "2026-12-31"),
        ("subrun", "West"),
        ("invoiceMessage", None),
    ],
)
async def test_dates_and_presets_lock_once_bills_are_requested(database, field, value):
    with database:
        await presets.create_preset("billingSubrun", "East")
        await presets.create_preset("billingSubrun", "West")
        await presets.create_preset("invoiceMessage", "Seasonal")
        run = await _requested(subrun="East", invoiceMessage="Seasonal")
        error = await _refused(runs.update_run(run.id, {field: value}), ErrorCode.FIELD_LOCKED)
        assert await runs.get_run(run.id) == run
    assert (error.field, error.message) == (
        field,
        f"{field} cannot change once bills are requested",
    )


async def test_a_locked_run_takes_its_own_values_and_a_new_name(database):
    with database:
        run = await _requested()
        same = await runs.update_run(run.id, {"invoiceDate": "2026-12-01", "dueDate": "2026-12-15"})
        assert same == run
        renamed = await runs.update_run(run.id, {"name": "Renamed", "cutoffDate": "2026-12-01"})
    assert (renamed.name, renamed.status) == ("Renamed", BillingRunStatus.REQUESTED)


async def test_the_transition_is_checked_before_the_lock(database):
    with database:
        run = await _requested()
        await _refused(
            runs.update_run(run.id, {"status": "Complete", "dueDate": "2026-12-31"}),
            ErrorCode.INVALID_TRANSITION,
        )
