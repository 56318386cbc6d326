"""The REST shim's happy paths: create, get, list and its filters, partial updates, paths
with and without the trailing slash, and form-encoded bodies."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from billing import runs
from tests.rest.helpers import (
    FIELDS,
    READY,
    RUNS,
    add_preset,
    create_run,
    get_run,
    list_runs,
    patch_run,
    run_path,
)

DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def shifted(value: str, hours: int, minutes: int = 0) -> str:
    """The same instant written with another UTC offset."""
    zone = timezone(timedelta(hours=hours, minutes=minutes))
    return datetime.fromisoformat(value).astimezone(zone).isoformat()


def ids(found: list[dict]) -> list[str]:
    return [run["id"] for run in found]


async def test_create_returns_201_and_a_pending_run_shaped_like_the_contract(api):
    await add_preset(api, "invoiceMessage", "Seasonal")
    response = await api.rest(
        "POST",
        RUNS,
        json={
            "name": "November 2026",
            "invoiceMessage": "Seasonal",
            "invoiceDate": "2026-12-01",
            "cutoffDate": "2026-12-01",
            "dueDate": "2026-12-15",
        },
    )
    text = await response.text()
    assert response.status == 201, text
    assert response.content_type == "application/json"
    assert '"invoiceAmount":0.00' in text.replace(" ", "")
    run = json.loads(text, parse_float=Decimal)
    assert list(run) == FIELDS
    assert isinstance(run["id"], str) and run["id"].isdigit()
    assert run["invoiceAmount"] == Decimal("0.00")
    assert {key: run[key] for key in FIELDS[1:5]} == {
        "name": "November 2026",
        "status": "Pending",
        "subrun": None,
        "invoiceMessage": "Seasonal",
    }
    assert (run["invoiceDate"], run["cutoffDate"], run["dueDate"]) == (
        "2026-12-01",
        "2026-12-01",
        "2026-12-15",
    )
    assert run["transactionCutoffDate"] is None
    assert run["commencedDate"] is None and run["completedDate"] is None
    assert DATETIME.fullmatch(run["createdDate"]), run["createdDate"]
    assert run["updatedDate"] == run["createdDate"]
    created = datetime.fromisoformat(run["createdDate"])
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=1)


async def test_a_run_with_only_a_name_has_every_other_field_empty(api):
    run = await create_run(api, "Only a name")
    assert run["status"] == "Pending"
    for field in FIELDS[3:12]:
        if field != "invoiceAmount":
            assert run[field] is None, field


async def test_get_returns_the_run_as_created(api):
    await add_preset(api, "billingSubrun", "East")
    created = await create_run(api, subrun="East", transactionCutoffDate="2026-11-30", **READY)
    assert await get_run(api, created) == created
    assert created["subrun"] == "East"
    for field in ("invoiceDate", "cutoffDate", "transactionCutoffDate", "dueDate"):
        assert DATE.fullmatch(created[field])


async def test_list_is_a_bare_array_ordered_by_id(api):
    created = [await create_run(api, f"Run {n}") for n in range(5)]
    listed = await api.rest_json("GET", RUNS)
    assert isinstance(listed, list)
    assert listed == created
    assert [int(i) for i in ids(listed)] == sorted(int(i) for i in ids(listed))


async def test_list_on_an_empty_database_is_an_empty_array(api):
    assert await list_runs(api) == []


async def test_list_pages_with_limit_and_offset(api):
    created = [await create_run(api, f"Run {n}") for n in range(7)]
    assert await list_runs(api, limit=3) == created[:3]
    assert await list_runs(api, limit=3, offset=3) == created[3:6]
    assert await list_runs(api, limit=3, offset=6) == created[6:]
    assert await list_runs(api, offset=7) == []
    assert await list_runs(api, limit=1000) == created


async def test_a_list_without_a_limit_returns_100_runs(api):
    with api.database():
        for n in range(101):
            await runs.create_run({"name": f"Run {n}"})
    listed = await list_runs(api)
    assert [run["name"] for run in listed] == [f"Run {n}" for n in range(100)]
    assert len(await list_runs(api, offset=100)) == 1


async def test_id_after_finds_the_runs_with_a_greater_id(api):
    created = [await create_run(api, f"Run {n}") for n in range(4)]
    assert await list_runs(api, idAfter=created[1]["id"]) == created[2:]
    assert await list_runs(api, idAfter=0) == created
    assert await list_runs(api, idAfter=created[-1]["id"]) == []


async def test_id_after_takes_64_bit_ids(api):
    await create_run(api)
    assert await list_runs(api, idAfter=99999999999) == []
    assert await list_runs(api, idAfter=2**63 - 1) == []


async def test_created_since_includes_runs_created_at_that_instant(api):
    created = [await create_run(api, f"Run {n}") for n in range(4)]
    assert await list_runs(api, createdSince=created[2]["createdDate"]) == created[2:]


async def test_updated_since_finds_runs_changed_at_or_after_the_instant(api):
    created = [await create_run(api, f"Run {n}") for n in range(4)]
    changed = await patch_run(api, created[0], name="Renamed")
    assert await list_runs(api, updatedSince=created[3]["updatedDate"]) == [changed, created[3]]
    assert await list_runs(api, updatedSince=changed["updatedDate"]) == [changed]


async def test_list_filters_and_paging_combine(api):
    created = [await create_run(api, f"Run {n}") for n in range(8)]
    touched = [await patch_run(api, created[n], name=f"Touched {n}") for n in (1, 4, 5, 6, 7)]
    current = {run["id"]: run for run in [*created, *touched]}
    found = await list_runs(
        api,
        idAfter=created[1]["id"],
        createdSince=created[2]["createdDate"],
        updatedSince=touched[0]["updatedDate"],
        limit=2,
        offset=1,
    )
    # ids > run 1, created at or after run 2, updated at or after the first touch:
    # runs 4, 5, 6, 7; skip one, take two.
    assert found == [current[created[5]["id"]], current[created[6]["id"]]]


@pytest.mark.parametrize(
    "write",
    [
        lambda value: value,
        lambda value: shifted(value, 5, 30),
        lambda value: shifted(value, -8),
        lambda value: value.replace("+00:00", "Z"),
        lambda value: value.replace("+00:00", ""),
    ],
    ids=["utc-offset", "plus-0530", "minus-0800", "z", "no-offset-is-utc"],
)
async def test_datetime_filters_compare_the_instant_whatever_the_offset(api, write):
    created = [await create_run(api, f"Run {n}") for n in range(3)]
    changed = await patch_run(api, created[0], name="Renamed")
    assert await list_runs(api, createdSince=write(created[1]["createdDate"])) == created[1:]
    assert await list_runs(api, updatedSince=write(changed["updatedDate"])) == [changed]


async def test_a_bare_date_filter_reads_as_midnight_utc(api):
    created = [await create_run(api, f"Run {n}") for n in range(2)]
    today = datetime.now(UTC).date()
    assert await list_runs(api, createdSince=today.isoformat()) == created
    tomorrow = today + timedelta(days=1)
    assert await list_runs(api, createdSince=tomorrow.isoformat()) == []


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
async def test_update_changes_only_the_fields_sent(api, method):
    await add_preset(api, "billingSubrun", "East")
    run = await create_run(api, subrun="East", **READY)
    updated = await api.rest_json(
        method, run_path(run), json={"name": "December 2026", "cutoffDate": "2026-11-28"}
    )
    assert updated == {
        **run,
        "name": "December 2026",
        "cutoffDate": "2026-11-28",
        "updatedDate": updated["updatedDate"],
    }
    assert await get_run(api, run) == updated


async def test_update_can_clear_a_field_with_null(api):
    await add_preset(api, "billingSubrun", "East")
    run = await create_run(api, subrun="East", **READY)
    updated = await patch_run(api, run, subrun=None, dueDate=None)
    assert (updated["subrun"], updated["dueDate"]) == (None, None)
    assert updated["invoiceDate"] == run["invoiceDate"]


async def test_updated_date_moves_on_a_real_change_only(api):
    run = await create_run(api, **READY)
    same = await patch_run(api, run, name=run["name"], cutoffDate=run["cutoffDate"])
    assert same == run
    empty = await patch_run(api, run)
    assert empty == run
    changed = await patch_run(api, run, name="Renamed")
    assert changed["createdDate"] == run["createdDate"]
    assert datetime.fromisoformat(changed["updatedDate"]) > datetime.fromisoformat(
        run["updatedDate"]
    )
    assert await list_runs(api, updatedSince=changed["updatedDate"]) == [changed]


async def test_a_whole_object_read_back_with_get_can_be_patched_unchanged(api):
    await add_preset(api, "billingSubrun", "East")
    await add_preset(api, "invoiceMessage", "Seasonal")
    run = await create_run(api, subrun="East", invoiceMessage="Seasonal", **READY)
    raw = await (await api.rest("GET", run_path(run))).text()
    response = await api.rest(
        "PATCH", run_path(run), data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status == 200, await response.text()
    assert await response.json() == run
    edited = {**json.loads(raw), "name": "Edited"}
    changed = await api.rest_json("PUT", run_path(run), json=edited)
    assert changed["name"] == "Edited"
    assert {k: v for k, v in changed.items() if k not in ("name", "updatedDate")} == {
        k: v for k, v in run.items() if k not in ("name", "updatedDate")
    }


@pytest.mark.parametrize("slash", ["", "/"])
async def test_every_method_works_with_and_without_the_trailing_slash(api, slash):
    collection = RUNS.rstrip("/") + slash
    created = await api.rest_json("POST", collection, 201, json={"name": "Slash"})
    path = run_path(created) + slash
    assert await api.rest_json("GET", path) == created
    assert await api.rest_json("GET", collection) == [created]
    patched = await api.rest_json("PATCH", path, json={"name": "Patched"})
    assert patched["name"] == "Patched"
    put = await api.rest_json("PUT", path, json={"name": "Put"})
    assert put["name"] == "Put"
    response = await api.rest("POST", collection, json={"name": "No redirect"})
    assert response.status == 201 and not response.history


async def test_a_form_encoded_create_reads_empty_values_as_null(api):
    await add_preset(api, "billingSubrun", "East")
    response = await api.rest(
        "POST",
        RUNS,
        data={"name": "Form", "subrun": "East", "invoiceDate": "2026-12-01", "dueDate": ""},
    )
    assert response.status == 201, await response.text()
    run = await response.json()
    assert (run["name"], run["subrun"], run["invoiceDate"], run["dueDate"]) == (
        "Form",
        "East",
        "2026-12-01",
        None,
    )
    assert await get_run(api, run) == run


async def test_a_form_encoded_patch_clears_a_field_sent_empty(api):
    await add_preset(api, "billingSubrun", "East")
    run = await create_run(api, subrun="East", **READY)
    response = await api.rest("PATCH", run_path(run), data={"subrun": "", "cutoffDate": ""})
    assert response.status == 200, await response.text()
    updated = await response.json()
    assert (updated["subrun"], updated["cutoffDate"]) == (None, None)
    assert updated["invoiceDate"] == run["invoiceDate"]


async def test_a_form_encoded_patch_can_request_bills(api):
    run = await create_run(api, **READY)
    response = await api.rest("PATCH", run_path(run), data={"status": "Requested"})
    assert response.status == 200, await response.text()
    assert (await response.json())["status"] == "Requested"


async def test_a_json_body_with_a_charset_is_json(api):
    response = await api.rest(
        "POST",
        RUNS,
        data=json.dumps({"name": "Charset"}).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status == 201, await response.text()


async def test_a_name_of_255_characters_is_accepted(api):
    run = await create_run(api, "x" * 255)
    assert (await get_run(api, run))["name"] == "x" * 255


async def test_a_request_id_comes_back_on_every_response(api):
    response = await api.rest("GET", RUNS, headers={"X-Request-Id": "abc-123"})
    assert response.headers["X-Request-Id"] == "abc-123"
    response = await api.rest("GET", RUNS + "nope")
    assert response.headers["X-Request-Id"]
