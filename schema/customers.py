"""Customers: the type, its inputs and payload, and its queries and mutations."""

from __future__ import annotations

import datetime
import decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from billing import customers
from billing.customers import CustomerRecord
from billing.errors import BillingError
from billing.listing import ListFilter
from schema.context import Info
from schema.inputs import wire_fields
from schema.pagination import (
    After,
    Connection,
    CreatedSince,
    First,
    IdAfter,
    UpdatedSince,
    list_filter,
    paginate,
)
from schema.types import UserError, attempt

if TYPE_CHECKING:
    from schema.charges import CallConnection, TransactionConnection
    from schema.invoices import InvoiceConnection

_POLICY = (
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
    low_value_policy: str = strawberry.field(description=_POLICY)
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
    ) -> Annotated[InvoiceConnection, strawberry.lazy("schema.invoices")]:
        return await info.context.loaders.invoices_by_customer.page(int(self.id), first, after)

    @strawberry.field(description="The customer's calls, billed or not, in id order.")
    async def calls(
        self, info: Info, first: First = 100, after: After = None
    ) -> Annotated[CallConnection, strawberry.lazy("schema.charges")]:
        return await info.context.loaders.calls_by_customer.page(int(self.id), first, after)

    @strawberry.field(description="The customer's transactions, billed or not, in id order.")
    async def transactions(
        self, info: Info, first: First = 100, after: After = None
    ) -> Annotated[TransactionConnection, strawberry.lazy("schema.charges")]:
        return await info.context.loaders.transactions_by_customer.page(int(self.id), first, after)


@strawberry.type(description="A page of customers in id order.")
class CustomerConnection(Connection[Customer]):
    cursor_kind = "customer"


@strawberry.input(description="A new customer.")
class CreateCustomerInput:
    account_number: str = strawberry.field(
        description="Unique, 1 to 32 of A-Z a-z 0-9 and -; starts the invoice numbers."
    )
    name: str = strawberry.field(description="The customer's name, 1 to 255 characters.")
    subrun: str | None = strawberry.field(
        default=strawberry.UNSET, description="A billingSubrun preset name, or null (default)."
    )
    invoice_message: str | None = strawberry.field(
        default=strawberry.UNSET, description="An invoiceMessage preset name, or null (default)."
    )
    low_value_policy: str | None = strawberry.field(
        default=strawberry.UNSET, description=_POLICY + " Default NONE."
    )
    minimum_amount: decimal.Decimal | None = strawberry.field(
        default=strawberry.UNSET, description='At least 0, at most 2 places; default "0.00".'
    )
    low_usage_fee: decimal.Decimal | None = strawberry.field(
        default=strawberry.UNSET, description='At least 0, at most 2 places; default "0.00".'
    )


@strawberry.input(
    description=(
        "Changes to a customer; fields left out stay as they are. The account number "
        "cannot change once the customer has an invoice."
    )
)
class UpdateCustomerInput:
    account_number: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Unique, 1 to 32 of A-Z a-z 0-9 and -; locked once invoiced.",
    )
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="The customer's name, 1 to 255 characters."
    )
    subrun: str | None = strawberry.field(
        default=strawberry.UNSET, description="A billingSubrun preset name, or null."
    )
    invoice_message: str | None = strawberry.field(
        default=strawberry.UNSET, description="An invoiceMessage preset name, or null."
    )
    low_value_policy: str | None = strawberry.field(
        default=strawberry.UNSET, description="NONE, SKIP, PAD or FEE."
    )
    minimum_amount: decimal.Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="At least 0, at most 2 places."
    )
    low_usage_fee: decimal.Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="At least 0, at most 2 places."
    )


@strawberry.type(description="The result of a customer mutation.")
class CustomerPayload:
    customer: Customer | None = strawberry.field(
        description="The customer as it now is; null when the mutation failed."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Why the mutation failed; empty on success."
    )


async def _fetch_customers(filters: ListFilter, limit: int) -> list[Customer]:
    return [Customer.from_record(c) for c in await customers.list_customers(filters, limit)]


@strawberry.type(description="Read customers.")
class Query:
    @strawberry.field(description="The customer with this id, or null if there is none.")
    async def customer(
        self, id: Annotated[strawberry.ID, strawberry.argument(description="The customer's id.")]
    ) -> Customer | None:
        try:
            return Customer.from_record(await customers.get_customer(id))
        except BillingError:
            return None

    @strawberry.field(description="Customers in id order, filtered (filters combine with AND).")
    async def customers(
        self,
        id_after: IdAfter = None,
        created_since: CreatedSince = None,
        updated_since: UpdatedSince = None,
        first: First = 100,
        after: After = None,
    ) -> CustomerConnection:
        filters = list_filter(id_after, created_since, updated_since)
        return await paginate(
            CustomerConnection,
            first,
            after,
            _fetch_customers,
            lambda: customers.count_customers(filters),
            filters,
        )


@strawberry.type(description="Create and change customers.")
class Mutation:
    @strawberry.mutation(description="Create a customer.")
    async def create_customer(
        self,
        input: Annotated[CreateCustomerInput, strawberry.argument(description="The new customer.")],
    ) -> CustomerPayload:
        customer, errors = await attempt(
            customers.create_customer(wire_fields(input)), Customer.from_record
        )
        return CustomerPayload(customer=customer, user_errors=errors)

    @strawberry.mutation(
        description="Change a customer. Its account number locks once it has an invoice."
    )
    async def update_customer(
        self,
        id: Annotated[strawberry.ID, strawberry.argument(description="The customer's id.")],
        input: Annotated[UpdateCustomerInput, strawberry.argument(description="What to change.")],
    ) -> CustomerPayload:
        customer, errors = await attempt(
            customers.update_customer(id, wire_fields(input)), Customer.from_record
        )
        return CustomerPayload(customer=customer, user_errors=errors)
