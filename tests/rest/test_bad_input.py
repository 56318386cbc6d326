"""Bad input on the REST shim: each gets the contract's status and error code, in the
contract's error body, and changes nothing (every run reads back exactly as before)."""

from __future__ import annotations

import io
import json

import pytest

from tests.rest.helpers import (
    READY,
    RUNS,
    add_preset,
    create_run,
    error_of,
    get_run,
    patch_run,
    refused,
    retire_preset,
    run_path,
)

JSON = {"Content-Type": "application/json"}
WRITES = ["POST", "PATCH", "PUT"]


async def target(api, method: str) -> str:
    """The path a write goes to: the collection for POST, an existing run otherwise."""
    if method == "POST":
        await create_run(api, "Bystander", **READY)
        return RUNS
    return run_path(await create_run(api, "Target", **READY))


def body(method: str, **fields) -> dict:
    """A write body that is valid apart from `fields` (a create needs a name)."""
    return {"name": "Valid", **fields} if method == "POST" else fields


async def refused_on_every_write(
    api, status: int, code: str, field: str | None = None, *, fields=None, **kwargs
) -> list[dict]:
    """`refused` for the same bad input sent as a create, a PATCH and a PUT."""
    errors = []
    for method in WRITES:
        path = await target(api, method)
        if fields is not None:
            kwargs["json"] = body(method, **fields)
        errors.append(await refused(api, method, path, status, code, field, **kwargs))
    return errors


# --- 400 BAD_REQUEST: the body ------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": ',
        b"{'name': 'single quotes'}",
        b'{"name": "x",}',
        b'{"name": "x"} trailing',
        b'{"name": NaN}',
        b"   ",
        b'\xff\xfe{"name": "x"}',
        b"[" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    ],
    ids=[
        "truncated",
        "single-quotes",
        "trailing-comma",
        "trailing-text",
        "nan",
        "blank",
        "not-utf8",
        "deeply-nested-array",
        "deeply-nested-object",
    ],
)
async def test_malformed_json_is_400(api, raw):
    await refused_on_every_write(api, 400, "BAD_REQUEST", data=raw, headers=JSON)


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b"name=\xff\xfe", "application/x-www-form-urlencoded"),
        (b"name=x", "application/x-www-form-urlencoded; charset=no-such-charset"),
        (b"name=x", "multipart/form-data"),
        (b"garbage", "multipart/form-data; boundary=xyz"),
    ],
    ids=["not-utf8", "unknown-charset", "no-boundary", "no-parts"],
)
async def test_a_malformed_form_body_is_400(api, raw, content_type):
    path = await target(api, "PATCH")
    await refused(
        api, "PATCH", path, 400, "BAD_REQUEST", data=raw, headers={"Content-Type": content_type}
    )
    await refused(
        api, "POST", RUNS, 400, "BAD_REQUEST", data=raw, headers={"Content-Type": content_type}
    )


# --- 400 BAD_REQUEST: list parameters -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("idAfter", "abc"),
        ("idAfter", "-1"),
        ("idAfter", "1.5"),
        ("idAfter", ""),
        ("idAfter", str(2**63)),
        ("idAfter", "1" * 5000),
        ("idAfter", "\u0661"),  # ARABIC-INDIC DIGIT ONE
        ("limit", "0"),
        ("limit", "1001"),
        ("limit", "100000"),
        ("limit", "-5"),
        ("limit", "ten"),
        ("limit", ""),
        ("limit", "\u00b2"),  # SUPERSCRIPT TWO
        ("limit", "\uff11"),  # FULLWIDTH DIGIT ONE
        ("limit", "1" * 5000),
        ("offset", "-1"),
        ("offset", "x"),
        ("offset", str(2**63)),
        ("offset", "1" * 5000),
        ("offset", "\u00b2"),
        ("createdSince", "yesterday"),
        ("createdSince", "2026-02-30"),
        ("createdSince", "2026-11-25T25:00:00Z"),
        ("createdSince", "2026-11-25T14:03Z"),
        ("createdSince", "2026-11-25T14:03:07+24:00"),
        ("createdSince", "9999-12-31T23:59:59-05:00"),
        ("createdSince", "0001-01-01T00:00:00+05:00"),
        ("createdSince", "1764079387"),
        ("updatedSince", "last week"),
        ("updatedSince", "2026-11-25 14:03:07 UTC"),
    ],
)
async def test_a_bad_list_parameter_is_400_naming_it(api, name, value):
    await create_run(api)
    error = await error_of(await api.rest("GET", RUNS, params={name: value}), 400, "BAD_REQUEST")
    assert error["field"] == name
    assert name in error["message"]


async def test_a_list_parameter_given_twice_is_400(api):
    response = await api.rest("GET", RUNS + "?limit=1&limit=2")
    await error_of(response, 400, "BAD_REQUEST", "limit")


async def test_list_limits_at_their_bounds_are_accepted(api):
    run = await create_run(api)
    for params in ({"limit": 1}, {"limit": 1000}, {"offset": 0}, {"offset": 2**63 - 1}):
        response = await api.rest("GET", RUNS, params=params)
        assert response.status == 200, (params, await response.text())
    assert await api.rest_json("GET", RUNS, params={"limit": 1}) == [run]


# --- 401 UNAUTHORIZED ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer br_not-a-real-key"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "br_not-a-real-key"},
    ],
    ids=["missing", "unknown-key", "empty-bearer", "basic", "no-scheme"],
)
async def test_no_or_a_wrong_api_key_is_401(api, headers):
    run = await create_run(api)
    for method, path, fields in [
        ("GET", RUNS, None),
        ("GET", run_path(run), None),
        ("POST", RUNS, {"name": "Sneaky"}),
        ("PATCH", run_path(run), {"name": "Sneaky"}),
        ("PUT", run_path(run), {"name": "Sneaky"}),
        ("DELETE", run_path(run), None),
    ]:
        response = await api.client.request(
            method, "/backend/api/v1" + path, headers=headers, json=fields
        )
        await error_of(response, 401, "UNAUTHORIZED")
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert await api.rest_json("GET", RUNS) == [run]


async def test_a_valid_key_is_required_even_for_an_unknown_path(api):
    await refused(api, "GET", "/noSuchThing", 401, "UNAUTHORIZED", keyless=True)


# --- 404 NOT_FOUND ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ident",
    [
        "99999999999",
        "0",
        str(2**63 - 1),
        str(2**63),
        str(2**64),
        "1" * 5000,
        "abc",
        "-1",
        "+1",
        "1.0",
        "1e3",
        "0x1",
        "%20",
        "\u0661",
        "\uff11",
    ],
)
async def test_an_unknown_or_non_numeric_id_is_404(api, ident):
    await create_run(api, **READY)  # id 1 exists: look-alikes of 1 must not find it
    await refused(api, "GET", RUNS + ident, 404, "NOT_FOUND")
    for method in ("PATCH", "PUT"):
        await refused(api, method, RUNS + ident, 404, "NOT_FOUND", json={"name": "Renamed"})


async def test_an_unknown_path_is_404(api):
    run = await create_run(api)
    for path in ("/noSuchThing", f"{run_path(run)}/invoices/extra", "/billingRuns/1/2/3"):
        await refused(api, "GET", path, 404, "NOT_FOUND")


# --- 405 METHOD_NOT_ALLOWED ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "where"),
    [("DELETE", "run"), ("DELETE", "collection"), ("POST", "run"), ("PATCH", "collection")],
)
@pytest.mark.parametrize("slash", ["", "/"])
async def test_a_method_the_path_does_not_take_is_405(api, method, where, slash):
    run = await create_run(api)
    path = (RUNS.rstrip("/") if where == "collection" else run_path(run)) + slash
    response = await api.rest(method, path, json={"name": "Renamed"})
    await error_of(response, 405, "METHOD_NOT_ALLOWED")
    assert "GET" in response.headers["Allow"]
    assert await api.rest_json("GET", RUNS) == [run]


# --- 413 PAYLOAD_TOO_LARGE ----------------------------------------------------------------


@pytest.mark.parametrize("method", WRITES)
@pytest.mark.parametrize(
    ("prefix", "content_type"),
    [(b'{"name": "', "application/json"), (b"name=", "application/x-www-form-urlencoded")],
    ids=["json", "form"],
)
async def test_a_body_of_several_megabytes_is_413(api, method, prefix, content_type):
    path = await target(api, method)
    big = io.BytesIO(prefix + b"x" * 3_000_000 + (b'"}' if content_type.endswith("json") else b""))
    await refused(
        api,
        method,
        path,
        413,
        "PAYLOAD_TOO_LARGE",
        data=big,
        headers={"Content-Type": content_type},
    )


# --- 415 UNSUPPORTED_MEDIA_TYPE -----------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/octet-stream", "application/merge-patch+json"],
)
async def test_a_body_that_is_neither_json_nor_a_form_is_415(api, content_type):
    raw = json.dumps({"name": "Renamed"}).encode()
    headers = {"Content-Type": content_type}
    await refused_on_every_write(api, 415, "UNSUPPORTED_MEDIA_TYPE", data=raw, headers=headers)


# --- 422 VALIDATION_FAILED: the shape of the body -----------------------------------------


@pytest.mark.parametrize("raw", [b'[{"name": "x"}]', b"[]", b'"name"', b"42", b"null", b"true"])
async def test_a_json_body_that_is_not_an_object_is_422(api, raw):
    await refused_on_every_write(api, 422, "VALIDATION_FAILED", data=raw, headers=JSON)


async def test_an_unknown_field_is_422_naming_it(api):
    errors = await refused_on_every_write(
        api, 422, "VALIDATION_FAILED", "colour", fields={"colour": "red"}
    )
    assert all("colour" in error["message"] for error in errors)


async def test_several_unknown_fields_are_all_named(api):
    errors = await refused_on_every_write(
        api, 422, "VALIDATION_FAILED", fields={"colour": "red", "size": 3}
    )
    assert all("colour" in e["message"] and "size" in e["message"] for e in errors)


async def test_an_unknown_form_field_is_422(api):
    path = await target(api, "PATCH")
    await refused(api, "PATCH", path, 422, "VALIDATION_FAILED", "colour", data={"colour": "red"})


async def test_a_form_field_given_twice_is_422(api):
    path = await target(api, "PATCH")
    form = [("name", "One"), ("name", "Two")]
    await refused(api, "PATCH", path, 422, "VALIDATION_FAILED", "name", data=form)


# --- 422: read-only fields ----------------------------------------------------------------

NEW_VALUES = {
    "id": "999",
    "invoiceAmount": 12.5,
    "commencedDate": "2026-11-25T14:03:07.123456+00:00",
    "completedDate": "2026-11-25T14:03:07.123456+00:00",
    "createdDate": "2020-01-01T00:00:00+00:00",
    "updatedDate": "2020-01-01T00:00:00+00:00",
}


@pytest.mark.parametrize(("field", "value"), NEW_VALUES.items())
async def test_a_read_only_field_with_a_new_value_is_422(api, field, value):
    for method in ("PATCH", "PUT"):
        path = await target(api, method)
        fields = {field: value, "name": "Renamed"}
        await refused(api, method, path, 422, "VALIDATION_FAILED", field, json=fields)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", 1.5),
        ("id", None),
        ("invoiceAmount", "lots"),
        ("invoiceAmount", None),
        ("invoiceAmount", True),
        ("createdDate", "9999-12-31T23:59:59-05:00"),
        ("createdDate", "yesterday"),
        ("createdDate", None),
        ("updatedDate", 5),
    ],
)
async def test_a_read_only_field_of_the_wrong_type_is_422(api, field, value):
    path = await target(api, "PATCH")
    await refused(api, "PATCH", path, 422, "VALIDATION_FAILED", field, json={field: value})


@pytest.mark.parametrize(("field", "value"), [*NEW_VALUES.items(), ("id", "1")])
async def test_a_create_may_not_set_a_read_only_field(api, field, value):
    await refused(
        api, "POST", RUNS, 422, "VALIDATION_FAILED", field, json={"name": "New", field: value}
    )


@pytest.mark.parametrize(
    "field",
    ["id", "invoiceAmount", "commencedDate", "completedDate", "createdDate", "updatedDate"],
)
async def test_a_read_only_field_with_its_current_value_is_accepted(api, field):
    run = await create_run(api, **READY)
    updated = await patch_run(api, run, **{field: run[field], "name": "Renamed"})
    assert updated["name"] == "Renamed"
    assert {k: v for k, v in updated.items() if k not in ("name", "updatedDate")} == {
        k: v for k, v in run.items() if k not in ("name", "updatedDate")
    }


async def test_read_only_values_written_differently_but_equal_are_accepted(api):
    run = await create_run(api, **READY)
    created = run["createdDate"]
    raw = json.dumps(
        {
            "id": int(run["id"]),
            "createdDate": created.replace("+00:00", "Z"),
            "updatedDate": run["updatedDate"],
            "name": run["name"],
        }
    )
    raw = raw[:-1] + ', "invoiceAmount": 0}'
    response = await api.rest("PATCH", run_path(run), data=raw, headers=JSON)
    assert response.status == 200, await response.text()
    assert await response.json() == run


# --- 422: wrong types and impossible values -----------------------------------------------

WRONG = [
    ("name", ""),
    ("name", "   "),
    ("name", 5),
    ("name", None),
    ("name", ["November"]),
    ("name", "x" * 256),
    ("invoiceDate", 5),
    ("invoiceDate", True),
    ("invoiceDate", "2026-12-1"),
    ("invoiceDate", "01/12/2026"),
    ("invoiceDate", "20261201"),
    ("invoiceDate", "2026-12-01T00:00:00Z"),
    ("invoiceDate", " 2026-12-01"),
    ("cutoffDate", {"year": 2026}),
    ("transactionCutoffDate", 20261130),
    ("dueDate", "next week"),
    ("subrun", 5),
    ("invoiceMessage", ["Seasonal"]),
]


@pytest.mark.parametrize(("field", "value"), WRONG)
async def test_a_field_of_the_wrong_type_is_422_naming_it(api, field, value):
    await refused_on_every_write(api, 422, "VALIDATION_FAILED", field, fields={field: value})


async def test_a_create_without_a_name_is_422(api):
    await refused(api, "POST", RUNS, 422, "VALIDATION_FAILED", "name", json={})
    await refused(
        api, "POST", RUNS, 422, "VALIDATION_FAILED", "name", json={"invoiceDate": "2026-12-01"}
    )
    await refused(api, "POST", RUNS, 422, "VALIDATION_FAILED", "name", data={"name": ""})


@pytest.mark.parametrize("field", ["invoiceDate", "cutoffDate", "transactionCutoffDate", "dueDate"])
@pytest.mark.parametrize("value", ["2026-02-30", "2025-02-29", "2026-13-01", "0000-01-01"])
async def test_an_impossible_date_is_422(api, field, value):
    await refused_on_every_write(api, 422, "VALIDATION_FAILED", field, fields={field: value})


async def test_an_impossible_date_in_a_form_is_422(api):
    path = await target(api, "PATCH")
    await refused(
        api,
        "PATCH",
        path,
        422,
        "VALIDATION_FAILED",
        "invoiceDate",
        data={"invoiceDate": "2026-02-30"},
    )


async def test_a_leap_day_in_a_leap_year_is_a_real_date(api):
    run = await create_run(api, invoiceDate="2028-02-29")
    assert run["invoiceDate"] == "2028-02-29"


async def test_several_bad_fields_are_422_with_every_one_in_details(api):
    fields = {"name": "", "invoiceDate": 5, "cutoffDate": "2026-02-30", "colour": "red"}
    for error in await refused_on_every_write(api, 422, "VALIDATION_FAILED", fields=fields):
        details = error["details"]
        named = {detail["field"] for detail in details}
        assert named == {"name", "invoiceDate", "cutoffDate", "colour"}
        assert all(
            detail["code"] == "VALIDATION_FAILED" and detail["message"] for detail in details
        )
        assert error["field"] in named


# --- 422: dueDate before invoiceDate ------------------------------------------------------


async def test_a_due_date_before_the_invoice_date_is_422_on_create(api):
    await refused(
        api,
        "POST",
        RUNS,
        422,
        "VALIDATION_FAILED",
        "dueDate",
        json={"name": "Early", "invoiceDate": "2026-12-01", "dueDate": "2026-11-30"},
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"dueDate": "2026-11-30"},
        {"invoiceDate": "2026-12-16"},
        {"invoiceDate": "2027-01-01", "dueDate": "2026-12-31"},
    ],
)
async def test_an_update_that_puts_the_due_date_before_the_invoice_date_is_422(api, fields):
    path = await target(api, "PATCH")  # invoiceDate 2026-12-01, dueDate 2026-12-15
    await refused(api, "PATCH", path, 422, "VALIDATION_FAILED", "dueDate", json=fields)


async def test_a_due_date_on_the_invoice_date_is_fine(api):
    run = await create_run(api, invoiceDate="2026-12-01", dueDate="2026-12-01")
    assert run["dueDate"] == run["invoiceDate"] == "2026-12-01"
    moved = await patch_run(api, run, invoiceDate="2026-12-05", dueDate="2026-12-05")
    assert moved["dueDate"] == "2026-12-05"


# --- 422: presets -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "kind"), [("subrun", "billingSubrun"), ("invoiceMessage", "invoiceMessage")]
)
async def test_an_unknown_preset_name_is_422_listing_the_valid_names(api, field, kind):
    for name in ("East", "West"):
        await add_preset(api, kind, name)
    errors = await refused_on_every_write(
        api, 422, "VALIDATION_FAILED", field, fields={field: "North"}
    )
    assert all("East" in e["message"] and "West" in e["message"] for e in errors)


async def test_a_preset_name_is_matched_exactly(api):
    await add_preset(api, "billingSubrun", "East")
    path = await target(api, "PATCH")
    for near in ("east", " East", "EAST"):
        await refused(api, "PATCH", path, 422, "VALIDATION_FAILED", "subrun", json={"subrun": near})


async def test_a_name_of_the_other_preset_kind_is_refused(api):
    await add_preset(api, "invoiceMessage", "Seasonal")
    path = await target(api, "PATCH")
    await refused(
        api, "PATCH", path, 422, "VALIDATION_FAILED", "subrun", json={"subrun": "Seasonal"}
    )
    await refused(
        api, "PATCH", path, 422, "VALIDATION_FAILED", "subrun", json={"subrun": "Pending"}
    )


@pytest.mark.parametrize(
    ("field", "kind"), [("subrun", "billingSubrun"), ("invoiceMessage", "invoiceMessage")]
)
async def test_a_retired_preset_is_kept_on_old_runs_and_refused_on_new_writes(api, field, kind):
    await add_preset(api, kind, "Old")
    await add_preset(api, kind, "Current")
    old = await create_run(api, "Old run", **{field: "Old"}, **READY)
    other = await create_run(api, "Other run", **READY)
    await retire_preset(api, kind, "Old")

    assert await get_run(api, old) == old
    assert old[field] == "Old"
    error = await refused(
        api, "POST", RUNS, 422, "VALIDATION_FAILED", field, json={"name": "New", field: "Old"}
    )
    assert "Old" in error["message"] and "retired" in error["message"]
    await refused(
        api, "PATCH", run_path(other), 422, "VALIDATION_FAILED", field, json={field: "Old"}
    )

    # The old run keeps it through edits and can send it back unchanged.
    renamed = await patch_run(api, old, name="Old run, renamed", **{field: "Old"})
    assert renamed[field] == "Old"
    requested = await patch_run(api, old, status="Requested")
    assert requested[field] == "Old"

    # Once moved off it, even the old run cannot go back.
    moved = await patch_run(api, other, **{field: "Current"})
    assert moved[field] == "Current"
    await refused(
        api, "PATCH", run_path(other), 422, "VALIDATION_FAILED", field, json={field: "Old"}
    )
