"""The /customers resource: create, read, list, update, and every kind of bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from tests.rest.billing_data import (
    CUSTOMERS,
    bill,
    create_call,
    create_customer,
    exact,
    raw,
    refused,
    written,
)
from tests.rest.helpers import add_preset, error_of, retire_preset

FIELDS = [
    "id",
    "accountNumber",
    "name",
    "subrun",
    "invoiceMessage",
    "lowValuePolicy",
    "minimumAmount",
    "lowUsageFee",
    "createdDate",
    "updatedDate",
]
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00")


def path(customer: dict) -> str:
    return f"{CUSTOMERS}{customer['id']}"


async def list_customers(api, **params) -> list[dict]:
    return await api.rest_json("GET", CUSTOMERS, params=params)


async def patch(api, customer: dict, **fields) -> dict:
    return await api.rest_json("PATCH", path(customer), json=fields)


async def refused_create(api, field: str | None, **fields) -> dict:
    body = {"accountNumber": "NEW1", "name": "New", **fields}
    return await refused(
        api, "POST", CUSTOMERS, 422, "VALIDATION_FAILED", field, unchanged=CUSTOMERS, json=body
    )


async def refused_patch(api, customer: dict, status: int, code: str, field: str | None, **fields):
    error = await refused(
        api, "PATCH", path(customer), status, code, field, unchanged=CUSTOMERS, json=fields
    )
    return error


# --- create and read ---------------------------------------------------------------------


async def test_create_returns_201_and_a_customer_shaped_like_the_contract(api):
    response = await api.rest("POST", CUSTOMERS, json={"accountNumber": "DEMO-1234", "name": "Ann"})
    text = await response.text()
    assert response.status == 201, text
    assert '"minimumAmount":0.00' in text and '"lowUsageFee":0.00' in text
    customer = await response.json()
    assert list(customer) == FIELDS
    assert isinstance(customer["id"], str) and customer["id"].isdigit()
    assert customer["accountNumber"] == "DEMO-1234"
    assert customer["lowValuePolicy"] == "NONE"
    assert customer["subrun"] is None and customer["invoiceMessage"] is None
    assert DATETIME.fullmatch(customer["createdDate"])
    assert customer["updatedDate"] == customer["createdDate"]
    created = datetime.fromisoformat(customer["createdDate"])
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=1)


async def test_create_sets_presets_by_name_and_money_with_two_places(api):
    await add_preset(api, "billingSubrun", "East")
    await add_preset(api, "invoiceMessage", "Seasonal")
    customer = await create_customer(
        api,
        subrun="East",
        invoiceMessage="Seasonal",
        lowValuePolicy="FEE",
        minimumAmount="12.5",
        lowUsageFee=3,
    )
    assert (customer["subrun"], customer["invoiceMessage"]) == ("East", "Seasonal")
    assert customer["lowValuePolicy"] == "FEE"
    assert await written(api, path(customer), "minimumAmount") == ["12.50"]
    assert await written(api, path(customer), "lowUsageFee") == ["3.00"]


@pytest.mark.parametrize("policy", ["NONE", "SKIP", "PAD", "FEE"])
async def test_every_low_value_policy_is_accepted(api, policy):
    assert (await create_customer(api, lowValuePolicy=policy))["lowValuePolicy"] == policy


async def test_json_numbers_for_money_stay_exact(api):
    body = '{"accountNumber": "EXACT", "name": "E", "minimumAmount": 0.10, "lowUsageFee": 2E-1}'
    customer = await exact(api, "POST", CUSTOMERS, 201, **raw(body))
    read = await exact(api, "GET", path(customer))
    assert read["minimumAmount"] == Decimal("0.10")
    assert read["lowUsageFee"] == Decimal("0.20")


async def test_get_returns_the_customer_as_created(api):
    customer = await create_customer(api)
    assert await api.rest_json("GET", path(customer)) == customer
    assert await api.rest_json("GET", path(customer) + "/") == customer


@pytest.mark.parametrize("ident", ["999999", "abc", "-1", "1.5", "99999999999999999999999"])
async def test_an_unknown_or_malformed_id_is_404(api, ident):
    await create_customer(api)
    await error_of(await api.rest("GET", f"{CUSTOMERS}{ident}"), 404, "NOT_FOUND")
    response = await api.rest("PATCH", f"{CUSTOMERS}{ident}", json={"name": "x"})
    await error_of(response, 404, "NOT_FOUND")


async def test_form_encoded_bodies_create_customers(api):
    response = await api.rest(
        "POST", CUSTOMERS, data={"accountNumber": "FORM1", "name": "Form", "minimumAmount": "5"}
    )
    assert response.status == 201, await response.text()
    customer = await exact(api, "GET", path(await response.json()))
    assert customer["minimumAmount"] == Decimal("5.00")


# --- lists -------------------------------------------------------------------------------


async def test_list_is_a_bare_array_in_id_order_with_paths_with_or_without_slash(api):
    created = [await create_customer(api) for _ in range(3)]
    assert await list_customers(api) == created
    assert await api.rest_json("GET", CUSTOMERS.rstrip("/")) == created


async def test_list_filters_and_pages(api):
    created = [await create_customer(api) for _ in range(5)]
    assert await list_customers(api, idAfter=created[1]["id"]) == created[2:]
    assert await list_customers(api, limit=2, offset=1) == created[1:3]
    assert await list_customers(api, createdSince=created[3]["createdDate"]) == created[3:]
    changed = await patch(api, created[0], name="Renamed")
    assert await list_customers(api, updatedSince=changed["updatedDate"]) == [changed]
    assert await list_customers(api, idAfter=99999999999) == []


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("limit", "0"),
        ("limit", "1001"),
        ("offset", "-1"),
        ("idAfter", "x"),
        ("createdSince", "now"),
    ],
)
async def test_a_bad_list_parameter_is_400_naming_it(api, param, value):
    response = await api.rest("GET", CUSTOMERS, params={param: value})
    await error_of(response, 400, "BAD_REQUEST", param)


async def test_an_unknown_list_parameter_is_400(api):
    await error_of(await api.rest("GET", CUSTOMERS, params={"billed": "true"}), 400, "BAD_REQUEST")


# --- updates -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
async def test_update_changes_only_the_fields_sent(api, method):
    customer = await create_customer(api, lowValuePolicy="PAD", minimumAmount="10")
    updated = await api.rest_json(
        method, path(customer), json={"name": "Renamed", "minimumAmount": "7.25"}
    )
    assert updated["name"] == "Renamed"
    assert updated["lowValuePolicy"] == "PAD"
    assert await written(api, path(customer), "minimumAmount") == ["7.25"]
    assert updated["updatedDate"] > customer["updatedDate"]
    assert updated["createdDate"] == customer["createdDate"]


async def test_a_write_that_changes_nothing_keeps_updated_date(api):
    customer = await create_customer(api, minimumAmount="10")
    same = await patch(api, customer, name=customer["name"], minimumAmount="10.000")
    assert same == customer
    assert await patch(api, customer) == customer


async def test_get_edit_patch_round_trips_with_the_read_only_fields(api):
    customer = await create_customer(api)
    edited = {**customer, "name": "Edited"}
    updated = await api.rest_json("PATCH", path(customer), json=edited)
    assert updated["name"] == "Edited"
    assert updated["id"] == customer["id"]


async def test_presets_can_be_cleared_with_null(api):
    await add_preset(api, "billingSubrun", "East")
    customer = await create_customer(api, subrun="East")
    assert (await patch(api, customer, subrun=None))["subrun"] is None


async def test_a_retired_preset_stays_on_a_customer_that_has_it(api):
    await add_preset(api, "invoiceMessage", "Old")
    customer = await create_customer(api, invoiceMessage="Old")
    await retire_preset(api, "invoiceMessage", "Old")
    kept = await patch(api, customer, invoiceMessage="Old", name="Still old")
    assert kept["invoiceMessage"] == "Old"
    error = await refused_create(api, "invoiceMessage", invoiceMessage="Old")
    assert "retired" in error["message"]


async def test_the_account_number_can_change_until_the_customer_is_invoiced(api):
    customer = await create_customer(api)
    renamed = await patch(api, customer, accountNumber="RENAMED")
    assert renamed["accountNumber"] == "RENAMED"
    await create_call(api, renamed)
    await bill(api)
    await refused_patch(api, renamed, 409, "FIELD_LOCKED", "accountNumber", accountNumber="OTHER")
    assert (await patch(api, renamed, accountNumber="RENAMED", name="Ok"))["name"] == "Ok"


# --- bad input ---------------------------------------------------------------------------


async def test_a_duplicate_account_number_is_422_on_create_and_update(api):
    first = await create_customer(api, accountNumber="TAKEN")
    second = await create_customer(api, accountNumber="FREE")
    error = await refused_create(api, "accountNumber", accountNumber="TAKEN")
    assert "TAKEN" in error["message"]
    await refused_patch(
        api, second, 422, "VALIDATION_FAILED", "accountNumber", accountNumber="TAKEN"
    )
    assert (await api.rest_json("GET", path(first)))["accountNumber"] == "TAKEN"


@pytest.mark.parametrize(
    "account",
    ["", "has space", "A" * 33, "ÄBC", "a_b", "x/1", 1234, None, ["A"]],
    ids=[
        "empty",
        "space",
        "too-long",
        "non-ascii",
        "underscore",
        "slash",
        "number",
        "null",
        "list",
    ],
)
async def test_a_malformed_account_number_is_422(api, account):
    await refused_create(api, "accountNumber", accountNumber=account)


async def test_account_numbers_of_32_characters_with_dashes_are_fine(api):
    customer = await create_customer(api, accountNumber="a-Z-09" + "x" * 26)
    assert len(customer["accountNumber"]) == 32


async def test_a_missing_account_number_or_name_is_422(api):
    response = await api.rest("POST", CUSTOMERS, json={"name": "No account"})
    await error_of(response, 422, "VALIDATION_FAILED", "accountNumber")
    response = await api.rest("POST", CUSTOMERS, json={"accountNumber": "NONAME"})
    await error_of(response, 422, "VALIDATION_FAILED", "name")


@pytest.mark.parametrize(
    "name",
    ["", "   ", "x" * 256, 42, None, "nul\x00"],
    ids=["empty", "blank", "long", "n", "null", "nul"],
)
async def test_a_bad_name_is_422(api, name):
    await refused_create(api, "name", name=name)


@pytest.mark.parametrize("policy", ["none", "MINIMUM", "", 1])
async def test_an_unknown_low_value_policy_is_422(api, policy):
    error = await refused_create(api, "lowValuePolicy", lowValuePolicy=policy)
    assert "NONE, SKIP, PAD, FEE" in error["message"]


@pytest.mark.parametrize(
    "amount",
    ["1.234", 0.005, "-1", -0.01, "abc", "1e3", "", True, None, "1,000", "NaN"],
    ids=[
        "three-places",
        "three-places-number",
        "negative",
        "negative-number",
        "text",
        "exponent-text",
        "empty",
        "bool",
        "null",
        "comma",
        "nan",
    ],
)
@pytest.mark.parametrize("field", ["minimumAmount", "lowUsageFee"])
async def test_bad_money_is_422(api, field, amount):
    await refused_create(api, field, **{field: amount})


async def test_an_amount_too_large_to_store_is_422(api):
    await refused_create(api, "minimumAmount", minimumAmount="100000000000000")


async def test_an_unknown_preset_is_422_listing_the_valid_names(api):
    await add_preset(api, "billingSubrun", "East")
    error = await refused_create(api, "subrun", subrun="West")
    assert "East" in error["message"]
    await refused_create(api, "invoiceMessage", invoiceMessage="Nope")


async def test_unknown_fields_are_422_naming_them(api):
    error = await refused_create(api, "colour", colour="red", size=1)
    assert "colour" in error["message"] and "size" in error["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", "1"), ("createdDate", "2026-01-01T00:00:00Z"), ("updatedDate", "2026-01-01")],
)
async def test_read_only_fields_are_422_on_create(api, field, value):
    await refused_create(api, field, **{field: value})


@pytest.mark.parametrize("field", ["id", "createdDate", "updatedDate"])
async def test_changing_a_read_only_field_is_422(api, field):
    customer = await create_customer(api)
    await refused_patch(
        api, customer, 422, "VALIDATION_FAILED", field, **{field: "2020-01-01T00:00:00Z"}
    )


async def test_several_problems_are_listed_in_details(api):
    error = await refused_create(api, None, accountNumber="bad one", lowValuePolicy="X")
    assert {detail["field"] for detail in error["details"]} == {"accountNumber", "lowValuePolicy"}


async def test_a_body_that_is_not_an_object_is_422(api):
    response = await api.rest("POST", CUSTOMERS, json=[{"accountNumber": "A", "name": "B"}])
    await error_of(response, 422, "VALIDATION_FAILED")


async def test_delete_is_405(api):
    customer = await create_customer(api)
    await error_of(await api.rest("DELETE", path(customer)), 405, "METHOD_NOT_ALLOWED")
