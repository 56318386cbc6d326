"""Customer mutations: each calls one `billing` action and wraps its result or its errors."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing import customers
from schema.core.inputs import wire_fields
from schema.core.mutations import attempt
from schema.customers.inputs import CreateCustomerInput, UpdateCustomerInput
from schema.customers.types import Customer, CustomerPayload


@strawberry.type(description="Create and change customers.")
class CustomerMutations:
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
