"""The REST resources' fields, from the same declarations the actions check writes with.

Each resource lists its wire fields once, with how the server writes each one and, for
writable fields, how it reads it from JSON and from a form. The field names come from
the actions (`runs.WRITABLE`, `customers.READ_ONLY`, ...); tests check the two agree
and that every response the server sends matches the schemas built here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from billing import charges, customers, presets, runs
from billing.fields import INT_MAX, NAME
from billing.values import MAX_ID
from models import BillingRunStatus, LowValuePolicy, NotProducedReason
from rest.openapi import values as v
from rest.openapi.values import Schema


@dataclass(frozen=True)
class Field:
    """One wire field: `out` is how responses carry it; `json` and `form` how a write
    may send it (None: read-only). A nullable field takes null in JSON, "" in a form."""

    out: Schema
    json: Schema | None = None
    form: Schema | None = None
    nullable: bool = False
    #: Whether a create must send it.
    required: bool = False
    #: A rule on its value that depends on stored data or other fields, which a schema
    #: cannot state: breaking it is a 422 naming the field (the `x-rule` extension).
    rule: str = ""


def writable(
    out: Schema,
    json: Schema,
    form: Schema | None = None,
    *,
    nullable: bool = False,
    required: bool = False,
    rule: str = "",
) -> Field:
    """A writable field; `form` defaults to `json` (right for fields that are text)."""
    return Field(out, json, json if form is None else form, nullable, required, rule)


def _preset(kind: str) -> Field:
    name = v.text(presets.NAME_MAX)
    rule = f"Must name a {kind} preset that is not retired (the 422 lists them)."
    return writable(v.nullable({"type": "string"}), name, nullable=True, rule=rule)


def _date(*, nullable: bool = True, required: bool = False, rule: str = "") -> Field:
    out = v.nullable(v.date_value()) if nullable else v.date_value()
    return writable(out, v.date_value(), nullable=nullable, required=required, rule=rule)


def _money(places: int, *, negative: bool, required: bool = False) -> Field:
    return writable(
        v.money_out("at least 2" if places > 2 else "exactly 2"),
        v.money_in(places, negative=negative),
        v.money_text(places, negative=negative),
        required=required,
    )


def _read_only(out: Schema) -> Field:
    return Field(out)


_ID = _read_only(v.id_text())
_STAMPS = {"createdDate": _read_only(v.datetime_out()), "updatedDate": _read_only(v.datetime_out())}


@dataclass(frozen=True)
class Resource:
    """A resource's wire fields, in the order responses carry them."""

    name: str
    fields: Mapping[str, Field]
    #: Whether a write may send a JSON array of objects (all or nothing).
    many: bool = False
    #: A create's JSON body, as the document shows it.
    example: Mapping[str, object] | None = None

    def writable_names(self) -> list[str]:
        return [name for name, field in self.fields.items() if field.json is not None]


_RUN_DATE_RULES = {
    "invoiceDate": "Must be set before bills are requested.",
    "cutoffDate": "Must be set before bills are requested.",
    "dueDate": "May not be before invoiceDate.",
}

BILLING_RUN = Resource(
    "BillingRun",
    {
        "id": _ID,
        "name": writable(
            {"type": "string"}, v.text(NAME.max_length), required=True
        ),  # required on create
        "status": writable(
            v.enum(BillingRunStatus),
            v.enum(BillingRunStatus),
            rule="A new run is Pending; after that, Requested asks for bills (409 from "
            "any status but Pending); repeating the current status changes nothing.",
        ),
        **{wire: _preset(of.kind) for wire, (_, of) in presets.PRESET_FIELDS.items()},
        "invoiceAmount": _read_only(v.money_out("exactly 2")),
        **{wire: _date(rule=_RUN_DATE_RULES.get(wire, "")) for wire in runs.DATE_FIELDS},
        "commencedDate": _read_only(v.nullable(v.datetime_out())),
        "completedDate": _read_only(v.nullable(v.datetime_out())),
        **_STAMPS,
        **{wire: _read_only(v.count(null=wire == "customersInScope")) for wire in runs.PROGRESS},
    },
    example={
        "name": "November 2026",
        "invoiceDate": "2026-12-01",
        "cutoffDate": "2026-12-01",
        "dueDate": "2026-12-15",
    },
)

CUSTOMER = Resource(
    "Customer",
    {
        "id": _ID,
        "accountNumber": writable(
            {"type": "string"},
            {"type": "string", "pattern": f"^{customers.ACCOUNT_NUMBER.pattern}$"},
            required=True,
            rule="Must not be another customer's.",
        ),
        "name": writable({"type": "string"}, v.text(NAME.max_length), required=True),
        **{wire: _preset(of.kind) for wire, (_, of) in presets.PRESET_FIELDS.items()},
        "lowValuePolicy": writable(v.enum(LowValuePolicy), v.enum(LowValuePolicy)),
        **{wire: _money(2, negative=False) for wire in customers.MONEY_FIELDS},
        **_STAMPS,
    },
    example={
        "accountNumber": "ACME-001",
        "name": "Acme Ltd",
        "lowValuePolicy": "FEE",
        "minimumAmount": 5.00,
        "lowUsageFee": 2.50,
    },
)

_CHARGE_OWNER = {
    "customerId": writable(
        v.id_text(),
        v.id_in(),
        v.whole_text(MAX_ID),
        required=True,
        rule="Must be a customer's id.",
    ),
}
_INVOICE_ID = {"invoiceId": _read_only(v.nullable(v.id_text()))}

CALL = Resource(
    "Call",
    {
        "id": _ID,
        **_CHARGE_OWNER,
        "startTime": writable(v.datetime_out(), v.datetime_value(), required=True),
        "duration": writable(
            {"type": "integer", "minimum": 0},
            v.whole_in(INT_MAX),
            v.whole_text(INT_MAX),
            required=True,
        ),
        "numberDialled": writable({"type": "string"}, v.text(charges.NUMBER_MAX), required=True),
        "charge": _money(4, negative=False, required=True),
        **_INVOICE_ID,
        **_STAMPS,
    },
    many=True,
    example={
        "customerId": "1",
        "startTime": "2026-11-20T10:00:00Z",
        "duration": 60,
        "numberDialled": "01234567890",
        "charge": 0.125,
    },
)

TRANSACTION = Resource(
    "Transaction",
    {
        "id": _ID,
        **_CHARGE_OWNER,
        "transactionType": writable(
            {"type": "string"},
            v.text(presets.NAME_MAX),
            required=True,
            rule="Must name a transactionType preset that is not retired (the 422 lists them).",
        ),
        "transactionDate": _date(nullable=False, required=True),
        "billDate": _date(),
        "amount": _money(4, negative=True, required=True),
        "description": writable(
            {"type": "string"}, v.text(charges.DESCRIPTION_MAX, blank=True), nullable=True
        ),
        **_INVOICE_ID,
        **_STAMPS,
    },
    many=True,
    example={
        "customerId": "1",
        "transactionType": "Rental",
        "transactionDate": "2026-11-15",
        "amount": -10.00,
        "description": "A refund",
    },
)

INVOICE = Resource(
    "Invoice",
    {
        "id": _ID,
        "number": _read_only({"type": "string"}),
        "customerId": _read_only(v.id_text()),
        "billingRunId": _read_only(v.id_text()),
        "invoiceDate": _read_only(v.date_value()),
        "dueDate": _read_only(v.nullable(v.date_value())),
        "periodEnded": _read_only(v.date_value()),
        "message": _read_only(v.nullable({"type": "string"})),
        **{
            wire: _read_only(v.money_out("at least 2 (exact to 4)"))
            for wire in ("callTotal", "transactionTotal", "adjustment")
        },
        "total": _read_only(v.money_out("exactly 2")),
        "callCount": _read_only(v.count()),
        "transactionCount": _read_only(v.count()),
        "createdDate": _read_only(v.datetime_out()),
    },
)

NOT_PRODUCED = Resource(
    "NotProducedInvoice",
    {
        "customerId": _read_only(v.id_text()),
        "reason": _read_only(v.enum(NotProducedReason)),
        "amount": _read_only(v.money_out("exactly 2")),
    },
)

RESOURCES = (BILLING_RUN, CUSTOMER, CALL, TRANSACTION, INVOICE, NOT_PRODUCED)


def _object(properties: Mapping[str, Schema], required: Iterable[str]) -> Schema:
    return {
        "type": "object",
        "properties": dict(properties),
        "required": list(required),
        "additionalProperties": False,
    }


def response_schema(resource: Resource) -> Schema:
    """What the server writes: every field, always present."""
    return _object({name: f.out for name, f in resource.fields.items()}, resource.fields)


def _in(field: Field, *, form: bool) -> Schema:
    schema = field.form if form else field.json
    if schema is None:  # read-only: may repeat the current value, nothing else
        return {**field.out, "readOnly": True}
    if not field.nullable:
        return schema
    if form:
        return {"anyOf": [{"type": "string", "maxLength": 0}, schema]}  # "" is null
    return v.nullable(schema)


def request_schema(resource: Resource, *, creating: bool, form: bool) -> Schema:
    """What a write may send: the writable fields (read-only ones only with their current
    value), as JSON or as form text; a create must send the `required` ones."""
    properties = {name: _in(field, form=form) for name, field in resource.fields.items()}
    for name, field in resource.fields.items():
        if field.rule:
            properties[name] = {**properties[name], "description": field.rule}
            properties[name]["x-rule"] = field.rule
    required = [name for name, f in resource.fields.items() if creating and f.required]
    return _object(properties, required)
