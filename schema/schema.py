"""The schema: each domain's queries, mutations and subscriptions merged into one."""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.query_depth_limiter import create_validator
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from schema.charges.mutations import ChargeMutations
from schema.charges.queries import ChargeQueries
from schema.core.errors import is_unexpected
from schema.core.limits import QueryLimits
from schema.core.metrics import OperationMetrics
from schema.core.read_only import KeyChecks
from schema.core.scalars import SCALAR_OVERRIDES
from schema.core.unavailable import is_unavailable_error, mark_unavailable
from schema.customers.mutations import CustomerMutations
from schema.customers.queries import CustomerQueries
from schema.invoices.queries import InvoiceQueries
from schema.presets.mutations import PresetMutations
from schema.presets.queries import PresetQueries
from schema.runs.mutations import RunMutations
from schema.runs.queries import RunQueries
from schema.runs.subscriptions import RunSubscriptions

log = logging.getLogger("billing.graphql")


def _merged(name: str, description: str, types: tuple[type, ...]) -> type:
    """One root type from each domain's (merge_types leaves the description out)."""
    merged = merge_types(name, types)
    merged.__strawberry_definition__.description = description  # type: ignore[attr-defined]
    return merged


Query = _merged(
    "Query",
    "Read billing runs, presets, customers, charges and invoices.",
    (RunQueries, PresetQueries, CustomerQueries, ChargeQueries, InvoiceQueries),
)
Mutation = _merged(
    "Mutation",
    "Create and change billing runs, presets, customers and charges.",
    (RunMutations, PresetMutations, CustomerMutations, ChargeMutations),
)
Subscription = _merged("Subscription", "Live updates.", (RunSubscriptions,))

#: One rule class for the process: ValidationCache keys on the rules, so a class made
#: per request (as QueryDepthLimiter does) would make every lookup miss.
DEPTH_LIMIT = create_validator(max_depth=12, should_ignore=None, callback=None)


class BillingSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Clients' syntax and validation errors are theirs, not ours: they are answered,
        # not logged. Only unexpected failures are logged, with the request id; a
        # database outage is logged once per outage, not per request.
        context: Any = execution_context.context if execution_context else None
        mark_unavailable(errors, getattr(context, "request", None))
        for error in errors:
            if is_unexpected(error) and not is_unavailable_error(error):
                log.error(
                    "unexpected error in %s, request id %s",
                    ".".join(map(str, error.path or ())),
                    getattr(context, "request_id", "?"),
                    exc_info=error.original_error,
                )


schema = BillingSchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    scalar_overrides=SCALAR_OVERRIDES,
    extensions=[
        # Factories: a fresh extension per request; the caches are shared module-wide.
        OperationMetrics,
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        QueryLimits,  # MAX_ALIASES and MAX_QUERY_COST: after ValidationCache, so after validation
        lambda: MaxTokensLimiter(max_token_count=5000),
        lambda: AddValidationRules([DEPTH_LIMIT]),
        KeyChecks,
    ],
)
