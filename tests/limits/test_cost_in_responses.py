"""`extensions.cost` on responses, and the default limits let every README query through."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from graphql import parse

from billing.settings import DEFAULT_MAX_QUERY_COST
from schema.core.cost import query_cost
from schema.schema import schema
from tests.schema.helpers import create_run

README = Path(__file__).resolve().parents[2] / "README.md"
#: The frontend's ordinary page: 100 runs with their first 100 invoices.
FRONTEND_PAGE = """
query RunsPage($after: String) {
  billingRuns(first: 100, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name status invoiceDate invoiceAmount
      invoices(first: 100) { totalCount nodes { id number total customer { name } } }
    }
  }
}
"""


def readme_requests() -> list[dict[str, Any]]:
    """The JSON bodies the README sends with `gql '...'`, as the shell would pass them."""
    bodies = re.findall(r"^gql '(.*)'$", README.read_text(), flags=re.MULTILINE)
    return [json.loads(body.replace("'\"'\"'", "'")) for body in bodies]


def readme_graphql_blocks() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", README.read_text(), flags=re.DOTALL)


@pytest.mark.parametrize(
    ("query", "variables", "cost"),
    [
        ("query ($id: ID!) { billingRun(id: $id) { id name } }", {"id": "1"}, 1),
        ("{ billingRuns { nodes { id } } }", None, 1 + 100),
        (
            "query ($n: Int!) { customers(first: $n) { nodes { calls(first: 2)"
            " { nodes { id } } } } }",
            {"n": 7},
            1 + 7 * (1 + 1 + 2),
        ),
        (
            "{ a: billingRuns(first: 2) { edges { node { id } } } b: billingRuns(first: 3)"
            " { pageInfo { hasNextPage } } }",
            None,
            (1 + 2 * (1 + 1)) + (1 + 1),
        ),
        (FRONTEND_PAGE, None, 1 + 1 + 100 * (1 + 1 + 100 * 2)),
    ],
)
async def test_a_response_carries_the_cost_computed_for_it(api, query, variables, cost):
    await create_run(api)

    response = await api.graphql(query, variables)
    body = await response.json()

    assert response.status == 200 and "errors" not in body, body
    assert body["extensions"] == {"cost": cost}


async def test_a_frontends_page_of_100_runs_with_100_invoices_each_is_served(api):
    await create_run(api, name="First")

    data = await api.gql(FRONTEND_PAGE)

    assert [run["name"] for run in data["billingRuns"]["nodes"]] == ["First"]


def test_the_readme_has_graphql_examples_to_check():
    assert len(readme_requests()) >= 20


@pytest.mark.parametrize("request_body", readme_requests(), ids=lambda b: b["query"][:60])
async def test_every_readme_query_runs_under_the_default_limits(api, request_body):
    response = await api.graphql(request_body["query"], request_body.get("variables"))
    body = await response.json()

    assert response.status == 200, body
    assert "errors" not in body, body
    assert body["extensions"]["cost"] <= DEFAULT_MAX_QUERY_COST


@pytest.mark.parametrize("document", readme_graphql_blocks())
def test_every_readme_subscription_costs_less_than_the_default_limit(document):
    assert query_cost(schema._schema, parse(document)) <= DEFAULT_MAX_QUERY_COST
