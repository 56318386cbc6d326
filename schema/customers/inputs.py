"""Customer inputs. Absent fields are left alone; null clears a field."""

from __future__ import annotations

import decimal

import strawberry

from schema.customers.types import POLICY


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
        default=strawberry.UNSET, description=POLICY + " Default NONE."
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
