"""The cost of a document, computed from the document alone (schema/core/cost.py), by hand.

Every object counts 1 and a list counts its length times what each item selects; a
connection's lists hold `first` items (or its default, 100); a list without `first`
counts 100. These run without validation, as the cost code must be safe on its own.
"""

from __future__ import annotations

import pytest
from graphql import parse

from schema.core.cost import LIST_ESTIMATE, UnboundedCost, count_aliases, query_cost
from schema.schema import schema

THREE_LEVELS = (
    "billingRuns(first: 1000) { nodes { invoices(first: 1000) { nodes {"
    " calls(first: 1000) { nodes { id } } } } } }"
)


def cost(document: str, variables: dict | None = None, operation: str | None = None) -> int:
    return query_cost(schema._schema, parse(document), operation, variables)


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        # One object; scalars are free.
        ('{ billingRun(id: "1") { id name invoiceAmount } }', 1),
        # The connection, and its default page of 100 nodes.
        ("{ billingRuns { nodes { id } } }", 1 + 100),
        # totalCount is a scalar: the connection alone.
        ("{ billingRuns(first: 1000) { totalCount } }", 1),
        # Connection 1 + 10 edges x (edge 1 + node 1 + invoices 1 + 5 x (invoice 1 +
        # customer 1)) + pageInfo 1.
        (
            "{ billingRuns(first: 10) { edges { cursor node { id invoices(first: 5) {"
            " totalCount nodes { id customer { name } } } } } pageInfo { hasNextPage } } }",
            1 + 10 * (1 + 1 + 1 + 5 * 2) + 1,
        ),
        # Aliases count separately.
        (
            "{ a: billingRuns(first: 2) { nodes { id } }"
            " b: billingRuns(first: 3) { nodes { id } } }",
            (1 + 2) + (1 + 3),
        ),
        # The same field through a named and an inline fragment is merged, as execution does:
        # 1 + 2 x (run 1 + invoices (1 + 3)).
        (
            "{ billingRuns(first: 2) { nodes { ...R ... on BillingRun { invoices(first: 3)"
            " { nodes { id } } } } } } fragment R on BillingRun { id invoices(first: 3)"
            " { nodes { number } } }",
            1 + 2 * (1 + 1 + 3),
        ),
        # Lists without `first` count 100 each: notProduced, presets.
        ('{ billingRun(id: "1") { notProduced { reason customer { name } } } }', 1 + 100 * 2),
        ("{ presets { name } }", LIST_ESTIMATE),
        # A mutation: its payload 1, the run 1, userErrors 100.
        (
            'mutation { createBillingRun(input: {name: "x"}) { billingRun { id }'
            " userErrors { code } } }",
            1 + 1 + 100,
        ),
        # Introspection is bounded by the schema, not the data: 1.
        ("{ __schema { types { name fields { name args { name } } } } }", 1),
        ("{ __typename }", 0),
        # The frontend's page: 100 runs with their first 100 invoices.
        (
            "{ billingRuns(first: 100) { totalCount pageInfo { hasNextPage endCursor } nodes {"
            " id name status invoiceAmount invoices(first: 100) { totalCount nodes"
            " { id number total customer { name } } } } } }",
            1 + 1 + 100 * (1 + 1 + 100 * 2),
        ),
        ("{ " + THREE_LEVELS + " }", 1 + 1000 * (1 + 1 + 1000 * (1 + 1 + 1000))),
    ],
)
def test_a_documents_cost_is_the_objects_it_can_return(document, expected):
    assert cost(document) == expected


def test_first_from_a_variable_is_the_one_sent_else_its_default():
    document = (
        "query ($n: Int! = 4, $m: Int!) { customers(first: $n) { nodes {"
        " calls(first: $m) { nodes { id } } } } }"
    )

    assert cost(document, {"n": 7, "m": 2}) == 1 + 7 * (1 + 1 + 2)
    assert cost(document, {"m": 2}) == 1 + 4 * (1 + 1 + 2)
    # Not a whole number: execution refuses it; the cost uses the schema's default.
    assert cost(document, {"n": "seven", "m": True}) == 1 + 100 * (1 + 1 + 100)


def test_first_over_the_page_maximum_counts_as_the_maximum_as_execution_refuses_it():
    # The client hears BAD_USER_INPUT about `first`, not QUERY_TOO_COMPLEX.
    assert cost("{ billingRuns(first: 100000) { nodes { id } } }") == 1 + 1000
    assert cost("{ billingRuns(first: -5) { nodes { id } } }") == 1


def test_skip_and_include_leave_out_what_will_not_run():
    document = "query ($s: Boolean!) { billingRuns { nodes @skip(if: $s) { id } } }"

    assert cost(document, {"s": True}) == 1
    assert cost(document, {"s": False}) == 101
    assert cost("{ billingRuns { nodes @include(if: false) { id } } }") == 1


def test_only_the_operation_that_runs_is_costed():
    document = "query Small { billingRun(id: 1) { id } } query Big { " + THREE_LEVELS + " }"

    assert cost(document, operation="Small") == 1
    assert cost(document, operation="Big") > 10**9


@pytest.mark.parametrize(
    "document",
    [
        # Through a field, back to itself.
        "{ billingRuns { nodes { ...A } } } "
        "fragment A on BillingRun { invoices { nodes { billingRun { ...A } } } }",
        # Two fragments spreading each other.
        "{ billingRuns { nodes { ...A } } } "
        "fragment A on BillingRun { invoices { nodes { ...B } } } "
        "fragment B on Invoice { billingRun { ...A } }",
    ],
)
def test_a_fragment_cycle_is_found_not_followed_forever(document):
    with pytest.raises(UnboundedCost, match="cycle"):
        cost(document)


def test_a_fragment_spreading_itself_in_place_is_expanded_once():
    assert cost("{ billingRuns { nodes { ...A } } } fragment A on BillingRun { id ...A }") == 101


def test_fragments_that_double_at_each_level_are_costed_without_expanding_each_path():
    # 30 levels, each selecting the next twice: 2**30 paths, costed once per fragment.
    levels = 30
    fragments = " ".join(
        f"fragment F{i} on Invoice {{ billingRun {{"
        f" a: invoices(first: 1) {{ nodes {{ ...F{i + 1} }} }}"
        f" b: invoices(first: 1) {{ nodes {{ ...F{i + 1} }} }} }} }}"
        for i in range(levels)
    )
    last = f"fragment F{levels} on Invoice {{ id }}"
    document = f"{{ invoices(first: 1) {{ nodes {{ ...F0 }} }} }} {fragments} {last}"

    # Each level: billingRun 1 + 2 x (connection 1 + invoice 1 + the next level).
    expected = 0
    for _ in range(levels):
        expected = 1 + 2 * (1 + 1 + expected)
    assert cost(document) == 1 + 1 + expected


def test_a_document_nested_past_any_depth_the_schema_allows_is_unbounded():
    document = "{ " + "billingRun(id: 1) { invoices { nodes { " * 60 + "id" + " } } }" * 60 + " }"

    with pytest.raises(UnboundedCost, match="levels deep"):
        cost(document)


def test_aliases_are_counted_in_operations_and_fragments_once_each():
    document = (
        "{ a: billingRuns { nodes { x: id ...R } } b: billingRun(id: 1) { ...R } } "
        "fragment R on BillingRun { y: name z: status }"
    )

    assert count_aliases(parse(document)) == 5
