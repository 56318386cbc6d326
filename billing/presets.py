"""Preset values: named choices of a kind (subruns, invoice messages, statuses)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from billing.errors import BillingError, ErrorCode, FieldError, invalid
from billing.fields import FieldReader, Text, raise_errors
from billing.values import storable_text
from models import Preset, PresetKind

#: Kinds whose presets clients may add, rename and retire (statuses are fixed).
MANAGED_KINDS = (PresetKind.BILLING_SUBRUN, PresetKind.INVOICE_MESSAGE, PresetKind.TRANSACTION_TYPE)
#: The longest name a preset may have (its column's length).
NAME_MAX = 64
NAME = Text(NAME_MAX)
_UPDATABLE = ("name", "text", "retired")


@dataclass(frozen=True)
class PresetRecord:
    id: int
    kind: str
    name: str
    text: str | None
    retired: bool


_COLUMNS = ("id", "kind", "name", "text", "retired")


def _record(row: Mapping[str, Any]) -> PresetRecord:
    return PresetRecord(row["id"], row["kind"], row["name"], row["text"], bool(row["retired"]))


def parse_kind(kind: object, *, managed: bool = False) -> PresetKind:
    allowed = MANAGED_KINDS if managed else tuple(PresetKind)
    if isinstance(kind, str) and kind in allowed:
        return PresetKind(kind)
    names = ", ".join(allowed)
    if managed and kind == PresetKind.BILLING_RUN_STATUS:
        raise BillingError.from_errors(
            [invalid("kind", f"statuses are fixed; kind must be one of {names}")]
        )
    raise BillingError.from_errors([invalid("kind", f"kind must be one of {names}")])


async def list_presets(kind: str | None = None) -> list[PresetRecord]:
    query = Preset.all().order_by("kind", "id")
    if kind is not None:
        query = query.filter(kind=parse_kind(kind))
    return [_record(row) for row in await query.values(*_COLUMNS)]


def could_be_name(name: str) -> bool:
    """Whether a preset could have this name: at most NAME_MAX characters (the column's
    length) and text both databases store.

    A lookup checks this first: no preset has any other name, Tortoise refuses to filter
    on a value longer than the column (a ValidationError), and PostgreSQL refuses NUL.
    """
    return len(name) <= NAME_MAX and storable_text(name)


async def get_preset(kind: str, name: str) -> PresetRecord | None:
    """The preset of `kind` named `name`, or None when there is none."""
    if not could_be_name(name):
        return None
    rows = await Preset.filter(kind=kind, name=name).values(*_COLUMNS)
    return _record(rows[0]) if rows else None


async def _names(kind: PresetKind) -> list[str]:
    names = Preset.filter(kind=kind, retired=False).order_by("id").values_list("name", flat=True)
    return [str(name) for name in await names]


@dataclass(frozen=True)
class PresetsOf:
    """The presets of one kind, as a field names them (see `FieldReader.preset`)."""

    kind: PresetKind

    async def resolve(
        self, field: str, name: object, current_id: int | None
    ) -> int | FieldError | None:
        """The id of the preset a client named for `field`, or the error to report.

        A retired preset is accepted only where it is already the current value.
        """
        if name is None:
            return None
        if isinstance(name, str):
            preset = await get_preset(self.kind, name)
            if preset is not None and (not preset.retired or preset.id == current_id):
                return preset.id
            if preset is not None:
                return invalid(field, f"{field} {name!r} is retired and cannot be chosen")
        valid = ", ".join(await _names(self.kind)) or "none are configured"
        return invalid(field, f"{field} must be the name of a {self.kind} preset (valid: {valid})")


SUBRUNS = PresetsOf(PresetKind.BILLING_SUBRUN)
INVOICE_MESSAGES = PresetsOf(PresetKind.INVOICE_MESSAGE)
TRANSACTION_TYPES = PresetsOf(PresetKind.TRANSACTION_TYPE)
#: The preset fields billing runs and customers both have: wire name -> (column, presets).
PRESET_FIELDS = {
    "subrun": ("subrun_id", SUBRUNS),
    "invoiceMessage": ("invoice_message_id", INVOICE_MESSAGES),
}


def _text_or_null(value: object, /) -> str | None:
    if value is None or (isinstance(value, str) and storable_text(value)):
        return value
    raise ValueError("must be text or null")


def _true_or_false(value: object, /) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError("must be true or false")


async def create_preset(kind: object, name: object, text: object = None) -> PresetRecord:
    managed = parse_kind(kind, managed=True)
    reader = FieldReader({"name": name, "text": text})
    reader.read("name", NAME)
    reader.read("text", _text_or_null)
    raise_errors(reader.errors)
    try:
        preset = await Preset.create(kind=managed, name=name, text=text)
    except IntegrityError:
        raise _duplicate(managed, name) from None
    return PresetRecord(preset.id, preset.kind, preset.name, preset.text, preset.retired)


async def update_preset(kind: object, name: str, changes: Mapping[str, Any]) -> PresetRecord:
    """Rename, change the text of, retire or restore a preset."""
    managed = parse_kind(kind, managed=True)
    if len(name) > NAME_MAX:  # no preset can have it: say why rather than "no such preset"
        raise BillingError.from_errors([invalid("name", f"name {NAME.problem}")])
    preset = await get_preset(managed, name)
    if preset is None:
        raise BillingError(ErrorCode.NOT_FOUND, f"no {managed} preset named {name!r}", "name")
    reader = FieldReader(changes)
    unknown = sorted(set(changes) - set(_UPDATABLE))
    if unknown:
        reader.errors.append(invalid(unknown[0], f"unknown fields: {', '.join(unknown)}"))
    for field, rule in (("name", NAME), ("text", _text_or_null), ("retired", _true_or_false)):
        if reader.has(field):
            reader.read(field, rule)
    raise_errors(reader.errors)
    values = {key: changes[key] for key in _UPDATABLE if key in changes}
    if values:
        try:
            await Preset.filter(id=preset.id).update(**values)
        except IntegrityError:
            raise _duplicate(managed, changes.get("name")) from None
    updated = await Preset.filter(id=preset.id).values(*_COLUMNS)
    return _record(updated[0])


def _duplicate(kind: str, name: object) -> BillingError:
    return BillingError.from_errors(
        [invalid("name", f"a {kind} preset named {name!r} already exists")]
    )
