"""A customer and its page."""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from schema.core.fields import page_field, reference_field
from schema.core.nodes import FromRecord
from schema.core.pagination import Connection

if TYPE_CHECKING:
    from schema.charges.types import CallConnection, TransactionConnection
    from schema.invoices.types import InvoiceConnection

#: The argument naming a customer.
CustomerId = Annotated[strawberry.ID, strawberry.argument(description="The customer's id.")]
_INVOICES = Annotated["InvoiceConnection", strawberry.lazy("schema.invoices.types")]
_CALLS = Annotated["CallConnection", strawberry.lazy("schema.charges.types")]
_TRANSACTIONS = Annotated["TransactionConnection", strawberry.lazy("schema.charges.types")]

ACCOUNT_NUMBER = "Unique, 1 to 32 of A-Z a-z 0-9 and -"
NAME = "The customer's name, 1 to 255 characters."
POLICY = (
    "What happens when an invoice's subtotal is at least 0 but below minimumAmount: "
    "NONE (produce it anyway), SKIP (no invoice; the charges wait for a later run), "
    "PAD (add the difference) or FEE (add lowUsageFee)."
)


@strawberry.type(description="A customer: an account that charges are billed to.")
class Customer(FromRecord):
    id: strawberry.ID = strawberry.field(description="The customer's id (text of an integer).")
    account_number: str = strawberry.field(
        description=ACCOUNT_NUMBER + "; starts the invoice numbers."
    )
    name: str = strawberry.field(description=NAME)
    subrun: str | None = strawberry.field(
        description="The billingSubrun preset whose runs bill this customer, or null."
    )
    invoice_message: str | None = strawberry.field(
        description="The invoiceMessage preset printed on its invoices unless a run names one."
    )
    low_value_policy: str = strawberry.field(description=POLICY)
    minimum_amount: decimal.Decimal = strawberry.field(
        description="The lowest invoice subtotal the policy lets through, 2 places."
    )
    low_usage_fee: decimal.Decimal = strawberry.field(
        description="The fee the FEE policy adds to a low invoice, 2 places."
    )
    created_date: datetime.datetime = strawberry.field(description="When the customer was created.")
    updated_date: datetime.datetime = strawberry.field(
        description="When the customer last changed."
    )

    invoices = page_field(_INVOICES, "invoices_by_customer", "The customer's invoices")
    calls = page_field(_CALLS, "calls_by_customer", "The customer's calls, billed or not")
    transactions = page_field(
        _TRANSACTIONS, "transactions_by_customer", "The customer's transactions, billed or not"
    )


@strawberry.type(description="A page of customers in id order.")
class CustomerConnection(Connection[Customer]):
    cursor_kind = "customer"


def customer_field(description: str) -> Any:
    """The customer a node's `customer_id` names."""
    return reference_field(Customer, "customer_id", "customer_by_id", description)
