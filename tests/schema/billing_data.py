"""Operations and helpers for the GraphQL tests of customers, charges and invoices:
records made through GraphQL, runs billed by the engine, and REST reads to compare."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from billing import engine
from tests.data import READY as READY
from tests.data import account_number, call_fields, exact, transaction_fields
from tests.schema.helpers import create_preset, create_run, request_bills

#: GraphQL's inputs for a call and a transaction are the same fields as REST's bodies.
call_input = call_fields
transaction_input = transaction_fields

CUSTOMER_FIELDS = """
fragment CustomerFields on Customer {
  id accountNumber name subrun invoiceMessage lowValuePolicy minimumAmount lowUsageFee
  createdDate updatedDate
}
"""

CALL_FIELDS = """
fragment CallFields on Call {
  id customerId startTime duration numberDialled charge invoiceId createdDate updatedDate
}
"""

TRANSACTION_FIELDS = """
fragment TransactionFields on Transaction {
  id customerId transactionType transactionDate billDate amount description invoiceId
  createdDate updatedDate
}
"""

INVOICE_FIELDS = """
fragment InvoiceFields on Invoice {
  id number customerId billingRunId invoiceDate dueDate periodEnded message callTotal
  transactionTotal adjustment total callCount transactionCount createdDate
}
"""

CREATE_CUSTOMER = (
    CUSTOMER_FIELDS
    + """
mutation CreateCustomer($input: CreateCustomerInput!) {
  createCustomer(input: $input) {
    customer { ...CustomerFields }
    userErrors { field code message }
  }
}
"""
)

UPDATE_CUSTOMER = (
    CUSTOMER_FIELDS
    + """
mutation UpdateCustomer($id: ID!, $input: UpdateCustomerInput!) {
  updateCustomer(id: $id, input: $input) {
    customer { ...CustomerFields }
    userErrors { field code message }
  }
}
"""
)

GET_CUSTOMER = (
    CUSTOMER_FIELDS
    + """
query GetCustomer($id: ID!) { customer(id: $id) { ...CustomerFields } }
"""
)

ADD_CALLS = (
    CALL_FIELDS
    + """
mutation AddCalls($input: [CallInput!]!) {
  addCalls(input: $input) {
    calls { ...CallFields }
    userErrors { field code message }
  }
}
"""
)

ADD_TRANSACTIONS = (
    TRANSACTION_FIELDS
    + """
mutation AddTransactions($input: [TransactionInput!]!) {
  addTransactions(input: $input) {
    transactions { ...TransactionFields }
    userErrors { field code message }
  }
}
"""
)

GET_INVOICE = (
    INVOICE_FIELDS
    + """
query GetInvoice($id: ID!) { invoice(id: $id) { ...InvoiceFields } }
"""
)


async def create_customer(api: Any, /, **fields: Any) -> dict[str, Any]:
    """Create a customer over GraphQL that must succeed; return it."""
    variables = {"input": {"accountNumber": account_number("GQL"), "name": "A customer", **fields}}
    payload = (await api.gql(CREATE_CUSTOMER, variables))["createCustomer"]
    assert payload["userErrors"] == [], payload
    return payload["customer"]


async def add_calls(api: Any, *items: dict[str, Any]) -> list[dict[str, Any]]:
    """Add calls over GraphQL that must succeed; return them."""
    payload = (await api.gql(ADD_CALLS, {"input": list(items)}))["addCalls"]
    assert payload["userErrors"] == [], payload
    return payload["calls"]


async def add_transactions(api: Any, *items: dict[str, Any]) -> list[dict[str, Any]]:
    """Add transactions over GraphQL that must succeed (creating the Rental type first)."""
    if not any(p["name"] == "Rental" for p in await _transaction_types(api)):
        await create_preset(api, "transactionType", "Rental")
    payload = (await api.gql(ADD_TRANSACTIONS, {"input": list(items)}))["addTransactions"]
    assert payload["userErrors"] == [], payload
    return payload["transactions"]


async def _transaction_types(api: Any) -> list[dict[str, Any]]:
    query = 'query { presets(kind: "transactionType") { name } }'
    return (await api.gql(query))["presets"]


async def bill(api: Any, /, **fields: Any) -> str:
    """Create a READY run over GraphQL, request bills and run the engine to the end; its id."""
    run = await create_run(api, **{**READY, **fields})
    assert (await request_bills(api, run["id"]))["userErrors"] == []
    with api.database():
        await engine.bill(int(run["id"]), "UTC")
    return run["id"]


async def rest_exact(api: Any, path: str) -> Any:
    """A REST GET that must succeed, with JSON numbers read as Decimal (12.50 stays 12.50)."""
    return await exact(api, "GET", path)


def as_graphql(record: dict[str, Any], *money: str) -> dict[str, Any]:
    """A REST record in GraphQL's terms: each money field a JSON number there, a string here."""
    for field in money:
        assert isinstance(record[field], Decimal), (field, record[field])
    return {**record, **{field: str(record[field]) for field in money}}
