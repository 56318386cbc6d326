"""The schema, assembled from the query and mutation types."""

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

from schema import charges, customers, invoices, mutations, queries
from schema.read_only import KeyChecks
from schema.scalars import SCALAR_OVERRIDES
from schema.subscriptions import Subscription

log = logging.getLogger("billing.graphql")


def _merged(name: str, description: str, types: tuple[type, ...]) -> type:
    """One root type from each domain's (merge_types leaves the description out)."""
    merged = merge_types(name, types)
    merged.__strawberry_definition__.description = description  # type: ignore[attr-defined]
    return merged


Query = _merged(
    "Query",
    "Read billing runs, presets, customers, charges and invoices.",
    (queries.Query, customers.Query, charges.Query, invoices.Query),
)
Mutation = _merged(
    "Mutation",
    "Create and change billing runs, presets, customers and charges.",
    (mutations.Mutation, customers.Mutation, charges.Mutation),
)

#: One rule class for the process: ValidationCache keys on the rules, so a class made
#: per request (as QueryDepthLimiter does) would make every lookup miss.
DEPTH_LIMIT = create_validator(max_depth=12, should_ignore=None, callback=None)


def is_unexpected(error: GraphQLError) -> bool:
    """A failure inside a resolver that is not one we raise on purpose."""
    original = error.original_error
    return (
        error.path is not None and original is not None and not isinstance(original, GraphQLError)
    )


class BillingSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Clients' syntax and validation errors are theirs, not ours: they are answered,
        # not logged. Only unexpected failures are logged, with the request id.
        for error in errors:
            if is_unexpected(error):
                context: Any = execution_context.context if execution_context else None
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
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        lambda: MaxTokensLimiter(max_token_count=5000),
        lambda: AddValidationRules([DEPTH_LIMIT]),
        KeyChecks,
    ],
)
