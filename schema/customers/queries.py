"""Query fields: customers."""

from __future__ import annotations

import strawberry

from billing.customers import count_customers, get_customer, list_customers
from schema.core.fields import connection_field, node_field
from schema.customers.types import Customer, CustomerConnection, CustomerId


@strawberry.type(description="Read customers.")
class CustomerQueries:
    customer = node_field(Customer, get_customer, CustomerId, "customer")
    customers = connection_field(CustomerConnection, list_customers, count_customers, "Customers")
