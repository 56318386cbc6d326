"""Customer inputs. Absent fields are left alone; null clears a field."""

from __future__ import annotations

import decimal
from typing import Annotated

import strawberry

from schema.core.inputs import optional_field
from schema.customers.types import ACCOUNT_NUMBER, NAME, POLICY

_AMOUNT = "At least 0, at most 2 places"


@strawberry.input(description="A new customer.")
class CreateCustomerInput:
    account_number: str = strawberry.field(
        description=ACCOUNT_NUMBER + "; starts the invoice numbers."
    )
    name: str = strawberry.field(description=NAME)
    subrun: str | None = optional_field("A billingSubrun preset name, or null (default).")
    invoice_message: str | None = optional_field(
        "An invoiceMessage preset name, or null (default)."
    )
    low_value_policy: str | None = optional_field(POLICY + " Default NONE.")
    minimum_amount: decimal.Decimal | None = optional_field(_AMOUNT + '; default "0.00".')
    low_usage_fee: decimal.Decimal | None = optional_field(_AMOUNT + '; default "0.00".')


@strawberry.input(
    description=(
        "Changes to a customer; fields left out stay as they are. The account number "
        "cannot change once the customer has an invoice."
    )
)
class UpdateCustomerInput:
    account_number: str | None = optional_field(ACCOUNT_NUMBER + "; locked once invoiced.")
    name: str | None = optional_field(NAME)
    subrun: str | None = optional_field("A billingSubrun preset name, or null.")
    invoice_message: str | None = optional_field("An invoiceMessage preset name, or null.")
    low_value_policy: str | None = optional_field("NONE, SKIP, PAD or FEE.")
    minimum_amount: decimal.Decimal | None = optional_field(_AMOUNT + ".")
    low_usage_fee: decimal.Decimal | None = optional_field(_AMOUNT + ".")


#: The `input` argument of createCustomer.
NewCustomer = Annotated[CreateCustomerInput, strawberry.argument(description="The new customer.")]
