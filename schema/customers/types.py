"""A customer, its page and its mutation payload."""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from billing.customers import CustomerRecord
from schema.core.context import Info
from schema.core.mutations import UserError
from schema.core.pagination import After, Connection, First

if TYPE_CHECKING:
    from schema.charges.types import CallConnection, TransactionConnection
    from schema.invoices.types import InvoiceConnection


POLICY = (
    "What happens when an invoice's subtotal is at least 0 but below minimumAmount: "
    "NONE (produce it anyway), SKIP (no invoice; the charges wait for a later run), "
    "PAD (add the difference) or FEE (add lowUsageFee)."
)


@strawberry.type(description="A customer: an account that charges are billed to.")
class Customer:
    id: strawberry.ID = strawberry.field(description="The customer's id (text of an integer).")
    account_number: str = strawberry.field(
        description="Unique, 1 to 32 of A-Z a-z 0-9 and -; starts the invoice numbers."
    )
    name: str = strawberry.field(description="The customer's name, 1 to 255 characters.")
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

    @classmethod
    def from_record(cls, customer: CustomerRecord) -> Customer:
        return cls(
            id=strawberry.ID(str(customer.id)),
            account_number=customer.account_number,
            name=customer.name,
            subrun=customer.subrun,
            invoice_message=customer.invoice_message,
            low_value_policy=customer.low_value_policy,
            minimum_amount=customer.minimum_amount,
            low_usage_fee=customer.low_usage_fee,
            created_date=customer.created_date,
            updated_date=customer.updated_date,
        )

    @strawberry.field(description="The customer's invoices, in id order.")
    async def invoices(
        self, info: Info, first: First = 100, after: After = None
    ) -> Annotated[InvoiceConnection, strawberry.lazy("schema.invoices.types")]:
        return await info.context.loaders.invoices_by_customer.page(int(self.id), first, after)

    @strawberry.field(description="The customer's calls, billed or not, in id order.")
    async def calls(
        self, info: Info, first: First = 100, after: After = None
    ) -> Annotated[CallConnection, strawberry.lazy("schema.charges.types")]:
        return await info.context.loaders.calls_by_customer.page(int(self.id), first, after)

    @strawberry.field(description="The customer's transactions, billed or not, in id order.")
    async def transactions(
        self, info: Info, first: First = 100, after: After = None
    ) -> Annotated[TransactionConnection, strawberry.lazy("schema.charges.types")]:
        return await info.context.loaders.transactions_by_customer.page(int(self.id), first, after)


@strawberry.type(description="A page of customers in id order.")
class CustomerConnection(Connection[Customer]):
    cursor_kind = "customer"


@strawberry.type(description="The result of a customer mutation.")
class CustomerPayload:
    customer: Customer | None = strawberry.field(
        description="The customer as it now is; null when the mutation failed."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the mutation failed; empty on success."
    )
