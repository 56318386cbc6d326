"""Property-based: random text in any text field of any write, and in any id, filter or
cursor a lookup reads, on both transports, is never an internal error; a refused write
changes nothing, and an accepted one stores the text exactly as sent.

The text is 0 to 300 characters of any Unicode but surrogates (JSON cannot carry a lone
one to a server that decodes it strictly), weighted towards NUL (PostgreSQL refuses it),
control characters and the characters valid values are made of, so lengths around every
column's limit are tried with otherwise valid content ("x" * 64 is a preset's name).

Each test shares one database between its examples (hence the suppressed
function_scoped_fixture health check): every example compares all the rows a write may
touch before and after it.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from billing import presets
from billing.sql import Sql
from tests.conftest import Api
from tests.rest.billing_data import (
    CALLS,
    CUSTOMERS,
    TRANSACTIONS,
    call_fields,
    create_customer,
    create_transaction,
    transaction_fields,
)
from tests.rest.helpers import RUNS, add_preset, create_run

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MAX_LENGTH = 300
#: NUL, control and odd white-space characters, and the characters valid values use.
_CONTROL = ["\x00", "\x01", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", " "]
_PLAIN = ["x", "X", "0", "9", "-", ".", ":", "/", "%", '"', "\\", "é", "\u0663", "\U0001f600"]
_SPECIAL = st.sampled_from([*_CONTROL, *_PLAIN])
_CHARACTERS = st.one_of(_SPECIAL, st.characters(codec="utf-8"))  # utf-8: no surrogates
_LENGTHS = st.integers(0, MAX_LENGTH)
TEXT = st.one_of(
    _LENGTHS.flatmap(lambda n: st.text(_CHARACTERS, min_size=n, max_size=n)),
    # Without NUL, so that odd text also gets past the checks and reaches the database.
    _LENGTHS.flatmap(
        lambda n: st.text(
            st.characters(codec="utf-8", exclude_characters="\x00"), min_size=n, max_size=n
        )
    ),
    _LENGTHS.map(lambda n: "x" * n),  # valid characters: only the length is in question
    _LENGTHS.map(lambda n: "9" * n),  # digits: ids and amounts of every size
)

#: Every table a write may touch: a refused write leaves each row as it was.
TABLES = ("billing_run", "customer", "call", "charge_transaction", "preset", "invoice")
LONGEST_PRESET = "x" * presets.NAME_MAX
INTERNAL_CODES = {"INTERNAL", "INTERNAL_SERVER_ERROR"}


async def snapshot(api: Api) -> dict[str, list[dict[str, Any]]]:
    with api.database():
        sql = Sql()
        return {table: await sql.rows(f"SELECT * FROM {table} ORDER BY id") for table in TABLES}


@dataclass
class World:
    """What a test's examples write against: presets to name, and rows to change."""

    api: Api
    run_id: str
    customer_id: str
    transaction_id: str
    counter: Callable[[], int] = field(default_factory=lambda: itertools.count(1).__next__)

    def unique(self, prefix: str) -> str:
        return f"{prefix}{self.counter()}"

    async def fresh_preset(self, kind: str) -> str:
        """A preset of `kind` no earlier example renamed or retired."""
        name = self.unique("P")
        await add_preset(self.api, kind, name)
        return name


@pytest.fixture
async def world(api: Api) -> World:
    """Made once per test; its examples share it (and the database)."""
    for kind in ("billingSubrun", "invoiceMessage", "transactionType"):
        await add_preset(api, kind, LONGEST_PRESET)
    for kind, name in (
        ("billingSubrun", "North"),
        ("invoiceMessage", "Hello"),
        ("transactionType", "Rental"),
    ):
        await add_preset(api, kind, name)
    run = await create_run(api, "Target")
    customer = await create_customer(api)
    transaction = await create_transaction(api, customer)
    return World(api, str(run["id"]), str(customer["id"]), str(transaction["id"]))


def draw_texts(
    data: st.DataObject, fields: tuple[str, ...], stored: tuple[str, ...]
) -> dict[str, str]:
    """Random text for one or two of `fields` (mostly one, so each is tried alone).

    Half the time only fields stored as written (`stored`) are drawn: random text in an
    enum, date or amount is nearly always refused, and accepted writes of odd text are
    what reach the database.
    """
    pool = data.draw(st.sampled_from([fields, stored]))
    most = 1 if pool is stored else 2
    chosen = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=most, unique=True))
    return {name: data.draw(TEXT, label=name) for name in chosen}


# --- REST ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RestWrite:
    method: str
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any]]
    #: The fields random text goes into (every field a client sends as text).
    fields: tuple[str, ...]
    #: Fields an accepted write stores and returns exactly as sent.
    verbatim: tuple[str, ...]
    #: Whether the resource also takes an array of items (all or nothing).
    batches: bool = False


RUN_TEXT = (
    "name",
    "status",
    "subrun",
    "invoiceMessage",
    "invoiceDate",
    "cutoffDate",
    "transactionCutoffDate",
    "dueDate",
)
CUSTOMER_TEXT = (
    "accountNumber",
    "name",
    "subrun",
    "invoiceMessage",
    "lowValuePolicy",
    "minimumAmount",
    "lowUsageFee",
)
CUSTOMER_VERBATIM = ("accountNumber", "name", "subrun", "invoiceMessage", "lowValuePolicy")
CALL_TEXT = ("customerId", "startTime", "duration", "numberDialled", "charge")
TRANSACTION_TEXT = (
    "customerId",
    "transactionType",
    "transactionDate",
    "billDate",
    "amount",
    "description",
)

REST_WRITES = {
    "create run": RestWrite(
        "POST",
        lambda w: RUNS,
        lambda w: {"name": "Fuzz"},
        RUN_TEXT,
        ("name", "subrun", "invoiceMessage"),
    ),
    "update run": RestWrite(
        "PATCH",
        lambda w: RUNS + w.run_id,
        lambda w: {},
        RUN_TEXT,
        ("name", "subrun", "invoiceMessage"),
    ),
    "create customer": RestWrite(
        "POST",
        lambda w: CUSTOMERS,
        lambda w: {"accountNumber": w.unique("FZ"), "name": "Fuzz"},
        CUSTOMER_TEXT,
        CUSTOMER_VERBATIM,
    ),
    "update customer": RestWrite(
        "PATCH", lambda w: CUSTOMERS + w.customer_id, lambda w: {}, CUSTOMER_TEXT, CUSTOMER_VERBATIM
    ),
    "create call": RestWrite(
        "POST",
        lambda w: CALLS,
        lambda w: call_fields({"id": w.customer_id}),
        CALL_TEXT,
        ("numberDialled",),
        batches=True,
    ),
    "create transaction": RestWrite(
        "POST",
        lambda w: TRANSACTIONS,
        lambda w: transaction_fields({"id": w.customer_id}),
        TRANSACTION_TEXT,
        ("transactionType", "description"),
        batches=True,
    ),
    "update transaction": RestWrite(
        "PATCH",
        lambda w: TRANSACTIONS + w.transaction_id,
        lambda w: {},
        TRANSACTION_TEXT,
        ("transactionType", "description"),
    ),
}


def assert_not_internal_rest(status: int, body: Any) -> None:
    assert status < 500, body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        assert body["error"].get("code") not in INTERNAL_CODES, body


@pytest.mark.parametrize("write", REST_WRITES.values(), ids=REST_WRITES.keys())
@FUZZ
@given(data=st.data())
async def test_rest_writes_never_fail_internally_and_refusals_change_nothing(
    api: Api, world: World, write: RestWrite, data: st.DataObject
) -> None:
    texts = draw_texts(data, write.fields, write.verbatim)
    item = {**write.body(world), **texts}
    shape = data.draw(
        st.sampled_from(["json", "form", "array"] if write.batches else ["json", "form"])
    )
    if shape == "form":
        kwargs: dict[str, Any] = {"data": {key: str(value) for key, value in item.items()}}
    elif shape == "array":
        kwargs = {"json": [write.body(world), item]}
    else:
        kwargs = {"json": item}

    before = await snapshot(api)
    response = await api.rest(write.method, write.path(world), **kwargs)
    body = await response.json(content_type=None)
    assert_not_internal_rest(response.status, body)

    event(f"HTTP {response.status}")
    if response.status >= 400:
        assert response.status in (400, 404, 409, 422), body
        assert list(body) == ["error"], body
        assert await snapshot(api) == before
        return
    assert response.status in (200, 201), body
    record = body[-1] if shape == "array" else body
    for name in write.verbatim:
        if name in texts and not (shape == "form" and texts[name] == ""):  # a form's "" is null
            assert record[name] == texts[name], (name, record)


LOOKUP_PATHS = (
    RUNS + "{}",
    RUNS + "{}/invoices",
    RUNS + "{}/notProduced",
    CUSTOMERS + "{}",
    CUSTOMERS + "{}/invoices",
    CUSTOMERS + "{}/calls",
    CUSTOMERS + "{}/transactions",
    CALLS + "{}",
    TRANSACTIONS + "{}",
    "/invoices/{}",
    "/invoices/{}/calls",
    "/invoices/{}/transactions",
)
LIST_PARAMETERS = {
    RUNS: ("idAfter", "createdSince", "updatedSince", "limit", "offset"),
    CUSTOMERS: ("idAfter", "createdSince", "updatedSince", "limit", "offset"),
    CALLS: ("idAfter", "limit", "offset", "billed", "unbilled", "minDate", "maxDate"),
    TRANSACTIONS: ("idAfter", "limit", "offset", "billed", "unbilled"),
    "/invoices/": ("idAfter", "createdSince", "updatedSince", "limit", "offset"),
}


@FUZZ
@given(data=st.data())
async def test_rest_lookups_by_any_text_never_fail_internally(
    api: Api, world: World, data: st.DataObject
) -> None:
    """Ids in paths (and DELETE's), and list parameters."""
    text = data.draw(TEXT)
    how = data.draw(st.sampled_from(["path", "delete", "list"]))
    before = await snapshot(api)
    if how == "list":
        path = data.draw(st.sampled_from(sorted(LIST_PARAMETERS)))
        name = data.draw(st.sampled_from(LIST_PARAMETERS[path]))
        response = await api.rest("GET", path, params={name: text})
    elif how == "delete":
        response = await api.rest("DELETE", TRANSACTIONS + quote(text, safe=""))
    else:
        template = data.draw(st.sampled_from(LOOKUP_PATHS))
        response = await api.rest("GET", template.format(quote(text, safe="")))
    body = await response.json(content_type=None)
    assert_not_internal_rest(response.status, body)
    if response.status >= 400:
        assert await snapshot(api) == before


# --- GraphQL -------------------------------------------------------------------------


@dataclass(frozen=True)
class GqlWrite:
    query: str
    #: The mutation's field in `data`, and the payload's record field.
    mutation: str
    record: str
    variables: Callable[[World], Any]
    #: Dotted paths into the variables that random text goes into (`input.0.charge`).
    fields: tuple[str, ...]
    #: Paths an accepted write stores and returns exactly as sent: path -> record field.
    verbatim: dict[str, str]


def _mutation(name: str, arguments: str, call: str, record: str, selection: str) -> str:
    return (
        f"mutation M({arguments}) {{ {name}({call}) {{ "
        f"{record} {{ {selection} }} userErrors {{ field code message }} }} }}"
    )


_RUN = "id name subrun invoiceMessage invoiceDate cutoffDate transactionCutoffDate dueDate"
_CUSTOMER = "id accountNumber name subrun invoiceMessage lowValuePolicy minimumAmount lowUsageFee"
_CALL = "id customerId startTime duration numberDialled charge"
_TRANSACTION = "id customerId transactionType transactionDate billDate amount description"
_PRESET = "kind name text retired"
RUN_INPUT = (
    "name",
    "subrun",
    "invoiceMessage",
    "invoiceDate",
    "cutoffDate",
    "transactionCutoffDate",
    "dueDate",
)
RUN_SAME = {"name": "name", "subrun": "subrun", "invoiceMessage": "invoiceMessage"}
CUSTOMER_SAME = {name: name for name in CUSTOMER_VERBATIM}


def _inputs(names: tuple[str, ...], prefix: str = "input.") -> tuple[str, ...]:
    return tuple(prefix + name for name in names)


def _same(mapping: dict[str, str], prefix: str = "input.") -> dict[str, str]:
    return {prefix + path: record for path, record in mapping.items()}


GQL_WRITES = {
    "createBillingRun": GqlWrite(
        _mutation(
            "createBillingRun",
            "$input: CreateBillingRunInput!",
            "input: $input",
            "billingRun",
            _RUN,
        ),
        "createBillingRun",
        "billingRun",
        lambda w: {"input": {"name": "Fuzz"}},
        _inputs(RUN_INPUT),
        _same(RUN_SAME),
    ),
    "updateBillingRun": GqlWrite(
        _mutation(
            "updateBillingRun",
            "$id: ID!, $input: UpdateBillingRunInput!",
            "id: $id, input: $input",
            "billingRun",
            _RUN,
        ),
        "updateBillingRun",
        "billingRun",
        lambda w: {"id": w.run_id, "input": {}},
        ("id", *_inputs(RUN_INPUT)),
        _same(RUN_SAME),
    ),
    "createCustomer": GqlWrite(
        _mutation(
            "createCustomer", "$input: CreateCustomerInput!", "input: $input", "customer", _CUSTOMER
        ),
        "createCustomer",
        "customer",
        lambda w: {"input": {"accountNumber": w.unique("FZ"), "name": "Fuzz"}},
        _inputs(CUSTOMER_TEXT),
        _same(CUSTOMER_SAME),
    ),
    "updateCustomer": GqlWrite(
        _mutation(
            "updateCustomer",
            "$id: ID!, $input: UpdateCustomerInput!",
            "id: $id, input: $input",
            "customer",
            _CUSTOMER,
        ),
        "updateCustomer",
        "customer",
        lambda w: {"id": w.customer_id, "input": {}},
        ("id", *_inputs(CUSTOMER_TEXT)),
        _same(CUSTOMER_SAME),
    ),
    "addCalls": GqlWrite(
        _mutation("addCalls", "$input: [CallInput!]!", "input: $input", "calls", _CALL),
        "addCalls",
        "calls",
        lambda w: {"input": [call_fields({"id": w.customer_id})]},
        _inputs(tuple(name for name in CALL_TEXT if name != "duration"), "input.0."),
        {"input.0.numberDialled": "numberDialled"},
    ),
    "addTransactions": GqlWrite(
        _mutation(
            "addTransactions",
            "$input: [TransactionInput!]!",
            "input: $input",
            "transactions",
            _TRANSACTION,
        ),
        "addTransactions",
        "transactions",
        lambda w: {"input": [transaction_fields({"id": w.customer_id})]},
        _inputs(TRANSACTION_TEXT, "input.0."),
        _same({"transactionType": "transactionType", "description": "description"}, "input.0."),
    ),
    "updateTransaction": GqlWrite(
        _mutation(
            "updateTransaction",
            "$id: ID!, $input: UpdateTransactionInput!",
            "id: $id, input: $input",
            "transaction",
            _TRANSACTION,
        ),
        "updateTransaction",
        "transaction",
        lambda w: {"id": w.transaction_id, "input": {}},
        ("id", *_inputs(TRANSACTION_TEXT)),
        _same({"transactionType": "transactionType", "description": "description"}),
    ),
    "createPreset": GqlWrite(
        _mutation("createPreset", "$input: CreatePresetInput!", "input: $input", "preset", _PRESET),
        "createPreset",
        "preset",
        lambda w: {"input": {"kind": "invoiceMessage", "name": w.unique("New"), "text": "Hi"}},
        _inputs(("kind", "name", "text")),
        _same({"name": "name", "text": "text"}),
    ),
    "updatePreset": GqlWrite(
        _mutation(
            "updatePreset",
            "$kind: String!, $name: String!, $input: UpdatePresetInput!",
            "kind: $kind, name: $name, input: $input",
            "preset",
            _PRESET,
        ),
        "updatePreset",
        "preset",
        # The preset is made fresh for each example (see the test), so renames stay apart.
        lambda w: {"kind": "invoiceMessage", "name": "", "input": {"text": "Changed"}},
        ("kind", "name", "input.name", "input.text"),
        _same({"name": "name", "text": "text"}),
    ),
}


def set_path(variables: Any, path: str, value: str) -> None:
    *parents, last = path.split(".")
    target = variables
    for step in parents:
        target = target[int(step)] if isinstance(target, list) else target[step]
    target[last] = value


def graphql_problems(body: dict[str, Any], mutation: str) -> list[dict[str, Any]]:
    """Top-level errors and the payload's userErrors, each checked not to be internal."""
    problems = list(body.get("errors") or [])
    for error in problems:
        assert error.get("extensions", {}).get("code") not in INTERNAL_CODES, body
    payload = (body.get("data") or {}).get(mutation)
    if payload is not None:
        for error in payload["userErrors"]:
            assert error["code"] not in INTERNAL_CODES, body
            if error["code"] == "VALIDATION_FAILED":
                assert error["field"], body  # it names the field at fault
        problems += payload["userErrors"]
    return problems


@pytest.mark.parametrize("write", GQL_WRITES.values(), ids=GQL_WRITES.keys())
@FUZZ
@given(data=st.data())
async def test_graphql_writes_never_fail_internally_and_refusals_change_nothing(
    api: Api, world: World, write: GqlWrite, data: st.DataObject
) -> None:
    variables = write.variables(world)
    if write.mutation == "updatePreset":
        variables["name"] = await world.fresh_preset("invoiceMessage")
    texts = draw_texts(data, write.fields, tuple(write.verbatim))
    for path, text in texts.items():
        set_path(variables, path, text)

    before = await snapshot(api)
    response = await api.graphql(write.query, variables)
    body = await response.json()
    assert response.status < 500, body
    problems = graphql_problems(body, write.mutation)

    event("refused" if problems else "accepted")
    if problems:
        assert await snapshot(api) == before
        return
    record = body["data"][write.mutation][write.record]
    record = record[0] if isinstance(record, list) else record
    for path, name in write.verbatim.items():
        if path in texts:
            assert record[name] == texts[path], (name, record)


LOOKUPS = {
    "billingRun": "query Q($t: ID!) { billingRun(id: $t) { id } }",
    "customer": "query Q($t: ID!) { customer(id: $t) { id } }",
    "invoice": "query Q($t: ID!) { invoice(id: $t) { id } }",
    "preBillingReport": "query Q($t: ID!) { preBillingReport(billingRunId: $t) { customerId } }",
    "presets": "query Q($t: String) { presets(kind: $t) { name } }",
    "requestBills": "mutation M($t: ID!) { requestBills(id: $t) { userErrors { field code } } }",
    "deleteTransaction": (
        "mutation M($t: ID!) { deleteTransaction(id: $t) { userErrors { field code } } }"
    ),
}
#: Each list and the kind its cursors name.
CURSOR_KINDS = {
    "billingRuns": "billingRun",
    "customers": "customer",
    "calls": "call",
    "transactions": "transaction",
    "invoices": "invoice",
}
for _list in CURSOR_KINDS:
    LOOKUPS[f"{_list}(after)"] = f"query Q($t: String) {{ {_list}(after: $t) {{ totalCount }} }}"
    LOOKUPS[f"{_list}(idAfter)"] = f"query Q($t: ID) {{ {_list}(idAfter: $t) {{ totalCount }} }}"
    LOOKUPS[f"{_list}(createdSince)"] = (
        f"query Q($t: DateTime) {{ {_list}(createdSince: $t) {{ totalCount }} }}"
    )


@FUZZ
@given(data=st.data())
async def test_graphql_lookups_by_any_text_never_fail_internally(
    api: Api, world: World, data: st.DataObject
) -> None:
    """Ids, kinds, cursors and filters (a cursor is sent as drawn or, to get past the
    base64, as a well-formed cursor of its list around the drawn text)."""
    name = data.draw(st.sampled_from(sorted(LOOKUPS)))
    text = data.draw(TEXT)
    if name.endswith("(after)") and data.draw(st.booleans(), label="encoded"):
        kind = CURSOR_KINDS[name.removesuffix("(after)")]
        text = base64.urlsafe_b64encode(f"{kind}:{text}".encode()).decode()
    before = await snapshot(api)
    response = await api.graphql(LOOKUPS[name], {"t": text})
    body = await response.json()
    assert response.status < 500, body
    writes = name in ("requestBills", "deleteTransaction")
    problems = graphql_problems(body, name if writes else "")
    if problems or not writes:
        assert await snapshot(api) == before
