"""Mutations on billing runs: create, update, request bills, and every business error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.schema.helpers import (
    CREATE_RUN,
    codes,
    create_preset,
    create_run,
    errors_of,
    list_runs,
    read_run,
    request_bills,
    update_preset,
    update_run,
    user_errors,
)

CREATE_RUN_NAME_ONLY = """
mutation { createBillingRun(input: {name: "Bare"}) {
  billingRun { id name status subrun invoiceMessage invoiceAmount invoiceDate cutoffDate
               transactionCutoffDate dueDate commencedDate completedDate }
  userErrors { field code message }
} }
"""

CREATE_RUN_LITERAL = """
mutation { createBillingRun(input: %s) { billingRun { id } userErrors { field code } } }
"""

DATES = {
    "invoiceDate": "2026-12-01",
    "cutoffDate": "2026-12-01",
    "transactionCutoffDate": "2026-11-30",
    "dueDate": "2026-12-15",
}


async def _create_failing(api, **fields) -> dict:
    payload = (await api.gql(CREATE_RUN, {"input": fields}))["createBillingRun"]
    assert payload["billingRun"] is None
    return payload


async def _assert_no_runs(api) -> None:
    assert (await list_runs(api))["totalCount"] == 0


async def _requested_run(api, **fields) -> dict:
    run = await create_run(api, **{**DATES, **fields})
    payload = await request_bills(api, run["id"])
    assert payload["userErrors"] == []
    return payload["billingRun"]


async def test_a_new_run_is_pending_and_reads_back_as_created(api):
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "invoiceMessage", "Seasonal", "Happy holidays")

    run = await create_run(
        api, name="November 2026", subrun="North", invoiceMessage="Seasonal", **DATES
    )

    assert run["status"] == "Pending"
    assert run["name"] == "November 2026"
    assert run["subrun"] == "North"
    assert run["invoiceMessage"] == "Seasonal"
    assert run["invoiceAmount"] == "0.00"
    assert {field: run[field] for field in DATES} == DATES
    assert run["commencedDate"] is None and run["completedDate"] is None
    assert run["createdDate"] == run["updatedDate"]
    assert datetime.fromisoformat(run["createdDate"]).utcoffset().total_seconds() == 0
    assert await read_run(api, run["id"]) == run


async def test_a_new_run_needs_only_a_name(api):
    payload = (await api.gql(CREATE_RUN_NAME_ONLY))["createBillingRun"]

    assert payload["userErrors"] == []
    run = payload["billingRun"]
    assert run["name"] == "Bare" and run["status"] == "Pending"
    assert [run[f] for f in ("subrun", "invoiceMessage", *DATES)] == [None] * 6


async def test_new_runs_get_increasing_ids(api):
    first = await create_run(api)
    second = await create_run(api)

    assert int(second["id"]) > int(first["id"])


async def test_an_update_leaves_absent_fields_alone(api):
    await create_preset(api, "billingSubrun", "North")
    run = await create_run(api, subrun="North", **DATES)

    payload = await update_run(api, run["id"], name="Renamed")

    assert payload["userErrors"] == []
    updated = payload["billingRun"]
    assert updated["name"] == "Renamed"
    assert {k: v for k, v in updated.items() if k not in ("name", "updatedDate")} == {
        k: v for k, v in run.items() if k not in ("name", "updatedDate")
    }
    assert updated["updatedDate"] > run["updatedDate"]
    assert await read_run(api, run["id"]) == updated


async def test_an_update_with_null_clears_a_field(api):
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "invoiceMessage", "Seasonal")
    run = await create_run(api, subrun="North", invoiceMessage="Seasonal", **DATES)

    payload = await update_run(
        api, run["id"], dueDate=None, subrun=None, invoiceMessage=None, transactionCutoffDate=None
    )

    assert payload["userErrors"] == []
    updated = await read_run(api, run["id"])
    assert updated["dueDate"] is None and updated["transactionCutoffDate"] is None
    assert updated["subrun"] is None and updated["invoiceMessage"] is None
    assert updated["invoiceDate"] == "2026-12-01" and updated["cutoffDate"] == "2026-12-01"
    assert updated["name"] == run["name"]


async def test_an_update_that_changes_nothing_keeps_the_updated_date(api):
    run = await create_run(api, **DATES)

    payload = await update_run(api, run["id"], name=run["name"], **DATES)

    assert payload == {"billingRun": run, "userErrors": []}
    assert await read_run(api, run["id"]) == run


@pytest.mark.parametrize(
    ("variable", "literal"),
    [
        ({"name": 5}, "{name: 5}"),
        ({}, "{}"),
        ({"name": None}, "{name: null}"),
        ({"name": "Run", "colour": "red"}, '{name: "Run", colour: "red"}'),
        ({"name": "Run", "invoiceAmount": "1.00"}, '{name: "Run", invoiceAmount: "1.00"}'),
        ({"name": "Run", "status": "Requested"}, '{name: "Run", status: "Requested"}'),
        ({"name": "Run", "createdDate": "2026-01-01"}, '{name: "Run", createdDate: "2026-01-01"}'),
    ],
)
async def test_input_the_schema_does_not_take_is_refused_before_anything_runs(
    api, variable, literal
):
    as_variable = await errors_of(api, CREATE_RUN, {"input": variable})
    as_literal = await errors_of(api, CREATE_RUN_LITERAL % literal)

    assert codes(as_variable) == ["BAD_USER_INPUT"]
    assert set(codes(as_literal)) == {"GRAPHQL_VALIDATION_FAILED"}
    await _assert_no_runs(api)


@pytest.mark.parametrize("name", ["", "   ", "x" * 256])
async def test_a_bad_name_is_refused_on_create(api, name):
    payload = await _create_failing(api, name=name)

    assert user_errors(payload) == [("name", "VALIDATION_FAILED")]
    await _assert_no_runs(api)


@pytest.mark.parametrize("name", ["", "   ", "x" * 256, None])
async def test_a_bad_name_is_refused_on_update_and_changes_nothing(api, name):
    run = await create_run(api)

    payload = await update_run(api, run["id"], name=name)

    assert payload["billingRun"] is None
    assert user_errors(payload) == [("name", "VALIDATION_FAILED")]
    assert await read_run(api, run["id"]) == run


async def test_a_name_of_255_characters_is_fine(api):
    run = await create_run(api, name="x" * 255)

    assert run["name"] == "x" * 255


async def test_several_bad_fields_give_one_user_error_each(api):
    await create_preset(api, "billingSubrun", "North")

    payload = await _create_failing(api, name="", subrun="Nowhere", invoiceMessage="Nothing")

    assert sorted(user_errors(payload)) == [
        ("invoiceMessage", "VALIDATION_FAILED"),
        ("name", "VALIDATION_FAILED"),
        ("subrun", "VALIDATION_FAILED"),
    ]
    await _assert_no_runs(api)


async def test_several_bad_fields_on_update_change_nothing(api):
    run = await create_run(api)

    payload = await update_run(api, run["id"], name="", subrun="Nowhere")

    assert sorted(user_errors(payload)) == [
        ("name", "VALIDATION_FAILED"),
        ("subrun", "VALIDATION_FAILED"),
    ]
    assert await read_run(api, run["id"]) == run


async def test_an_unknown_preset_name_is_refused_with_the_valid_names(api):
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "billingSubrun", "East")

    payload = await _create_failing(api, name="Run", subrun="South")

    assert user_errors(payload) == [("subrun", "VALIDATION_FAILED")]
    message = payload["userErrors"][0]["message"]
    assert "North" in message and "East" in message
    await _assert_no_runs(api)


async def test_a_preset_of_another_kind_is_not_a_valid_name(api):
    await create_preset(api, "invoiceMessage", "Seasonal")

    payload = await _create_failing(api, name="Run", subrun="Seasonal")

    assert user_errors(payload) == [("subrun", "VALIDATION_FAILED")]


async def test_a_status_name_is_not_a_subrun(api):
    payload = await _create_failing(api, name="Run", subrun="Pending")

    assert user_errors(payload) == [("subrun", "VALIDATION_FAILED")]


async def test_a_due_date_before_the_invoice_date_is_refused(api):
    payload = await _create_failing(api, name="Run", invoiceDate="2026-12-15", dueDate="2026-12-01")

    assert user_errors(payload) == [("dueDate", "VALIDATION_FAILED")]
    await _assert_no_runs(api)


async def test_moving_the_invoice_date_past_the_due_date_is_refused(api):
    run = await create_run(api, **DATES)

    payload = await update_run(api, run["id"], invoiceDate="2026-12-16")

    assert user_errors(payload) == [("dueDate", "VALIDATION_FAILED")]
    assert await read_run(api, run["id"]) == run


async def test_a_due_date_on_the_invoice_date_is_fine(api):
    run = await create_run(api, invoiceDate="2026-12-01", dueDate="2026-12-01")

    assert run["dueDate"] == run["invoiceDate"]


async def test_requesting_bills_makes_a_pending_run_requested(api):
    run = await create_run(api, **DATES)

    payload = await request_bills(api, run["id"])

    assert payload["userErrors"] == []
    requested = payload["billingRun"]
    assert requested["status"] == "Requested"
    assert requested["updatedDate"] > run["updatedDate"]
    assert await read_run(api, run["id"]) == requested


async def test_requesting_bills_needs_an_invoice_date_and_a_cutoff_date(api):
    run = await create_run(api)

    payload = await request_bills(api, run["id"])

    assert payload["billingRun"] is None
    assert sorted(user_errors(payload)) == [
        ("cutoffDate", "VALIDATION_FAILED"),
        ("invoiceDate", "VALIDATION_FAILED"),
    ]
    assert await read_run(api, run["id"]) == run


async def test_requesting_bills_without_a_cutoff_date_names_it(api):
    run = await create_run(api, invoiceDate="2026-12-01")

    payload = await request_bills(api, run["id"])

    assert user_errors(payload) == [("cutoffDate", "VALIDATION_FAILED")]
    assert await read_run(api, run["id"]) == run


async def test_requesting_bills_on_a_run_that_is_not_pending_is_an_invalid_transition(api):
    requested = await _requested_run(api)

    payload = await request_bills(api, requested["id"])

    assert payload["billingRun"] is None
    assert user_errors(payload) == [("status", "INVALID_TRANSITION")]
    assert await read_run(api, requested["id"]) == requested


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("invoiceDate", "2026-12-02"),
        ("cutoffDate", "2026-12-02"),
        ("transactionCutoffDate", "2026-12-02"),
        ("transactionCutoffDate", None),
        ("dueDate", "2026-12-31"),
        ("dueDate", None),
        ("subrun", "South"),
        ("subrun", None),
        ("invoiceMessage", "Plain"),
        ("invoiceMessage", None),
    ],
)
async def test_a_locked_field_cannot_change_once_bills_are_requested(api, field, value):
    for kind, name in [
        ("billingSubrun", "North"),
        ("billingSubrun", "South"),
        ("invoiceMessage", "Seasonal"),
        ("invoiceMessage", "Plain"),
    ]:
        await create_preset(api, kind, name)
    requested = await _requested_run(api, subrun="North", invoiceMessage="Seasonal")

    payload = await update_run(api, requested["id"], **{field: value})

    assert payload["billingRun"] is None
    assert user_errors(payload) == [(field, "FIELD_LOCKED")]
    assert await read_run(api, requested["id"]) == requested


async def test_a_locked_field_sent_with_its_current_value_is_fine(api):
    await create_preset(api, "billingSubrun", "North")
    requested = await _requested_run(api, subrun="North")

    payload = await update_run(api, requested["id"], subrun="North", invoiceMessage=None, **DATES)

    assert payload == {"billingRun": requested, "userErrors": []}


async def test_the_name_stays_editable_once_bills_are_requested(api):
    requested = await _requested_run(api)

    payload = await update_run(api, requested["id"], name="Renamed")

    assert payload["userErrors"] == []
    assert payload["billingRun"]["name"] == "Renamed"
    assert payload["billingRun"]["status"] == "Requested"


async def test_a_name_change_with_a_locked_change_changes_nothing(api):
    requested = await _requested_run(api)

    payload = await update_run(api, requested["id"], name="Renamed", cutoffDate="2026-12-05")

    assert user_errors(payload) == [("cutoffDate", "FIELD_LOCKED")]
    assert await read_run(api, requested["id"]) == requested


async def test_a_second_run_without_a_subrun_cannot_request_bills_while_one_is_in_progress(api):
    await _requested_run(api)
    second = await create_run(api, **DATES)

    payload = await request_bills(api, second["id"])

    assert payload["billingRun"] is None
    assert user_errors(payload) == [("status", "RUN_IN_PROGRESS")]
    assert await read_run(api, second["id"]) == second


async def test_runs_of_one_subrun_wait_for_each_other_but_not_for_other_subruns(api):
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "billingSubrun", "South")
    await _requested_run(api, subrun="North")
    same = await create_run(api, subrun="North", **DATES)
    other = await create_run(api, subrun="South", **DATES)
    none = await create_run(api, **DATES)

    blocked = await request_bills(api, same["id"])
    other_subrun = await request_bills(api, other["id"])
    no_subrun = await request_bills(api, none["id"])

    assert user_errors(blocked) == [("status", "RUN_IN_PROGRESS")]
    assert await read_run(api, same["id"]) == same
    assert other_subrun["billingRun"]["status"] == "Requested"
    assert no_subrun["billingRun"]["status"] == "Requested"


@pytest.mark.parametrize("run_id", ["999999", "99999999999", "abc", "-1", ""])
async def test_an_unknown_run_is_not_found(api, run_id):
    run = await create_run(api, **DATES)

    updated = await update_run(api, run_id, name="Renamed")
    requested = await request_bills(api, run_id)

    for payload in (updated, requested):
        assert payload["billingRun"] is None
        assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
    assert await read_run(api, run["id"]) == run


async def test_a_retired_preset_is_refused_on_new_writes_but_stays_on_old_runs(api):
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "invoiceMessage", "Seasonal")
    old = await create_run(api, subrun="North", invoiceMessage="Seasonal")
    other = await create_run(api)
    for kind, name in [("billingSubrun", "North"), ("invoiceMessage", "Seasonal")]:
        assert (await update_preset(api, kind, name, retired=True))["userErrors"] == []

    created = await _create_failing(api, name="New", subrun="North", invoiceMessage="Seasonal")
    updated = await update_run(api, other["id"], subrun="North")
    kept = await update_run(api, old["id"], name="Still North", subrun="North")

    assert sorted(user_errors(created)) == [
        ("invoiceMessage", "VALIDATION_FAILED"),
        ("subrun", "VALIDATION_FAILED"),
    ]
    assert "retired" in created["userErrors"][0]["message"]
    assert user_errors(updated) == [("subrun", "VALIDATION_FAILED")]
    assert await read_run(api, other["id"]) == other
    assert kept["userErrors"] == []
    assert kept["billingRun"]["subrun"] == "North"
    assert kept["billingRun"]["invoiceMessage"] == "Seasonal"
    assert (await list_runs(api))["totalCount"] == 2


async def test_a_restored_preset_can_be_chosen_again(api):
    await create_preset(api, "billingSubrun", "North")
    await update_preset(api, "billingSubrun", "North", retired=True)
    await update_preset(api, "billingSubrun", "North", retired=False)

    run = await create_run(api, subrun="North")

    assert run["subrun"] == "North"


async def test_updated_date_is_in_utc(api):
    run = await create_run(api)

    updated = datetime.fromisoformat(run["updatedDate"])

    assert updated.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - updated).total_seconds()) < 60


@pytest.mark.parametrize("name", ["nul\u0000inside", "lone \ud800 surrogate"])
async def test_a_name_no_database_can_store_is_refused_not_an_internal_error(api, name):
    run = await create_run(api)

    created = await _create_failing(api, name=name)
    updated = await update_run(api, run["id"], name=name)

    assert user_errors(created) == [("name", "VALIDATION_FAILED")]
    assert user_errors(updated) == [("name", "VALIDATION_FAILED")]
    assert await read_run(api, run["id"]) == run
    assert (await list_runs(api))["totalCount"] == 1


@pytest.mark.parametrize("name", ["nul\u0000inside", "lone \ud800 surrogate"])
async def test_a_preset_name_no_database_can_store_names_no_preset(api, name):
    await create_preset(api, "billingSubrun", "North")
    run = await create_run(api, subrun="North")

    created = await _create_failing(api, name="Run", subrun=name, invoiceMessage=name)
    updated = await update_run(api, run["id"], subrun=name)

    assert sorted(user_errors(created)) == [
        ("invoiceMessage", "VALIDATION_FAILED"),
        ("subrun", "VALIDATION_FAILED"),
    ]
    assert user_errors(updated) == [("subrun", "VALIDATION_FAILED")]
    assert await read_run(api, run["id"]) == run
