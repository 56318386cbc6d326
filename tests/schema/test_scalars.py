"""The Date, DateTime and Decimal scalars: strict on input, exact on output."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.schema.helpers import (
    CREATE_RUN,
    UPDATE_RUN,
    codes,
    create_run,
    errors_of,
    list_runs,
    read_run,
    set_run_columns,
    update_run,
)

CREATE_RUN_WITH_INVOICE_DATE_LITERAL = """
mutation { createBillingRun(input: {name: "Run", invoiceDate: %s}) {
  billingRun { id invoiceDate }
  userErrors { field code message }
} }
"""

UPDATE_DUE_DATE_LITERAL = """
mutation { updateBillingRun(id: "%s", input: {dueDate: %s}) {
  billingRun { id dueDate }
  userErrors { field code message }
} }
"""

RUNS_CREATED_SINCE = """
query RunsCreatedSince($since: DateTime) {
  billingRuns(createdSince: $since) { nodes { id } }
}
"""

RUNS_CREATED_SINCE_LITERAL = """
query { billingRuns(createdSince: %s) { nodes { id } } }
"""

RUN_AMOUNT = """
query RunAmount($id: ID!) { billingRun(id: $id) { invoiceAmount } }
"""

BAD_DATES = [20261201, "20261201", "2026-2-1", "2026-02-30", 5, "2026-12-01T00:00:00Z", "", "x"]

GOOD_DATETIMES = [
    "2026-01-01T11:00:00Z",
    "2026-01-01T11:00:00z",
    "2026-01-01T11:00:00+00:00",
    "2026-01-01T11:00:00.000000Z",
    "2026-01-01T12:30:00+01:30",
    "2026-01-01T03:00:00-08:00",
    "2026-01-01T11:00:00",
]

BAD_DATETIMES = [
    "yesterday",
    "",
    "2026-01-01T25:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-02-30",
    "2026-01-01T11:00Z",
    "2026-01-01T11:00:00+0100",
    "2026-01-01T11:00:00 +01:00",
    "1767265200",
    1767265200,
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:00:00-05:00",
]


def _literal(value: object) -> str:
    """A GraphQL literal for a value (strings quoted, numbers bare)."""
    return json.dumps(value)


@pytest.mark.parametrize("value", BAD_DATES)
async def test_a_date_variable_that_is_not_yyyy_mm_dd_is_bad_user_input(api, value):
    errors = await errors_of(api, CREATE_RUN, {"input": {"name": "Run", "invoiceDate": value}})

    assert codes(errors) == ["BAD_USER_INPUT"]
    assert (await list_runs(api))["totalCount"] == 0


@pytest.mark.parametrize("value", BAD_DATES)
async def test_a_date_literal_that_is_not_yyyy_mm_dd_fails_validation(api, value):
    errors = await errors_of(api, CREATE_RUN_WITH_INVOICE_DATE_LITERAL % _literal(value))

    assert codes(errors) == ["GRAPHQL_VALIDATION_FAILED"]
    assert (await list_runs(api))["totalCount"] == 0


@pytest.mark.parametrize("value", BAD_DATES)
async def test_a_bad_date_on_update_changes_nothing(api, value):
    run = await create_run(api, invoiceDate="2026-12-01")

    variable = await errors_of(api, UPDATE_RUN, {"id": run["id"], "input": {"dueDate": value}})
    literal = await errors_of(api, UPDATE_DUE_DATE_LITERAL % (run["id"], _literal(value)))

    assert codes(variable) == ["BAD_USER_INPUT"]
    assert codes(literal) == ["GRAPHQL_VALIDATION_FAILED"]
    assert await read_run(api, run["id"]) == run


async def test_a_date_reads_back_as_written(api):
    run = await create_run(api, invoiceDate="2026-02-28", dueDate="2028-02-29")
    literal = (await api.gql(CREATE_RUN_WITH_INVOICE_DATE_LITERAL % '"0001-01-01"'))[
        "createBillingRun"
    ]

    assert (run["invoiceDate"], run["dueDate"]) == ("2026-02-28", "2028-02-29")
    assert literal["billingRun"]["invoiceDate"] == "0001-01-01"


@pytest.mark.parametrize("since", GOOD_DATETIMES)
async def test_a_datetime_variable_accepts_z_any_offset_or_none(api, since):
    early, late = (await create_run(api))["id"], (await create_run(api))["id"]
    await set_run_columns(api, early, created=datetime(2026, 1, 1, 10, 59, 59, tzinfo=UTC))
    await set_run_columns(api, late, created=datetime(2026, 1, 1, 11, tzinfo=UTC))

    found = (await api.gql(RUNS_CREATED_SINCE, {"since": since}))["billingRuns"]["nodes"]
    literal = (await api.gql(RUNS_CREATED_SINCE_LITERAL % _literal(since)))["billingRuns"]

    assert [node["id"] for node in found] == [late]
    assert literal["nodes"] == found


async def test_a_datetime_may_be_a_bare_date(api):
    run = await create_run(api)
    await set_run_columns(api, run["id"], created=datetime(2026, 1, 1, tzinfo=UTC))

    on_the_day = (await api.gql(RUNS_CREATED_SINCE, {"since": "2026-01-01"}))["billingRuns"]
    day_after = (await api.gql(RUNS_CREATED_SINCE, {"since": "2026-01-02"}))["billingRuns"]

    assert on_the_day["nodes"] == [{"id": run["id"]}]
    assert day_after["nodes"] == []


@pytest.mark.parametrize("since", BAD_DATETIMES)
async def test_a_datetime_variable_that_is_not_rfc_3339_is_bad_user_input(api, since):
    errors = await errors_of(api, RUNS_CREATED_SINCE, {"since": since})

    assert codes(errors) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("since", BAD_DATETIMES)
async def test_a_datetime_literal_that_is_not_rfc_3339_fails_validation(api, since):
    errors = await errors_of(api, RUNS_CREATED_SINCE_LITERAL % _literal(since))

    assert codes(errors) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_datetimes_are_written_in_utc_with_microseconds(api):
    run = await create_run(api)
    await set_run_columns(
        api, run["id"], created=datetime(2026, 1, 1, 10, 0, 0, 120000, tzinfo=UTC)
    )

    found = await read_run(api, run["id"])

    assert found["createdDate"] == "2026-01-01T10:00:00.120000+00:00"
    assert found["updatedDate"].endswith("+00:00")


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        (Decimal("0"), "0.00"),
        (Decimal("12.5"), "12.50"),
        (Decimal("1234.56"), "1234.56"),
        (Decimal("-7"), "-7.00"),
        (Decimal("99999999999999.99"), "99999999999999.99"),
    ],
)
async def test_money_is_a_decimal_string_with_two_places(api, stored, written):
    run = await create_run(api)
    await set_run_columns(api, run["id"], amount=stored)

    found = (await api.gql(RUN_AMOUNT, {"id": run["id"]}))["billingRun"]

    assert found == {"invoiceAmount": written}


async def test_a_new_run_has_an_amount_of_zero_point_zero_zero(api):
    run = await create_run(api)
    updated = await update_run(api, run["id"], name="Renamed")

    assert run["invoiceAmount"] == "0.00"
    assert updated["billingRun"]["invoiceAmount"] == "0.00"
