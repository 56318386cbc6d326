"""Query fields: customers."""

from __future__ import annotations

from typing import Annotated

import strawberry

from billing import customers
from billing.errors import BillingError
from billing.listing import ListFilter
from schema.core.pagination import (
    After,
    CreatedSince,
    First,
    IdAfter,
    UpdatedSince,
    list_filter,
    paginate,
)
from schema.customers.types import Customer, CustomerConnection


async def _fetch_customers(filters: ListFilter, limit: int) -> list[Customer]:
    return [Customer.from_record(c) for c in await customers.list_customers(filters, limit)]


@strawberry.type(description="Read customers.")
class CustomerQueries:
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
