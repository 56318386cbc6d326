"""Presets: listing, adding, renaming, retiring and restoring them over GraphQL."""

from __future__ import annotations

import pytest

from tests.schema.helpers import (
    CREATE_PRESET,
    CREATE_RUN,
    create_preset,
    create_run,
    list_presets,
    read_run,
    update_preset,
    user_errors,
)

CREATE_PRESET_WITHOUT_TEXT = """
mutation { createPreset(input: {kind: "billingSubrun", name: "North"}) {
  preset { kind name text retired }
  userErrors { field code message }
} }
"""

STATUSES = ["Pending", "Requested", "Running", "Complete"]


async def _create_failing(api, kind: str, name: str, text: str | None = None) -> dict:
    variables = {"input": {"kind": kind, "name": name, "text": text}}
    payload = (await api.gql(CREATE_PRESET, variables))["createPreset"]
    assert payload["preset"] is None
    return payload


async def _all_presets(api) -> list[dict]:
    return await list_presets(api)


@pytest.mark.parametrize("kind", ["billingSubrun", "invoiceMessage", "transactionType"])
async def test_a_new_preset_is_listed_under_its_kind(api, kind):
    preset = await create_preset(api, kind, "First", "Some text")

    assert preset == {"kind": kind, "name": "First", "text": "Some text", "retired": False}
    assert await list_presets(api, kind) == [preset]
    assert preset in await _all_presets(api)


async def test_a_preset_needs_no_text(api):
    payload = (await api.gql(CREATE_PRESET_WITHOUT_TEXT))["createPreset"]

    assert payload == {
        "preset": {"kind": "billingSubrun", "name": "North", "text": None, "retired": False},
        "userErrors": [],
    }


async def test_presets_of_a_kind_are_listed_in_the_order_they_were_added(api):
    for name in ("North", "South", "East"):
        await create_preset(api, "billingSubrun", name)
    await create_preset(api, "invoiceMessage", "Seasonal")

    names = [p["name"] for p in await list_presets(api, "billingSubrun")]

    assert names == ["North", "South", "East"]


async def test_an_invoice_message_text_can_change_and_be_cleared(api):
    await create_preset(api, "invoiceMessage", "Seasonal", "Happy holidays")

    changed = await update_preset(api, "invoiceMessage", "Seasonal", text="Happy new year")
    cleared = await update_preset(api, "invoiceMessage", "Seasonal", text=None)

    assert changed["preset"]["text"] == "Happy new year"
    assert cleared["preset"] == {
        "kind": "invoiceMessage",
        "name": "Seasonal",
        "text": None,
        "retired": False,
    }
    assert await list_presets(api, "invoiceMessage") == [cleared["preset"]]


async def test_an_update_leaves_absent_fields_alone(api):
    await create_preset(api, "invoiceMessage", "Seasonal", "Happy holidays")

    payload = await update_preset(api, "invoiceMessage", "Seasonal", retired=True)

    assert payload["preset"] == {
        "kind": "invoiceMessage",
        "name": "Seasonal",
        "text": "Happy holidays",
        "retired": True,
    }


async def test_a_rename_shows_on_the_runs_that_use_the_preset(api):
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "invoiceMessage", "Seasonal")
    run = await create_run(api, subrun="North", invoiceMessage="Seasonal")

    subrun = await update_preset(api, "billingSubrun", "North", name="Northern")
    message = await update_preset(api, "invoiceMessage", "Seasonal", name="Winter")

    assert subrun["preset"]["name"] == "Northern" and message["preset"]["name"] == "Winter"
    found = await read_run(api, run["id"])
    assert found["subrun"] == "Northern"
    assert found["invoiceMessage"] == "Winter"
    assert [p["name"] for p in await list_presets(api, "billingSubrun")] == ["Northern"]


async def test_after_a_rename_only_the_new_name_can_be_chosen(api):
    await create_preset(api, "billingSubrun", "North")
    await update_preset(api, "billingSubrun", "North", name="Northern")

    refused = (await api.gql(CREATE_RUN, {"input": {"name": "Run", "subrun": "North"}}))[
        "createBillingRun"
    ]
    run = await create_run(api, subrun="Northern")
    old = await update_preset(api, "billingSubrun", "North", retired=True)

    assert user_errors(refused) == [("subrun", "VALIDATION_FAILED")]
    assert "Northern" in refused["userErrors"][0]["message"]
    assert run["subrun"] == "Northern"
    assert user_errors(old) == [("name", "NOT_FOUND")]


async def test_a_preset_can_be_retired_and_restored(api):
    await create_preset(api, "billingSubrun", "North")

    retired = await update_preset(api, "billingSubrun", "North", retired=True)
    listed_retired = await list_presets(api, "billingSubrun")
    restored = await update_preset(api, "billingSubrun", "North", retired=False)

    assert retired["preset"]["retired"] is True
    assert listed_retired == [retired["preset"]]
    assert restored["preset"]["retired"] is False
    assert await list_presets(api, "billingSubrun") == [restored["preset"]]


async def test_a_retired_preset_still_shows_on_runs_that_use_it(api):
    await create_preset(api, "billingSubrun", "North")
    run = await create_run(api, subrun="North")

    await update_preset(api, "billingSubrun", "North", retired=True)

    assert await read_run(api, run["id"]) == run


async def test_a_duplicate_name_is_refused_on_create(api):
    original = await create_preset(api, "billingSubrun", "North", "first")

    payload = await _create_failing(api, "billingSubrun", "North", "second")

    assert user_errors(payload) == [("name", "VALIDATION_FAILED")]
    assert await list_presets(api, "billingSubrun") == [original]


async def test_a_rename_to_a_taken_name_is_refused_and_changes_nothing(api):
    await create_preset(api, "billingSubrun", "North")
    await create_preset(api, "billingSubrun", "South")
    before = await _all_presets(api)

    payload = await update_preset(api, "billingSubrun", "South", name="North", retired=True)

    assert payload["preset"] is None
    assert user_errors(payload) == [("name", "VALIDATION_FAILED")]
    assert await _all_presets(api) == before


async def test_the_same_name_may_be_used_by_different_kinds(api):
    subrun = await create_preset(api, "billingSubrun", "Standard")
    message = await create_preset(api, "invoiceMessage", "Standard")

    assert subrun["kind"] == "billingSubrun" and message["kind"] == "invoiceMessage"


@pytest.mark.parametrize("name", ["", "   ", "x" * 65])
async def test_a_bad_preset_name_is_refused(api, name):
    await create_preset(api, "billingSubrun", "North")
    before = await _all_presets(api)

    created = await _create_failing(api, "billingSubrun", name)
    renamed = await update_preset(api, "billingSubrun", "North", name=name)

    assert user_errors(created) == [("name", "VALIDATION_FAILED")]
    assert user_errors(renamed) == [("name", "VALIDATION_FAILED")]
    assert await _all_presets(api) == before


async def test_a_name_of_64_characters_is_fine(api):
    preset = await create_preset(api, "billingSubrun", "x" * 64)

    assert preset["name"] == "x" * 64


async def test_statuses_are_fixed(api):
    before = await _all_presets(api)

    created = await _create_failing(api, "billingRunStatus", "Cancelled")
    renamed = await update_preset(api, "billingRunStatus", "Pending", name="Waiting")
    retired = await update_preset(api, "billingRunStatus", "Complete", retired=True)

    for payload in (created, renamed, retired):
        assert payload["preset"] is None
        assert user_errors(payload) == [("kind", "VALIDATION_FAILED")]
    assert await _all_presets(api) == before
    assert [p["name"] for p in before] == STATUSES


@pytest.mark.parametrize("kind", ["status", "", "BillingSubrun", "billingRun"])
async def test_an_unknown_kind_is_refused(api, kind):
    before = await _all_presets(api)

    created = await _create_failing(api, kind, "North")
    updated = await update_preset(api, kind, "North", text="x")

    assert user_errors(created) == [("kind", "VALIDATION_FAILED")]
    assert user_errors(updated) == [("kind", "VALIDATION_FAILED")]
    assert "billingSubrun" in created["userErrors"][0]["message"]
    assert await _all_presets(api) == before


async def test_updating_a_preset_that_does_not_exist_is_not_found(api):
    await create_preset(api, "invoiceMessage", "North")

    payload = await update_preset(api, "billingSubrun", "North", text="x")

    assert payload["preset"] is None
    assert user_errors(payload) == [("name", "NOT_FOUND")]
    assert await list_presets(api, "billingSubrun") == []


@pytest.mark.parametrize("bad", ["nul\u0000inside", "lone \ud800 surrogate"])
async def test_text_no_database_can_store_is_refused_not_an_internal_error(api, bad):
    await create_preset(api, "invoiceMessage", "Seasonal", "Happy holidays")
    before = await _all_presets(api)

    bad_name = await _create_failing(api, "invoiceMessage", bad)
    bad_text = await _create_failing(api, "invoiceMessage", "Other", bad)
    renamed = await update_preset(api, "invoiceMessage", "Seasonal", name=bad)
    retexted = await update_preset(api, "invoiceMessage", "Seasonal", text=bad)
    unknown = await update_preset(api, "invoiceMessage", bad, text="x")

    assert user_errors(bad_name) == [("name", "VALIDATION_FAILED")]
    assert user_errors(bad_text) == [("text", "VALIDATION_FAILED")]
    assert user_errors(renamed) == [("name", "VALIDATION_FAILED")]
    assert user_errors(retexted) == [("text", "VALIDATION_FAILED")]
    assert user_errors(unknown) == [("name", "NOT_FOUND")]
    assert await _all_presets(api) == before
