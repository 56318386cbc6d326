"""The rules of presets, as the actions enforce them: names of 1 to 64 characters,
unique within a kind, fixed statuses, retiring and restoring."""

from __future__ import annotations

import pytest

from billing import presets
from billing.errors import BillingError, ErrorCode


async def _refused(action, code: ErrorCode = ErrorCode.VALIDATION_FAILED) -> BillingError:
    with pytest.raises(BillingError) as refusal:
        await action
    assert refusal.value.code == code, refusal.value
    return refusal.value


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "a\x00b", None, 7])
async def test_a_preset_name_is_text_of_1_to_64_characters(database, name):
    with database:
        error = await _refused(presets.create_preset("billingSubrun", name))
    assert (error.field, error.message) == ("name", "name must be text of 1 to 64 characters")


async def test_a_name_of_64_characters_is_a_name(database):
    with database:
        preset = await presets.create_preset("billingSubrun", "x" * presets.NAME_MAX)
    assert preset.name == "x" * 64


async def test_a_name_is_unique_within_its_kind(database):
    with database:
        await presets.create_preset("billingSubrun", "East")
        await presets.create_preset("invoiceMessage", "East")
        error = await _refused(presets.create_preset("billingSubrun", "East"))
    assert error.message == "a billingSubrun preset named 'East' already exists"


async def test_statuses_are_fixed(database):
    with database:
        error = await _refused(presets.create_preset("billingRunStatus", "Paused"))
    assert error.message.startswith("statuses are fixed; kind must be one of billingSubrun")


async def test_a_preset_is_renamed_retired_and_restored(database):
    with database:
        await presets.create_preset("invoiceMessage", "Seasonal", "Happy holidays")
        renamed = await presets.update_preset("invoiceMessage", "Seasonal", {"name": "Festive"})
        retired = await presets.update_preset("invoiceMessage", "Festive", {"retired": True})
        restored = await presets.update_preset("invoiceMessage", "Festive", {"retired": False})
    assert (renamed.name, renamed.text, renamed.retired) == ("Festive", "Happy holidays", False)
    assert (retired.retired, restored.retired) == (True, False)


async def test_every_bad_change_is_reported_at_once(database):
    with database:
        await presets.create_preset("invoiceMessage", "Seasonal")
        error = await _refused(
            presets.update_preset(
                "invoiceMessage", "Seasonal", {"colour": 1, "name": "", "text": 3, "retired": "no"}
            )
        )
    assert [(e.field, e.message) for e in error.errors] == [
        ("colour", "unknown fields: colour"),
        ("name", "name must be text of 1 to 64 characters"),
        ("text", "text must be text or null"),
        ("retired", "retired must be true or false"),
    ]


async def test_a_name_no_preset_can_have_is_refused_not_missing(database):
    with database:
        too_long = await _refused(presets.update_preset("billingSubrun", "x" * 65, {}))
        missing = await _refused(
            presets.update_preset("billingSubrun", "North", {}), ErrorCode.NOT_FOUND
        )
    assert too_long.message == "name must be text of 1 to 64 characters"
    assert missing.message == "no billingSubrun preset named 'North'"
