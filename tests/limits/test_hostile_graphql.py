"""Hostile GraphQL is refused before it runs, with a clear code, while others are served.

Each hostile request is sent at the same time as another client's simple query: the
hostile one is refused (the code and HTTP status below, no `data`: nothing executed) and
the simple one is answered as usual.
"""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import pytest

from billing import auth
from tests.schema.helpers import create_run

GRAPHQL_RESPONSE = "application/graphql-response+json"
#: A failure guard only: every request here is answered in well under a second.
GUARD_SECONDS = 60
SIMPLE = "query ($id: ID!) { billingRun(id: $id) { id name status } }"
THREE_LEVELS = (
    "billingRuns(first: 1000) { nodes { invoices(first: 1000) { nodes {"
    " calls(first: 1000) { nodes { id } } } } } }"
)
THREE_LEVELS_COST = 1 + 1000 * (1 + 1 + 1000 * (1 + 1 + 1000))
MiB = 1024 * 1024


def _body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return json.dumps({"query": query, "variables": variables or {}}).encode()


def _aliased(count: int, field: str) -> str:
    return "{ " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"


def _nested_levels(levels: int) -> str:
    return (
        '{ billingRun(id: "1") { '
        + "invoices(first: 1) { nodes { billingRun { " * levels
        + "id"
        + " } } }" * levels
        + " } }"
    )


def _deep_variable(depth: int) -> bytes:
    query = json.dumps("query ($id: ID!) { billingRun(id: $id) { id } }")
    return f'{{"query": {query}, "variables": {{"id": {"[" * depth}{"]" * depth}}}}}'.encode()


#: name: (request body, HTTP status, error code, words the message must hold)
HOSTILE: dict[str, tuple[bytes, int, str, tuple[str, ...]]] = {
    "three levels of first: 1000": (
        _body("{ " + THREE_LEVELS + " }"),
        400,
        "QUERY_TOO_COMPLEX",
        (f"{THREE_LEVELS_COST:,}", "50,000"),
    ),
    "three levels under 30 aliases": (
        _body(_aliased(30, THREE_LEVELS)),
        400,
        "QUERY_TOO_COMPLEX",
        (f"{30 * THREE_LEVELS_COST:,}", "50,000"),
    ),
    "31 aliases": (_body(_aliased(31, "__typename")), 400, "TOO_MANY_ALIASES", ("31", "30")),
    # Refused while parsing, by the token limit, before aliases can be counted.
    "10,000 aliases": (
        _body(_aliased(10_000, "billingRuns(first: 1000) { nodes { id } }")),
        400,
        "GRAPHQL_PARSE_FAILED",
        ("5000 tokens",),
    ),
    "a fragment cycle": (
        _body(
            "{ billingRuns { nodes { ...A } } } "
            "fragment A on BillingRun { invoices { nodes { billingRun { ...A } } } }"
        ),
        400,
        "GRAPHQL_VALIDATION_FAILED",
        ("within itself",),
    ),
    "50 levels": (
        _body(_nested_levels(50)),
        400,
        "GRAPHQL_VALIDATION_FAILED",
        ("maximum operation depth of 12",),
    ),
    "a body of 1 MiB of whitespace": (b" " * MiB, 400, "BAD_REQUEST", ("JSON",)),
    "a query after 1 MiB of whitespace": (
        _body(" " * MiB + "{ __typename }"),
        413,
        "PAYLOAD_TOO_LARGE",
        ("1048576 bytes",),
    ),
    "a variable nested 10,000 deep": (_deep_variable(10_000), 400, "BAD_REQUEST", ("JSON",)),
}


async def _post(api, body: bytes, key: str | None = None):
    headers = {
        "Authorization": f"Bearer {key or api.key}",
        "Content-Type": "application/json",
        "Accept": GRAPHQL_RESPONSE,
    }
    # A stream, as aiohttp's client asks for bodies of a megabyte.
    response = await api.client.post("/graphql", data=io.BytesIO(body), headers=headers)
    return response.status, await response.json(content_type=None)


@pytest.fixture
async def other_client_key(api) -> str:
    with api.database():
        return await auth.create_api_key("another client")


@pytest.mark.parametrize("case", list(HOSTILE))
async def test_hostile_graphql_is_refused_while_another_client_is_served(
    api, other_client_key, case
):
    body, status, code, words = HOSTILE[case]
    run = await create_run(api, name="Served")

    async with asyncio.timeout(GUARD_SECONDS):
        (hostile_status, hostile), (simple_status, simple) = await asyncio.gather(
            _post(api, body),
            _post(api, _body(SIMPLE, {"id": run["id"]}), key=other_client_key),
        )

    assert hostile_status == status, hostile
    assert "data" not in hostile, hostile
    error = hostile["errors"][0]
    assert error["extensions"]["code"] == code, hostile
    for word in words:
        assert word in error["message"], hostile
    assert simple_status == 200
    assert simple["data"]["billingRun"]["name"] == "Served"


async def test_a_query_over_the_cost_limit_names_its_cost_and_the_limit(api):
    status, body = await _post(api, _body("{ " + THREE_LEVELS + " }"))

    assert status == 400
    assert body["errors"][0]["message"] == (
        f"the query's cost is {THREE_LEVELS_COST:,}, over the limit of 50,000: "
        "ask for smaller pages (first) or fewer nested lists"
    )
    assert body["errors"][0]["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "cost": THREE_LEVELS_COST,
        "maxCost": 50_000,
    }


async def test_a_mutation_over_the_cost_limit_writes_nothing(api):
    mutation = (
        'mutation { createBillingRun(input: {name: "Costly"}) { billingRun {'
        " invoices(first: 1000) { nodes { calls(first: 1000) { nodes { id } } } } } } }"
    )

    status, body = await _post(api, _body(mutation))

    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert await api.rest_json("GET", "/billingRuns/") == []


async def test_a_mutation_with_more_aliases_than_allowed_writes_nothing(api):
    creates = " ".join(
        f'p{i}: createPreset(input: {{kind: "billingSubrun", name: "S{i}"}})'
        " { preset { name } }"
        for i in range(31)
    )

    status, body = await _post(api, _body("mutation { " + creates + " }"))

    assert status == 400
    assert body["errors"][0]["extensions"] == {
        "code": "TOO_MANY_ALIASES",
        "aliases": 31,
        "maxAliases": 30,
    }
    presets = await api.gql('{ presets(kind: "billingSubrun") { name } }')
    assert presets == {"presets": []}


async def test_30_aliases_are_allowed(api):
    status, body = await _post(api, _body(_aliased(30, "__typename")))

    assert status == 200
    assert body["data"] == {f"a{i}": "Query" for i in range(30)}


async def test_a_variable_nested_10000_deep_over_get_is_a_400(api):
    # As deep as fits in a URL (aiohttp reads request lines of up to 8190 bytes).
    variables = '{"id": ' + "[" * 1200 + "]" * 1200 + "}"
    params = {"query": "query ($id: ID!) { billingRun(id: $id) { id } }", "variables": variables}

    response = await api.client.get("/graphql", params=params, headers=api.auth)

    assert response.status == 400
    body = await response.json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_list_variable_nested_deeper_than_its_type_is_bad_user_input(api):
    # Within what JSON decoding takes: graphql-core's coercion refuses it without recursing.
    mutation = "mutation ($calls: [CallInput!]!) { addCalls(input: $calls) { calls { id } } }"
    body = f'{{"query": {json.dumps(mutation)}, "variables": {{"calls": {"[" * 500}{"]" * 500}}}}}'

    status, answer = await _post(api, body.encode())

    assert status == 400
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
