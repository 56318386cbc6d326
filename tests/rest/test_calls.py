"""The /calls resource: one call or an array (all or nothing), exact charges, the list
filters, the lists nested under a customer or an invoice, and every kind of bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.rest.billing_data import (
    CALLS,
    bill,
    call_fields,
    create_call,
    create_customer,
    exact,
    raw,
    refused,
    written,
)
from tests.rest.helpers import error_of

FIELDS = [
    "id",
    "customerId",
    "startTime",
    "duration",
    "numberDialled",
    "charge",
    "invoiceId",
    "createdDate",
    "updatedDate",
]


async def list_calls(api, **params) -> list[dict]:
    return await api.rest_json("GET", CALLS, params=params)


async def refused_post(api, field: str | None, body, status: int = 422) -> dict:
    code = "VALIDATION_FAILED" if status == 422 else "BAD_REQUEST"
    return await refused(api, "POST", CALLS, status, code, field, unchanged=CALLS, json=body)


def ids(found: list[dict]) -> list[str]:
    return [call["id"] for call in found]


# --- create and read ---------------------------------------------------------------------


async def test_post_one_call_returns_201_and_the_call_shaped_like_the_contract(api):
    customer = await create_customer(api)
    call = await create_call(api, customer, startTime="2026-11-20T12:30:00+02:00")
    assert list(call) == FIELDS
    assert call["customerId"] == customer["id"]
    assert call["startTime"] == "2026-11-20T10:30:00.000000+00:00"
    assert call["duration"] == 60
    assert call["invoiceId"] is None
    assert call["updatedDate"] == call["createdDate"]
    assert await api.rest_json("GET", f"{CALLS}{call['id']}") == call


@pytest.mark.parametrize(
    ("sent", "text"),
    [
        ("1.2345", "1.2345"),
        ("12.5", "12.50"),
        ("0", "0.00"),
        ("7.1000", "7.10"),
        ("0.001", "0.0010"),
        ("99999999999999.9999", "99999999999999.9999"),
    ],
)
async def test_a_charge_is_written_exactly_with_at_least_two_places(api, sent, text):
    customer = await create_customer(api)
    call = await create_call(api, customer, charge=sent)
    assert await written(api, f"{CALLS}{call['id']}", "charge") == [text]


async def test_json_number_charges_are_read_exactly(api):
    customer = await create_customer(api)
    body = (
        f'[{{"customerId": {customer["id"]}, "startTime": "2026-11-20T10:00:00Z", '
        f'"duration": "30", "numberDialled": "999", "charge": 0.1}}, '
        f'{{"customerId": "{customer["id"]}", "startTime": "2026-11-20", '
        f'"duration": 0, "numberDialled": "999", "charge": 1E2}}]'
    )
    calls = await exact(api, "POST", CALLS, 201, **raw(body))
    assert [call["charge"] for call in calls] == [Decimal("0.10"), Decimal("100.00")]
    assert calls[1]["startTime"] == "2026-11-20T00:00:00.000000+00:00"
    assert calls[0]["duration"] == 30


async def test_post_an_array_creates_every_call_in_order(api):
    customer = await create_customer(api)
    body = [call_fields(customer, charge=f"{n}.25", numberDialled=f"0{n}") for n in range(5)]
    created = await api.rest_json("POST", CALLS, 201, json=body)
    assert [call["numberDialled"] for call in created] == [f"0{n}" for n in range(5)]
    assert [int(call["id"]) for call in created] == sorted(int(call["id"]) for call in created)
    assert await list_calls(api) == created


async def test_a_large_array_is_created_whole_and_in_order(api):
    customer = await create_customer(api)
    body = [call_fields(customer, duration=n) for n in range(2500)]
    created = await api.rest_json("POST", CALLS, 201, json=body)
    assert [call["duration"] for call in created] == list(range(2500))
    assert await list_calls(api, limit=1000, offset=2000) == created[2000:]


async def test_an_empty_array_creates_nothing(api):
    assert await api.rest_json("POST", CALLS + "", 201, json=[]) == []
    assert await list_calls(api) == []


async def test_paths_work_without_the_trailing_slash(api):
    customer = await create_customer(api)
    call = await api.rest_json("POST", CALLS.rstrip("/"), 201, json=call_fields(customer))
    assert await api.rest_json("GET", CALLS.rstrip("/")) == [call]
    assert await api.rest_json("GET", f"{CALLS}{call['id']}/") == call


@pytest.mark.parametrize("ident", ["424242", "x", "1e3", "-1"])
async def test_an_unknown_or_malformed_call_id_is_404(api, ident):
    await error_of(await api.rest("GET", f"{CALLS}{ident}"), 404, "NOT_FOUND")


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE"])
async def test_calls_cannot_be_changed_or_deleted(api, method):
    call = await create_call(api, await create_customer(api))
    response = await api.rest(method, f"{CALLS}{call['id']}", json={"duration": 1})
    await error_of(response, 405, "METHOD_NOT_ALLOWED")


# --- all or nothing and bad input ------------------------------------------------------


async def test_one_bad_item_in_an_array_creates_nothing_and_is_named_by_index(api):
    customer = await create_customer(api)
    body = [call_fields(customer) for _ in range(5)]
    body[3]["charge"] = "1.23456"
    error = await refused_post(api, "[3].charge", body)
    assert error["message"].startswith("[3].charge")


async def test_every_bad_item_is_listed(api):
    customer = await create_customer(api)
    body = [call_fields(customer), call_fields(customer, duration=-1), "not an object"]
    body[0].pop("numberDialled")
    error = await refused_post(api, "[0].numberDialled", body)
    fields = [detail["field"] for detail in error["details"]]
    assert fields == ["[0].numberDialled", "[1].duration", "[2]"]


async def test_a_single_object_names_fields_without_an_index(api):
    customer = await create_customer(api)
    await refused_post(api, "charge", call_fields(customer, charge="-0.01"))


async def test_an_unknown_customer_is_422(api):
    customer = await create_customer(api)
    error = await refused_post(api, "customerId", call_fields(customer, customerId="999999"))
    assert "999999" in error["message"]
    body = [call_fields(customer), call_fields(customer, customerId=123456)]
    await refused_post(api, "[1].customerId", body)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("customerId", "abc"),
        ("customerId", True),
        ("customerId", 1.5),
        ("customerId", None),
        ("startTime", "2026-02-30T10:00:00Z"),
        ("startTime", "2026-11-20T25:00:00Z"),
        ("startTime", "20/11/2026 10:00"),
        ("startTime", 1700000000),
        ("startTime", "2026-11-20T10:00:00+25:00"),
        ("duration", -1),
        ("duration", 1.5),
        ("duration", "1.0"),
        ("duration", "sixty"),
        ("duration", True),
        ("duration", 2**31),
        ("numberDialled", ""),
        ("numberDialled", "1" * 33),
        ("numberDialled", 1234),
        ("charge", "1.23456"),
        ("charge", 1.23456),
        ("charge", "-1"),
        ("charge", "1,5"),
        ("charge", "Infinity"),
        ("charge", "0x10"),
        ("charge", " 1.5"),
        ("charge", [1]),
        ("charge", "100000000000000"),
    ],
)
async def test_a_bad_field_is_422_naming_it(api, field, value):
    customer = await create_customer(api)
    await refused_post(api, field, call_fields(customer, **{field: value}))


@pytest.mark.parametrize(
    "field", ["customerId", "startTime", "duration", "numberDialled", "charge"]
)
async def test_each_field_is_required(api, field):
    customer = await create_customer(api)
    body = call_fields(customer)
    body.pop(field)
    error = await refused_post(api, field, body)
    assert "required" in error["message"]


async def test_unknown_and_read_only_fields_are_422(api):
    customer = await create_customer(api)
    error = await refused_post(api, "colour", call_fields(customer, colour="red"))
    assert "colour" in error["message"]
    await refused_post(api, "invoiceId", call_fields(customer, invoiceId="1"))
    await refused_post(api, "id", call_fields(customer, id="1"))
    await refused_post(api, "[0].createdDate", [call_fields(customer, createdDate="2026-01-01")])


async def test_invoice_id_null_repeats_the_value_a_new_call_has(api):
    customer = await create_customer(api)
    assert (await create_call(api, customer, invoiceId=None))["invoiceId"] is None


@pytest.mark.parametrize("body", ['"a string"', "42", "null"])
async def test_a_body_that_is_neither_an_object_nor_an_array_is_422(api, body):
    response = await api.rest("POST", CALLS, **raw(body))
    await error_of(response, 422, "VALIDATION_FAILED")


async def test_malformed_json_is_400(api):
    await error_of(await api.rest("POST", CALLS, **raw("[{")), 400, "BAD_REQUEST")


# --- list filters ------------------------------------------------------------------------


async def test_billed_and_unbilled_filter_by_whether_an_invoice_billed_the_call(api):
    customer = await create_customer(api)
    early = await create_call(api, customer, startTime="2026-11-01T00:00:00Z")
    late = await create_call(api, customer, startTime="2026-12-05T00:00:00Z")
    await bill(api)
    billed = await api.rest_json("GET", f"{CALLS}{early['id']}")
    assert billed["invoiceId"] is not None
    assert billed["updatedDate"] > early["updatedDate"]
    assert ids(await list_calls(api, billed="true")) == [early["id"]]
    assert ids(await list_calls(api, billed="false")) == [late["id"]]
    assert ids(await list_calls(api, unbilled="true")) == [late["id"]]
    assert ids(await list_calls(api, unbilled="false")) == [early["id"]]
    assert ids(await list_calls(api, billed="true", unbilled="false")) == [early["id"]]


async def test_min_and_max_date_compare_the_utc_start_date_with_max_inclusive(api):
    customer = await create_customer(api)
    times = [
        "2026-11-09T23:59:59.999999Z",
        "2026-11-10T00:00:00Z",
        "2026-11-11T01:30:00+02:00",  # 23:30 on the 10th in UTC
        "2026-11-11T23:59:59.999999Z",
        "2026-11-12T00:00:00Z",
    ]
    made = ids([await create_call(api, customer, startTime=time) for time in times])
    assert ids(await list_calls(api, minDate="2026-11-10")) == made[1:]
    assert ids(await list_calls(api, maxDate="2026-11-10")) == made[:3]
    assert ids(await list_calls(api, minDate="2026-11-11", maxDate="2026-11-11")) == [made[3]]
    assert await list_calls(api, minDate="2026-11-12", maxDate="2026-11-11") == []
    assert ids(await list_calls(api, maxDate="9999-12-31")) == made


async def test_the_shared_list_parameters_work_on_calls(api):
    customer = await create_customer(api)
    made = [await create_call(api, customer) for _ in range(4)]
    assert await list_calls(api, idAfter=made[0]["id"], limit=2) == made[1:3]
    assert await list_calls(api, offset=3) == made[3:]
    assert await list_calls(api, createdSince=made[2]["createdDate"]) == made[2:]
    assert await list_calls(api, updatedSince=made[3]["updatedDate"]) == made[3:]


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("billed", "yes"),
        ("unbilled", "1"),
        ("minDate", "2026-02-30"),
        ("maxDate", "2026-11-10T00:00:00Z"),
        ("limit", "1001"),
        ("colour", "red"),
    ],
)
async def test_a_bad_list_parameter_is_400_naming_it(api, param, value):
    response = await api.rest("GET", CALLS, params={param: value})
    await error_of(response, 400, "BAD_REQUEST", param)


async def test_billed_and_unbilled_that_contradict_are_400(api):
    response = await api.rest("GET", CALLS, params={"billed": "true", "unbilled": "true"})
    await error_of(response, 400, "BAD_REQUEST", "unbilled")


async def test_a_customers_calls_are_listed_under_it(api):
    first, second = await create_customer(api), await create_customer(api)
    mine = [await create_call(api, first), await create_call(api, first)]
    await create_call(api, second)
    path = f"/customers/{first['id']}/calls"
    assert await api.rest_json("GET", path) == mine
    assert await api.rest_json("GET", path + "/", params={"idAfter": mine[0]["id"]}) == mine[1:]
    await error_of(await api.rest("GET", path, params={"billed": "maybe"}), 400, "BAD_REQUEST")


async def test_an_invoices_calls_are_listed_under_it(api):
    customer = await create_customer(api)
    billed = [await create_call(api, customer) for _ in range(2)]
    await create_call(api, customer, startTime="2026-12-01T00:00:00Z")
    run = await bill(api)
    invoices = await api.rest_json("GET", f"/billingRuns/{run['id']}/invoices")
    listed = await api.rest_json("GET", f"/invoices/{invoices[0]['id']}/calls/")
    assert ids(listed) == ids(billed)
    assert {call["invoiceId"] for call in listed} == {invoices[0]["id"]}


@pytest.mark.parametrize("parent", ["customers", "invoices"])
@pytest.mark.parametrize("ident", ["424242", "abc"])
async def test_calls_of_an_unknown_parent_are_404(api, parent, ident):
    response = await api.rest("GET", f"/{parent}/{ident}/calls")
    await error_of(response, 404, "NOT_FOUND")
