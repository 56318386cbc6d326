"""Operations and small helpers shared by the GraphQL tests and the parity test."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from models import BillingRun

RUN_FIELDS = """
fragment RunFields on BillingRun {
  id
  name
  status
  subrun
  invoiceMessage
  invoiceAmount
  invoiceDate
  cutoffDate
  transactionCutoffDate
  dueDate
  commencedDate
  completedDate
  createdDate
  updatedDate
  customersInScope
  customersDone
  invoicesProduced
  invoicesNotProduced
}
"""

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

UPDATE_RUN = (
    RUN_FIELDS
    + """
mutation UpdateRun($id: ID!, $input: UpdateBillingRunInput!) {
  updateBillingRun(id: $id, input: $input) {
    billingRun { ...RunFields }
    userErrors { field code message }
  }
}
"""
)

REQUEST_BILLS = (
    RUN_FIELDS
    + """
mutation RequestBills($id: ID!) {
  requestBills(id: $id) {
    billingRun { ...RunFields }
    userErrors { field code message }
  }
}
"""
)

GET_RUN = (
    RUN_FIELDS
    + """
query GetRun($id: ID!) {
  billingRun(id: $id) { ...RunFields }
}
"""
)

LIST_RUNS = (
    RUN_FIELDS
    + """
query ListRuns(
  $idAfter: ID, $createdSince: DateTime, $updatedSince: DateTime, $first: Int = 100,
  $after: String
) {
  billingRuns(
    idAfter: $idAfter, createdSince: $createdSince, updatedSince: $updatedSince,
    first: $first, after: $after
  ) {
    totalCount
    nodes { ...RunFields }
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
)

CREATE_PRESET = """
mutation CreatePreset($input: CreatePresetInput!) {
  createPreset(input: $input) {
    preset { kind name text retired }
    userErrors { field code message }
  }
}
"""

UPDATE_PRESET = """
mutation UpdatePreset($kind: String!, $name: String!, $input: UpdatePresetInput!) {
  updatePreset(kind: $kind, name: $name, input: $input) {
    preset { kind name text retired }
    userErrors { field code message }
  }
}
"""

LIST_PRESETS = """
query Presets($kind: String) {
  presets(kind: $kind) { kind name text retired }
}
"""


async def create_run(api: Any, /, **fields: Any) -> dict[str, Any]:
    """Create a run over GraphQL that must succeed; return it."""
    payload = (await api.gql(CREATE_RUN, {"input": {"name": "A run", **fields}}))[
        "createBillingRun"
    ]
    assert payload["userErrors"] == [], payload
    return payload["billingRun"]


async def update_run(api: Any, run_id: str, /, **fields: Any) -> dict[str, Any]:
    """The payload of updateBillingRun (which may hold userErrors)."""
    return (await api.gql(UPDATE_RUN, {"id": run_id, "input": fields}))["updateBillingRun"]


async def request_bills(api: Any, run_id: str) -> dict[str, Any]:
    """The payload of requestBills (which may hold userErrors)."""
    return (await api.gql(REQUEST_BILLS, {"id": run_id}))["requestBills"]


async def read_run(api: Any, run_id: str) -> dict[str, Any] | None:
    return (await api.gql(GET_RUN, {"id": run_id}))["billingRun"]


async def list_runs(api: Any, **arguments: Any) -> dict[str, Any]:
    return (await api.gql(LIST_RUNS, arguments))["billingRuns"]


async def create_preset(api: Any, kind: str, name: str, text: str | None = None) -> dict[str, Any]:
    """Create a preset over GraphQL that must succeed; return it."""
    variables = {"input": {"kind": kind, "name": name, "text": text}}
    payload = (await api.gql(CREATE_PRESET, variables))["createPreset"]
    assert payload["userErrors"] == [], payload
    return payload["preset"]


async def update_preset(api: Any, kind: str, name: str, /, **changes: Any) -> dict[str, Any]:
    """The payload of updatePreset (which may hold userErrors)."""
    variables = {"kind": kind, "name": name, "input": changes}
    return (await api.gql(UPDATE_PRESET, variables))["updatePreset"]


async def list_presets(api: Any, kind: str | None = None) -> list[dict[str, Any]]:
    return (await api.gql(LIST_PRESETS, {"kind": kind}))["presets"]


async def errors_of(api: Any, query: str, variables: dict[str, Any] | None = None) -> list[dict]:
    """The top-level errors of an operation that must fail at the top level."""
    response = await api.graphql(query, variables)
    body = await response.json()
    assert body.get("errors"), body
    return body["errors"]


def codes(errors: list[dict[str, Any]]) -> list[str]:
    return [error["extensions"]["code"] for error in errors]


def user_errors(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    """A payload's userErrors as (field, code) pairs."""
    return [(error["field"], error["code"]) for error in payload["userErrors"]]


async def set_run_columns(
    api: Any,
    run_id: str,
    *,
    created: datetime | None = None,
    updated: datetime | None = None,
    amount: Decimal | None = None,
) -> None:
    """Set what only the server (or the billing engine) writes, to known values."""
    columns: dict[str, Any] = {}
    if created is not None:
        columns["created_date"] = created
    if updated is not None:
        columns["updated_date"] = updated
    if amount is not None:
        columns["invoice_amount"] = amount
    with api.database():
        await BillingRun.filter(id=int(run_id)).update(**columns)
