"""Customer mutations: each calls one `billing` action and returns its payload."""

from __future__ import annotations

import strawberry

from billing import customers
from schema.core.inputs import Changes, wire_fields
from schema.core.mutations import Payload, UserError, result_field, user_errors_field
from schema.customers.inputs import NewCustomer, UpdateCustomerInput
from schema.customers.types import Customer, CustomerId


@strawberry.type(description="The result of a customer mutation.")
class CustomerPayload(Payload, result=Customer.from_record):
    customer: Customer | None = result_field("The customer as it now is")
    user_errors: list[UserError] = user_errors_field()


@strawberry.type(description="Create and change customers.")
class CustomerMutations:
    @strawberry.mutation(description="Create a customer.")
    async def create_customer(self, input: NewCustomer) -> CustomerPayload:
        return await CustomerPayload.attempt(customers.create_customer(wire_fields(input)))

    @strawberry.mutation(
        description="Change a customer. Its account number locks once it has an invoice."
    )
    async def update_customer(
        self, id: CustomerId, input: Changes[UpdateCustomerInput]
    ) -> CustomerPayload:
        return await CustomerPayload.attempt(customers.update_customer(id, wire_fields(input)))
