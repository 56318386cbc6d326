"""Invoices (read-only: only the billing engine writes them), the lines of customers a
run did not invoice, and the pre-billing report of what a run would produce."""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from billing.engine import Outcome
from billing.money import cents_from_units, from_units
from schema.core.fields import page_field, reference_field
from schema.core.nodes import FromRecord
from schema.core.pagination import Connection
from schema.customers.types import customer_field
from schema.runs.types import BillingRun

if TYPE_CHECKING:
    from schema.charges.types import CallConnection, TransactionConnection

#: The argument naming an invoice.
InvoiceId = Annotated[strawberry.ID, strawberry.argument(description="The invoice's id.")]
_CALLS = Annotated["CallConnection", strawberry.lazy("schema.charges.types")]
_TRANSACTIONS = Annotated["TransactionConnection", strawberry.lazy("schema.charges.types")]

_EXACT = "exact to 4 places, written with at least 2"
_REASON = "EMPTY (no charge included) or TOO_LOW (below the minimum, policy SKIP)"


@strawberry.type(description="An invoice a billing run produced for one customer.")
class Invoice(FromRecord):
    id: strawberry.ID = strawberry.field(description="The invoice's id (text of an integer).")
    number: str = strawberry.field(
        description="ACCOUNT/n: n counts the customer's invoices from 1, without gaps."
    )
    customer_id: strawberry.ID = strawberry.field(description="The id of the customer billed.")
    billing_run_id: strawberry.ID = strawberry.field(
        description="The id of the run that produced it."
    )
    invoice_date: datetime.date = strawberry.field(description="The date on the invoice.")
    due_date: datetime.date | None = strawberry.field(description="When payment is due.")
    period_ended: datetime.date = strawberry.field(
        description="The last day billed: the day before the run's cutoffDate."
    )
    message: str | None = strawberry.field(
        description="The text printed on it: the run's message, else the customer's."
    )
    call_total: decimal.Decimal = strawberry.field(description=f"Its calls' sum, {_EXACT}.")
    transaction_total: decimal.Decimal = strawberry.field(
        description=f"Its transactions' sum, {_EXACT}."
    )
    adjustment: decimal.Decimal = strawberry.field(
        description=f"Padding or low-usage fee added by the customer's policy, {_EXACT}."
    )
    total: decimal.Decimal = strawberry.field(
        description="What the customer owes: the sum of the above, rounded half-up to 2 places."
    )
    call_count: int = strawberry.field(description="How many calls it bills.")
    transaction_count: int = strawberry.field(description="How many transactions it bills.")
    created_date: datetime.datetime = strawberry.field(
        description="When it was produced (invoices never change)."
    )

    customer = customer_field("The customer billed.")
    billing_run = reference_field(
        BillingRun, "billing_run_id", "billing_run_by_id", "The run that produced the invoice."
    )
    calls = page_field(_CALLS, "calls_by_invoice", "The calls the invoice bills")
    transactions = page_field(
        _TRANSACTIONS, "transactions_by_invoice", "The transactions the invoice bills"
    )


def invoice_field(description: str) -> Any:
    """The invoice that billed a charge (its `invoice_id`); null until one does."""
    return reference_field(Invoice, "invoice_id", "invoice_by_id", description, optional=True)


@strawberry.type(description="A page of invoices in id order.")
class InvoiceConnection(Connection[Invoice]):
    cursor_kind = "invoice"


@strawberry.type(description="A customer in a run's scope who got no invoice from it.")
class NotProducedInvoice(FromRecord):
    customer_id: strawberry.ID = strawberry.field(description="The customer's id.")
    reason: str = strawberry.field(description=_REASON + ".")
    amount: decimal.Decimal = strawberry.field(
        description="0 for EMPTY; the subtotal rounded to 2 places for TOO_LOW."
    )

    customer = customer_field("The customer.")


@strawberry.type(
    description="One customer's invoice as a run would produce it now, or why it would not."
)
class PreBillingLine:
    customer_id: strawberry.ID = strawberry.field(description="The customer's id.")
    call_total: decimal.Decimal = strawberry.field(
        description=f"The included calls' sum, {_EXACT}."
    )
    call_count: int = strawberry.field(description="How many calls would be billed.")
    transaction_total: decimal.Decimal = strawberry.field(
        description=f"The included transactions' sum, {_EXACT}."
    )
    transaction_count: int = strawberry.field(description="How many transactions would be billed.")
    adjustment: decimal.Decimal = strawberry.field(
        description=f"Padding or low-usage fee the customer's policy would add, {_EXACT}."
    )
    total: decimal.Decimal = strawberry.field(
        description=(
            "The invoice's total, rounded half-up to 2 places (for TOO_LOW: the rounded "
            "subtotal, as the not-produced line will say)."
        )
    )
    produced: bool = strawberry.field(description="Whether an invoice would be produced.")
    reason: str | None = strawberry.field(description=f"Why not: {_REASON}; null when produced.")

    @classmethod
    def from_outcome(cls, outcome: Outcome) -> PreBillingLine:
        return cls(
            customer_id=strawberry.ID(str(outcome.terms.customer_id)),
            call_total=from_units(outcome.charges.call_total),
            call_count=outcome.charges.call_count,
            transaction_total=from_units(outcome.charges.transaction_total),
            transaction_count=outcome.charges.transaction_count,
            adjustment=from_units(outcome.adjustment),
            total=cents_from_units(outcome.total),
            produced=outcome.produced,
            reason=outcome.reason,
        )

    customer = customer_field("The customer.")
