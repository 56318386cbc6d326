"""/graphql over HTTP, per the GraphQL-over-HTTP spec (its SHOULDs included)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import strawberry
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from api.middlewares import errors_middleware
from schema.core.view import BillingGraphQLView
from schema.schema import BillingSchema
from tests.schema.helpers import codes, create_run, list_runs

GRAPHQL_RESPONSE = "application/graphql-response+json"

PRESET_NAMES = """
query PresetNames { presets(kind: "billingRunStatus") { name } }
"""

RUN_NAMES = """
query RunNames { billingRuns { nodes { name } } }
"""

NOT_GRAPHQL = "query { billingRuns { nodes { name } "

UNKNOWN_FIELD = "query { billingRuns { nodes { colour } } }"

CREATE_RUN_LITERAL = """
mutation { createBillingRun(input: {name: "Over GET"}) { billingRun { id } } }
"""

TOO_MANY = "query { billingRuns(first: 5000) { totalCount } }"

RUNS_CREATED_SINCE = """
query RunsCreatedSince($since: DateTime) { billingRuns(createdSince: $since) { totalCount } }
"""

BROKEN = "query { broken }"

STATUS_NAMES = [{"name": n} for n in ("Pending", "Requested", "Running", "Complete")]


def _media_type(response) -> str:
    return response.headers["Content-Type"].split(";")[0].strip()


async def _post(api, query: str, accept: str | None = None, **kwargs: Any):
    headers = {"Accept": accept} if accept else {}
    return await api.graphql(query, headers=headers, **kwargs)


async def test_a_client_accepting_graphql_response_json_gets_it(api):
    response = await _post(api, PRESET_NAMES, GRAPHQL_RESPONSE)

    assert response.status == 200
    assert _media_type(response) == GRAPHQL_RESPONSE
    assert await response.json(content_type=None) == {
        "data": {"presets": STATUS_NAMES},
        "extensions": {"cost": 100},  # a list without `first` counts 100 items
    }


@pytest.mark.parametrize(
    "accept",
    [
        f"{GRAPHQL_RESPONSE}, application/json;q=0.9",
        f"application/json;q=0.9, {GRAPHQL_RESPONSE}",
        f"{GRAPHQL_RESPONSE};charset=utf-8",
    ],
)
async def test_graphql_response_json_is_chosen_among_several_accepted_types(api, accept):
    response = await _post(api, PRESET_NAMES, accept)

    assert _media_type(response) == GRAPHQL_RESPONSE


@pytest.mark.parametrize("accept", [None, "application/json", "*/*", f"{GRAPHQL_RESPONSE};q=0"])
async def test_other_clients_get_application_json(api, accept):
    response = await _post(api, PRESET_NAMES, accept)

    assert response.status == 200
    assert _media_type(response) == "application/json"
    assert await response.json() == {
        "data": {"presets": STATUS_NAMES},
        "extensions": {"cost": 100},
    }


async def test_a_document_that_does_not_parse_is_a_400_without_data(api):
    response = await _post(api, NOT_GRAPHQL, GRAPHQL_RESPONSE)
    body = await response.json(content_type=None)

    assert response.status == 400
    assert _media_type(response) == GRAPHQL_RESPONSE
    assert "data" not in body
    assert codes(body["errors"]) == ["GRAPHQL_PARSE_FAILED"]
    assert "Syntax Error" in body["errors"][0]["message"]


async def test_a_document_that_breaks_the_schema_is_a_400_without_data(api):
    response = await _post(api, UNKNOWN_FIELD, GRAPHQL_RESPONSE)
    body = await response.json(content_type=None)

    assert response.status == 400
    assert "data" not in body
    assert codes(body["errors"]) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "colour" in body["errors"][0]["message"]


async def test_variables_that_do_not_fit_their_types_are_a_400_without_data(api):
    response = await api.graphql(
        RUNS_CREATED_SINCE, {"since": "yesterday"}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    body = await response.json(content_type=None)

    assert response.status == 400
    assert "data" not in body
    assert codes(body["errors"]) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("query", [NOT_GRAPHQL, UNKNOWN_FIELD])
async def test_with_application_json_request_errors_are_a_200_without_data(api, query):
    response = await _post(api, query, "application/json")
    body = await response.json()

    assert response.status == 200
    assert _media_type(response) == "application/json"
    assert "data" not in body
    assert codes(body["errors"]) in (["GRAPHQL_PARSE_FAILED"], ["GRAPHQL_VALIDATION_FAILED"])


async def test_a_field_error_once_execution_started_is_a_200_with_data(api):
    response = await _post(api, TOO_MANY, GRAPHQL_RESPONSE)
    body = await response.json(content_type=None)

    assert response.status == 200
    assert body["data"] is None
    assert codes(body["errors"]) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["path"] == ["billingRuns"]


async def test_a_query_works_over_get(api):
    run = await create_run(api, name="Over GET")

    response = await api.client.get("/graphql", params={"query": RUN_NAMES}, headers=api.auth)

    assert response.status == 200
    assert await response.json() == {
        "data": {"billingRuns": {"nodes": [{"name": run["name"]}]}},
        "extensions": {"cost": 101},  # the connection and its default page of 100
    }


async def test_a_query_with_variables_works_over_get(api):
    await create_run(api)
    params = {"query": RUNS_CREATED_SINCE, "variables": '{"since": "2000-01-01T00:00:00Z"}'}

    response = await api.client.get("/graphql", params=params, headers=api.auth)

    assert await response.json() == {
        "data": {"billingRuns": {"totalCount": 1}},
        "extensions": {"cost": 1},
    }


async def test_a_mutation_over_get_is_a_405_and_does_nothing(api):
    response = await api.client.get(
        "/graphql", params={"query": CREATE_RUN_LITERAL}, headers=api.auth
    )
    body = await response.json()

    assert response.status == 405
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]
    assert codes(body["errors"]) == ["METHOD_NOT_ALLOWED"]
    assert (await list_runs(api))["totalCount"] == 0


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
async def test_other_methods_are_a_405(api, method):
    response = await api.client.request(
        method, "/graphql", json={"query": PRESET_NAMES}, headers=api.auth
    )
    body = await response.json()

    assert response.status == 405
    assert codes(body["errors"]) == ["METHOD_NOT_ALLOWED"]


@pytest.mark.parametrize("body", ['{"query": ', "not json", "[1, 2", ""])
async def test_a_malformed_json_body_is_a_400(api, body):
    response = await api.client.post(
        "/graphql", data=body, headers={**api.auth, "Content-Type": "application/json"}
    )
    answer = await response.json()

    assert response.status == 400
    assert "data" not in answer
    assert codes(answer["errors"]) == ["BAD_REQUEST"]


@pytest.mark.parametrize(
    "payload", [{"query": 5}, {"variables": {}}, {"query": PRESET_NAMES, "variables": "x"}]
)
async def test_a_json_body_that_is_not_a_graphql_request_is_a_400(api, payload):
    response = await api.client.post("/graphql", json=payload, headers=api.auth)
    body = await response.json()

    assert response.status == 400
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"]


async def test_a_body_that_is_neither_json_nor_a_form_is_a_415(api):
    response = await api.client.post(
        "/graphql", data=PRESET_NAMES, headers={**api.auth, "Content-Type": "text/plain"}
    )
    body = await response.json()

    assert response.status == 415
    assert codes(body["errors"]) == ["UNSUPPORTED_MEDIA_TYPE"]


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer wrong", "Basic dXNlcjpwYXNz", "br_notakey"],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_no_or_a_wrong_api_key_is_a_401_in_the_graphql_error_shape(
    api, authorization, method
):
    headers = {"Authorization": authorization} if authorization is not None else {}
    if method == "GET":
        response = await api.client.get("/graphql", params={"query": RUN_NAMES}, headers=headers)
    else:
        response = await api.client.post("/graphql", json={"query": RUN_NAMES}, headers=headers)
    body = await response.json()

    assert response.status == 401
    assert list(body) == ["errors"]
    [error] = body["errors"]
    assert isinstance(error["message"], str) and error["message"]
    assert error["extensions"]["code"] == "UNAUTHORIZED"
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_wrong_key_runs_no_mutation(api):
    response = await api.client.post(
        "/graphql",
        json={"query": CREATE_RUN_LITERAL},
        headers={"Authorization": "Bearer br_wrong"},
    )

    assert response.status == 401
    assert (await list_runs(api))["totalCount"] == 0


async def test_the_graphiql_page_loads_in_a_browser_without_a_key(api):
    response = await api.client.get("/graphql", headers={"Accept": "text/html,*/*;q=0.8"})
    html = await response.text()

    assert response.status == 200
    assert _media_type(response) == "text/html"
    assert "graphiql" in html.lower()


async def test_a_browser_sending_a_query_still_needs_a_key(api):
    response = await api.client.get(
        "/graphql", params={"query": RUN_NAMES}, headers={"Accept": "text/html"}
    )

    assert response.status == 401


async def test_client_mistakes_are_answered_not_logged_as_server_errors(api, caplog):
    caplog.set_level(logging.DEBUG)

    for query in (NOT_GRAPHQL, UNKNOWN_FIELD, TOO_MANY, "{", "query { billingRun }"):
        response = await api.graphql(query)
        assert response.status in (200, 400)
        await response.read()
    response = await api.graphql(RUNS_CREATED_SINCE, {"since": "yesterday"})
    await response.read()

    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert not any(r.exc_info for r in caplog.records)


@strawberry.type(description="A query whose one field fails in a way no resolver means to.")
class _BrokenQuery:
    @strawberry.field(description="Always fails unexpectedly.")
    def broken(self) -> int:
        raise RuntimeError("secret detail: connection to 10.0.0.5 refused")


async def test_an_unexpected_resolver_failure_is_masked_with_a_request_id(caplog):
    # The real view and error handling over a schema built to fail (nothing is mocked);
    # the app's own resolvers offer no safe way to fail unexpectedly on purpose.
    app = web.Application(middlewares=[errors_middleware])
    app.router.add_route("*", "/graphql", BillingGraphQLView(schema=BillingSchema(_BrokenQuery)))

    async with TestClient(TestServer(app)) as client:
        response = await client.post(
            "/graphql",
            json={"query": BROKEN},
            headers={"Accept": GRAPHQL_RESPONSE, "X-Request-Id": "req-42"},
        )
        body = await response.json(content_type=None)

    assert response.status == 200
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "secret" not in error["message"] and "req-42" in error["message"]
    assert error["path"] == ["broken"]
    [logged] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "req-42" in logged.getMessage()
    assert logged.exc_info is not None
