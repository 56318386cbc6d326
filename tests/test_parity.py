"""REST and GraphQL on one code path: the same operations give the same runs and errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from tests.rest.helpers import FIELDS
from tests.schema.helpers import (
    LIST_RUNS,
    RUN_FIELDS,
    UPDATE_RUN,
    create_preset,
    read_run,
    request_bills,
    set_run_columns,
    update_preset,
)

RUNS = "/billingRuns/"

CREATE_RUN = (
    RUN_FIELDS
    + """
mutation CreateRun($input: CreateBillingRunInput!) {
  createBillingRun(input: $input) {
    billingRun { ...RunFields }
    userErrors { field code message }
  }
}
"""
)

CONTRACT_FIELDS = set(FIELDS)

READY = {"invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01", "dueDate": "2026-12-15"}


# --- the two transports, side by side ------------------------------------------------


async def _rest(api, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
    """Status and body, numbers read exactly (0.00 stays Decimal('0.00'))."""
    response = await api.rest(method, path, **kwargs)
    return response.status, json.loads(await response.text(), parse_float=Decimal)


def _from_rest(run: dict[str, Any]) -> dict[str, Any]:
    """A REST run in GraphQL's terms: money is a JSON number there, a string here."""
    assert set(run) == CONTRACT_FIELDS
    assert isinstance(run["invoiceAmount"], Decimal)
    return {**run, "invoiceAmount": str(run["invoiceAmount"])}


async def _rest_create(api, fields: dict[str, Any]) -> dict[str, Any]:
    status, body = await _rest(api, "POST", RUNS, json=fields)
    assert status == 201, body
    return body


async def _gql_create(api, fields: dict[str, Any]) -> dict[str, Any]:
    payload = (await api.gql(CREATE_RUN, {"input": fields}))["createBillingRun"]
    assert payload["userErrors"] == [], payload
    return payload["billingRun"]


async def _rest_list(api, **params: Any) -> list[dict[str, Any]]:
    status, body = await _rest(api, "GET", RUNS, params=params)
    assert status == 200, body
    return [_from_rest(run) for run in body]


async def _gql_list(api, **arguments: Any) -> list[dict[str, Any]]:
    connection = (await api.gql(LIST_RUNS, arguments))["billingRuns"]
    assert connection["totalCount"] == len(connection["nodes"])
    return connection["nodes"]


async def _both_lists(api, **filters: Any) -> list[dict[str, Any]]:
    """The runs both transports list for these filters, after checking they agree."""
    rest = await _rest_list(api, **filters)
    graphql = await _gql_list(api, **filters)
    assert rest == graphql
    return rest


async def _both_reads(api, run_id: str) -> dict[str, Any]:
    status, body = await _rest(api, "GET", f"{RUNS}{run_id}")
    assert status == 200, body
    rest = _from_rest(body)
    assert rest == await read_run(api, run_id)
    return rest


def _rest_error(body: dict[str, Any]) -> tuple[str, list[str | None]]:
    error = body["error"]
    fields = (
        [d.get("field") for d in error["details"]] if "details" in error else [error.get("field")]
    )
    return error["code"], sorted(fields, key=str)


def _gql_error(payload: dict[str, Any]) -> tuple[str, list[str | None]]:
    assert payload["userErrors"], payload
    assert len({e["code"] for e in payload["userErrors"]}) == 1
    return payload["userErrors"][0]["code"], sorted(
        (e["field"] for e in payload["userErrors"]), key=str
    )


async def _rest_update_error(api, run_id: str, fields: dict[str, Any]) -> tuple[str, list]:
    status, body = await _rest(api, "PATCH", f"{RUNS}{run_id}", json=fields)
    assert status >= 400, body
    return _rest_error(body)


async def _gql_update_error(api, run_id: str, fields: dict[str, Any]) -> tuple[str, list]:
    payload = (await api.gql(UPDATE_RUN, {"id": run_id, "input": fields}))["updateBillingRun"]
    assert payload["billingRun"] is None
    return _gql_error(payload)


def _at(month: int, hour: int) -> datetime:
    return datetime(2026, month, 1, hour, tzinfo=UTC)


# --- the same runs -------------------------------------------------------------------


async def _six_runs_through_both(api) -> list[str]:
    """Six runs, created and changed alternately through REST and GraphQL.

    Run i (from 1) is created at 2026-01-01 i:00 UTC and last updated at 2026-02-01
    (7 - i):00 UTC, so the created and updated orders run opposite ways.
    """
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "billingSubrun", "South")
    await create_preset(api, "invoiceMessage", "Seasonal", "Happy holidays")
    specs = [
        {"name": "One", "subrun": "North", **READY},
        {"name": "Two", "invoiceMessage": "Seasonal", "invoiceDate": "2026-12-01"},
        {"name": "Three", "subrun": "South", "transactionCutoffDate": "2026-11-30", **READY},
        {"name": "Four"},
        {"name": "Five", "subrun": None, "invoiceMessage": None, "dueDate": "2027-01-31"},
        {"name": "Six", "subrun": "North", "invoiceMessage": "Seasonal"},
    ]
    ids = []
    for n, spec in enumerate(specs):
        create = _rest_create if n % 2 == 0 else _gql_create
        ids.append((await create(api, spec))["id"])

    status, body = await _rest(api, "PATCH", f"{RUNS}{ids[1]}", json={"name": "Two, renamed"})
    assert status == 200, body
    payload = (await api.gql(UPDATE_RUN, {"id": ids[3], "input": {"cutoffDate": "2026-12-02"}}))[
        "updateBillingRun"
    ]
    assert payload["userErrors"] == []
    status, body = await _rest(api, "PATCH", f"{RUNS}{ids[0]}", json={"status": "Requested"})
    assert status == 200, body
    assert (await request_bills(api, ids[2]))["userErrors"] == []

    for i, run_id in enumerate(ids, start=1):
        await set_run_columns(api, run_id, created=_at(1, i), updated=_at(2, 7 - i))
    return ids


async def test_runs_written_through_either_transport_read_the_same_through_both(api):
    ids = await _six_runs_through_both(api)

    runs = await _both_lists(api)

    assert [run["id"] for run in runs] == ids
    assert [run["name"] for run in runs] == ["One", "Two, renamed", "Three", "Four", "Five", "Six"]
    assert [run["status"] for run in runs] == ["Requested", "Pending", "Requested"] + [
        "Pending"
    ] * 3
    assert runs[0]["subrun"] == "North" and runs[1]["invoiceMessage"] == "Seasonal"
    assert runs[3]["cutoffDate"] == "2026-12-02"
    assert all(run["invoiceAmount"] == "0.00" for run in runs)
    assert runs[0]["createdDate"] == "2026-01-01T01:00:00.000000+00:00"
    for run_id in ids:
        await _both_reads(api, run_id)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"idAfter": "{2}"}, [3, 4, 5, 6]),
        ({"idAfter": "{6}"}, []),
        ({"idAfter": "99999999999"}, []),
        ({"createdSince": "2026-01-01T04:00:00Z"}, [4, 5, 6]),
        ({"createdSince": "2026-01-01T06:00:00+02:00"}, [4, 5, 6]),
        ({"createdSince": "2026-01-01T03:59:59.999999-00:00"}, [4, 5, 6]),
        ({"createdSince": "2026-01-01"}, [1, 2, 3, 4, 5, 6]),
        ({"updatedSince": "2026-02-01T04:00:00Z"}, [1, 2, 3]),
        ({"updatedSince": "2026-01-31T23:00:00-05:00"}, [1, 2, 3]),
        ({"updatedSince": "2026-02-01T04:00:00"}, [1, 2, 3]),
        ({"idAfter": "{1}", "createdSince": "2026-01-01T02:00:00Z"}, [2, 3, 4, 5, 6]),
        (
            {"createdSince": "2026-01-01T02:00:00Z", "updatedSince": "2026-02-01T03:00:00Z"},
            [2, 3, 4],
        ),
        (
            {
                "idAfter": "{2}",
                "createdSince": "2026-01-01T03:30:00+00:00",
                "updatedSince": "2026-02-01T07:00:00+05:00",
            },
            [4, 5],
        ),
    ],
)
async def test_both_transports_filter_runs_alike(api, filters, expected):
    ids = await _six_runs_through_both(api)
    filters = {
        name: value.format(*[None, *ids]) if name == "idAfter" else value
        for name, value in filters.items()
    }

    runs = await _both_lists(api, **filters)

    assert [run["id"] for run in runs] == [ids[n - 1] for n in expected]


async def test_id_after_given_to_graphql_as_a_number_matches_rest(api):
    ids = await _six_runs_through_both(api)

    rest = await _rest_list(api, idAfter=ids[3])
    graphql = await _gql_list(api, idAfter=int(ids[3]))

    assert rest == graphql
    assert [run["id"] for run in rest] == ids[4:]


async def test_rest_pages_and_graphql_pages_hold_the_same_runs(api):
    ids = await _six_runs_through_both(api)

    rest_pages = [await _rest_list(api, limit=4, offset=offset) for offset in (0, 4)]
    first = (await api.gql(LIST_RUNS, {"first": 4}))["billingRuns"]
    second = (await api.gql(LIST_RUNS, {"first": 4, "after": first["pageInfo"]["endCursor"]}))[
        "billingRuns"
    ]

    assert [first["nodes"], second["nodes"]] == rest_pages
    assert [run["id"] for page in rest_pages for run in page] == ids


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("idAfter", "abc"),
        ("idAfter", "-1"),
        ("idAfter", "9223372036854775808"),
        ("createdSince", "yesterday"),
        ("createdSince", "2026-02-30"),
        ("createdSince", "0001-01-01T00:00:00+01:00"),
        ("updatedSince", "9999-12-31T23:00:00-05:00"),
        ("updatedSince", "2026-01-01T11:00"),
    ],
)
async def test_a_filter_value_refused_by_one_transport_is_refused_by_the_other(
    api, parameter, value
):
    await _gql_create(api, {"name": "Run"})

    status, body = await _rest(api, "GET", RUNS, params={parameter: value})
    response = await api.graphql(LIST_RUNS, {parameter: value})
    errors = (await response.json())["errors"]

    assert status == 400, body
    assert body["error"]["code"] == "BAD_REQUEST"
    assert body["error"]["field"] == parameter
    assert [error["extensions"]["code"] for error in errors] == ["BAD_USER_INPUT"]


# --- the same errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": ""}, ("VALIDATION_FAILED", ["name"])),
        ({"name": None}, ("VALIDATION_FAILED", ["name"])),
        ({"name": "x" * 256}, ("VALIDATION_FAILED", ["name"])),
        ({"name": "nul\u0000inside"}, ("VALIDATION_FAILED", ["name"])),
        ({"subrun": "Nowhere"}, ("VALIDATION_FAILED", ["subrun"])),
        ({"invoiceMessage": "North"}, ("VALIDATION_FAILED", ["invoiceMessage"])),
        ({"dueDate": "2026-11-30"}, ("VALIDATION_FAILED", ["dueDate"])),
        ({"invoiceDate": "2026-12-16"}, ("VALIDATION_FAILED", ["dueDate"])),
        (
            {"name": "", "subrun": "Nowhere", "invoiceMessage": "Nothing"},
            ("VALIDATION_FAILED", ["invoiceMessage", "name", "subrun"]),
        ),
        ({"subrun": "Retired"}, ("VALIDATION_FAILED", ["subrun"])),
    ],
)
async def test_the_same_bad_update_fails_alike_on_both_and_changes_nothing(api, fields, expected):
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "billingSubrun", "Retired")
    await update_preset(api, "billingSubrun", "Retired", retired=True)
    run = await _gql_create(api, {"name": "Run", **READY})

    rest = await _rest_update_error(api, run["id"], fields)
    graphql = await _gql_update_error(api, run["id"], fields)

    assert rest == graphql == expected
    assert await _both_reads(api, run["id"]) == run


async def test_the_same_bad_create_fails_alike_on_both_and_creates_nothing(api):
    fields = {"name": "Run", "subrun": "Nowhere", "invoiceDate": "2026-12-15", "dueDate": None}

    status, body = await _rest(api, "POST", RUNS, json={**fields, "invoiceMessage": "Nothing"})
    payload = (await api.gql(CREATE_RUN, {"input": {**fields, "invoiceMessage": "Nothing"}}))[
        "createBillingRun"
    ]

    assert status == 422
    assert (
        _rest_error(body)
        == _gql_error(payload)
        == (
            "VALIDATION_FAILED",
            ["invoiceMessage", "subrun"],
        )
    )
    assert await _both_lists(api) == []


@pytest.mark.parametrize("run_id", ["999999", "99999999999", "abc"])
async def test_an_unknown_run_is_not_found_on_both(api, run_id):
    status, body = await _rest(api, "PATCH", f"{RUNS}{run_id}", json={"name": "Renamed"})
    payload = (await api.gql(UPDATE_RUN, {"id": run_id, "input": {"name": "Renamed"}}))[
        "updateBillingRun"
    ]

    assert status == 404
    assert body["error"]["code"] == _gql_error(payload)[0] == "NOT_FOUND"


@pytest.mark.parametrize("requested_through", ["REST", "GraphQL"])
@pytest.mark.parametrize(
    "change",
    [
        {"invoiceDate": "2026-12-02"},
        {"cutoffDate": "2026-12-02"},
        {"transactionCutoffDate": "2026-12-02"},
        {"dueDate": None},
        {"subrun": "South"},
        {"invoiceMessage": "Seasonal"},
        {"name": "Renamed", "cutoffDate": "2026-11-01"},
    ],
)
async def test_the_lock_holds_identically_on_both(api, requested_through, change):
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "billingSubrun", "South")
    await create_preset(api, "invoiceMessage", "Seasonal")
    run = await _rest_create(api, {"name": "Run", "subrun": "North", **READY})
    if requested_through == "REST":
        status, _ = await _rest(api, "PATCH", f"{RUNS}{run['id']}", json={"status": "Requested"})
        assert status == 200
    else:
        assert (await request_bills(api, run["id"]))["userErrors"] == []
    requested = await _both_reads(api, run["id"])
    locked = [field for field in change if field != "name"]

    rest = await _rest_update_error(api, run["id"], change)
    graphql = await _gql_update_error(api, run["id"], change)

    assert rest == graphql == ("FIELD_LOCKED", locked)
    assert await _both_reads(api, run["id"]) == requested


async def test_after_the_lock_both_accept_current_values_and_a_new_name(api):
    await create_preset(api, "billingSubrun", "North")
    run = await _gql_create(api, {"name": "Run", "subrun": "North", **READY})
    assert (await request_bills(api, run["id"]))["userErrors"] == []
    same = {"subrun": "North", "invoiceMessage": None, **READY}

    status, rest = await _rest(api, "PATCH", f"{RUNS}{run['id']}", json={**same, "name": "R"})
    payload = (await api.gql(UPDATE_RUN, {"id": run["id"], "input": {**same, "name": "G"}}))[
        "updateBillingRun"
    ]

    assert status == 200 and rest["name"] == "R" and rest["status"] == "Requested"
    assert payload["userErrors"] == [] and payload["billingRun"]["name"] == "G"
    assert {k: v for k, v in _from_rest(rest).items() if k not in ("name", "updatedDate")} == {
        k: v for k, v in payload["billingRun"].items() if k not in ("name", "updatedDate")
    }


async def test_a_run_in_progress_blocks_a_request_alike_on_both(api):
    first = await _rest_create(api, {"name": "First", **READY})
    second = await _gql_create(api, {"name": "Second", **READY})
    assert (await request_bills(api, first["id"]))["userErrors"] == []

    status, body = await _rest(api, "PATCH", f"{RUNS}{second['id']}", json={"status": "Requested"})
    payload = await request_bills(api, second["id"])

    assert status == 409
    assert _rest_error(body) == _gql_error(payload) == ("RUN_IN_PROGRESS", ["status"])
    assert await _both_reads(api, second["id"]) == second


async def test_requesting_bills_without_dates_fails_alike_on_both(api):
    run = await _rest_create(api, {"name": "Run"})

    status, body = await _rest(api, "PATCH", f"{RUNS}{run['id']}", json={"status": "Requested"})
    payload = await request_bills(api, run["id"])

    assert status == 422
    assert (
        _rest_error(body)
        == _gql_error(payload)
        == (
            "VALIDATION_FAILED",
            ["cutoffDate", "invoiceDate"],
        )
    )
    assert (await _both_reads(api, run["id"]))["status"] == "Pending"
