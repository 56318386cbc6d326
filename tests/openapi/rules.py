"""A check for schemathesis: when the server refuses a request the document calls valid,
the refusal must name a field whose `x-rule` the document gives (a rule a schema cannot
state: a preset name that exists, a customer id, `dueDate` after `invoiceDate`).

The built-in positive_data_acceptance check is told 400 and 422 are fine; this one
keeps them honest, so a field the server reads more strictly than the document still
fails the run."""

from __future__ import annotations

import re
from typing import Any

import schemathesis
from schemathesis.specs.openapi.schemas import OpenApiSchema

#: Operation label ("POST /billingRuns/") -> the fields and parameters with a rule.
RULES: dict[str, set[str]] = {}
_ITEM_PREFIX = re.compile(r"^\[\d+\]\.")


def _resolve(document: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _ruled_properties(document: dict[str, Any], schema: Any) -> set[str]:
    schema = _resolve(document, schema)
    found = set()
    for branch in schema.get("anyOf", []):
        found |= _ruled_properties(document, branch)
    if schema.get("type") == "array":
        found |= _ruled_properties(document, schema["items"])
    for name, prop in schema.get("properties", {}).items():
        if "x-rule" in prop:
            found.add(name)
    return found


def learn(document: dict[str, Any]) -> None:
    """Read every operation's ruled fields from the document."""
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            ruled: set[str] = set()
            for parameter in operation.get("parameters", []):
                parameter = _resolve(document, parameter)
                if "x-rule" in parameter:
                    ruled.add(parameter["name"])
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ruled |= _ruled_properties(document, media["schema"])
            RULES[f"{method.upper()} {path}"] = ruled


def _named_fields(body: Any) -> list[str | None]:
    error = body.get("error", {}) if isinstance(body, dict) else {}
    named = [error.get("field")] + [d.get("field") for d in error.get("details", [])]
    return [None if name is None else _ITEM_PREFIX.sub("", name) for name in named]


#: A refusal that depends on an earlier request with the same Idempotency-Key, which no
#: schema of one request can state (documented as 422 and 409 on every POST).
IDEMPOTENCY_REFUSALS = {"IDEMPOTENCY_KEY_REUSED", "IDEMPOTENCY_KEY_IN_USE"}


@schemathesis.check
def refusals_of_valid_data_name_a_rule(ctx: Any, response: Any, case: Any) -> None:
    meta = case.meta
    if (
        not isinstance(case.operation.schema, OpenApiSchema)
        or meta is None
        or not meta.generation.mode.is_positive
        or response.status_code not in (400, 422)
    ):
        return
    ruled = RULES.get(case.operation.label, set())
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("code") in IDEMPOTENCY_REFUSALS:
        return  # the fuzzer sends one Idempotency-Key value with many bodies
    named = _named_fields(body)
    if not named or any(name not in ruled for name in named):
        raise AssertionError(
            f"the document calls this request valid, but it was refused naming "
            f"{named}; only these fields have rules the schema cannot state: "
            f"{sorted(ruled) or 'none'}"
        )


#: Limits on a whole request that the schema cannot state (the contract's Part 3): a
#: generated query may be refused for its cost or aliases, or throttled.
GRAPHQL_LIMITS = {"QUERY_TOO_COMPLEX", "RATE_LIMITED"}


@schemathesis.check
def graphql_refusals_name_an_argument(ctx: Any, response: Any, case: Any) -> None:
    """GraphQL's types cannot say `first` is at most 1000, that `after` must be a cursor
    the API gave out or that an ID is numeric: such a value is refused with
    BAD_USER_INPUT naming the argument (the contract's code). Any other error for a
    query the schema calls valid fails, as positive_data_acceptance would."""
    meta = case.meta
    if isinstance(case.operation.schema, OpenApiSchema) or meta is None:
        return
    if not meta.generation.mode.is_positive:
        return
    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        return  # not_a_server_error and the GraphQL checks judge the body
    for error in errors:
        extensions = error.get("extensions") or {}
        code = extensions.get("code")
        if code in GRAPHQL_LIMITS or (code == "BAD_USER_INPUT" and extensions.get("argument")):
            continue
        raise AssertionError(f"a query the schema calls valid was refused: {error}")
