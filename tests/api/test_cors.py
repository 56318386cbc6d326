"""CORS_ORIGINS: pages on listed origins may call the API from a browser, others may not."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from billing.settings import Settings, SettingsError, parse_origins
from tests.conftest import API
from tests.test_cli import _run

ALLOWED = "https://app.example.com"
OTHER = "https://evil.example.net"
PATHS = (API + "/billingRuns/", "/graphql")


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        run_engine=False,
        cors_origins=parse_origins(f"{ALLOWED}, http://localhost:5173"),
    )


def _preflight(origin: str, method: str = "POST") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
    }


def _methods(value: str) -> set[str]:
    return {m.strip() for m in value.split(",")}


@pytest.mark.parametrize("path", PATHS)
async def test_a_preflight_from_a_listed_origin_is_204_without_a_key(api, path):
    response = await api.client.options(path, headers=_preflight(ALLOWED))

    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert _methods(response.headers["Access-Control-Allow-Methods"]) == {
        "GET",
        "POST",
        "PATCH",
        "PUT",
        "OPTIONS",
    }
    assert {
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    } == {
        "authorization",
        "content-type",
        "idempotency-key",
        "x-request-id",
    }
    assert "X-Request-Id" in response.headers["Access-Control-Expose-Headers"]
    assert "Origin" in response.headers["Vary"]


@pytest.mark.parametrize("path", PATHS)
async def test_a_preflight_from_another_origin_gets_no_allow_origin(api, path):
    response = await api.client.options(path, headers=_preflight(OTHER))

    assert response.status == 403
    assert "Access-Control-Allow-Origin" not in response.headers
    body = await response.json()
    error = body["errors"][0] if path == "/graphql" else body["error"]
    code = error["extensions"]["code"] if path == "/graphql" else error["code"]
    assert code == "FORBIDDEN" and "CORS_ORIGINS" in error["message"]


async def test_an_origin_that_only_looks_like_a_listed_one_is_refused(api):
    for origin in (ALLOWED + ".evil.net", "http://app.example.com", ALLOWED + ":8443", "null"):
        response = await api.client.options(PATHS[0], headers=_preflight(origin))
        assert response.status == 403, origin
        assert "Access-Control-Allow-Origin" not in response.headers


async def test_a_cross_origin_get_and_post_carry_the_headers(api):
    get = await api.rest("GET", "/billingRuns/", headers={"Origin": ALLOWED})
    post = await api.rest(
        "POST", "/billingRuns/", json={"name": "Nov"}, headers={"Origin": ALLOWED}
    )
    mutation = await api.graphql(
        'mutation { createBillingRun(input: {name: "Dec"}) { billingRun { id } } }',
        headers={"Origin": ALLOWED},
    )

    for response, status in ((get, 200), (post, 201), (mutation, 200)):
        assert response.status == status
        assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
        assert "X-Request-Id" in response.headers["Access-Control-Expose-Headers"]
        assert response.headers["X-Request-Id"]


async def test_error_responses_to_a_listed_origin_carry_the_headers_so_pages_can_read_them(api):
    no_key = await api.client.get(API + "/billingRuns/", headers={"Origin": ALLOWED})
    invalid = await api.rest("POST", "/billingRuns/", json={"nope": 1}, headers={"Origin": ALLOWED})
    missing = await api.rest("GET", "/billingRuns/999", headers={"Origin": ALLOWED})
    graphql_no_key = await api.client.post(
        "/graphql", json={"query": "{ billingRuns { totalCount } }"}, headers={"Origin": ALLOWED}
    )

    for response, status in ((no_key, 401), (invalid, 422), (missing, 404), (graphql_no_key, 401)):
        assert response.status == status
        assert response.headers["Access-Control-Allow-Origin"] == ALLOWED


async def test_requests_from_other_origins_are_served_without_allow_origin(api):
    response = await api.rest("GET", "/billingRuns/", headers={"Origin": OTHER})

    assert response.status == 200  # the browser, not the server, withholds it from the page
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


async def test_a_plain_options_request_is_not_a_preflight_and_still_needs_a_key(api):
    response = await api.client.options(API + "/billingRuns/", headers={"Origin": ALLOWED})

    assert response.status == 401


async def test_websockets_from_a_listed_origin_connect_and_others_are_refused(api):
    allowed = await api.client.ws_connect(
        "/graphql", protocols=["graphql-transport-ws"], headers={"Origin": ALLOWED}
    )
    await allowed.send_json({"type": "connection_init", "payload": api.auth})
    ack = await asyncio.wait_for(allowed.receive_json(), timeout=10)
    await allowed.close()

    assert ack["type"] == "connection_ack"
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await api.client.ws_connect(
            "/graphql", protocols=["graphql-transport-ws"], headers={"Origin": OTHER}
        )
    assert refused.value.status == 403


class TestByDefault:
    @pytest.fixture
    def settings(self, database_url: str) -> Settings:
        return Settings(database_url=database_url, run_engine=False)

    async def test_no_origin_is_allowed(self, api):
        preflight = await api.client.options(PATHS[0], headers=_preflight(ALLOWED))
        get = await api.rest("GET", "/billingRuns/", headers={"Origin": ALLOWED})

        assert preflight.status == 403
        assert "Access-Control-Allow-Origin" not in preflight.headers
        assert "Access-Control-Allow-Origin" not in get.headers


def test_origins_are_read_as_browsers_write_them():
    settings = Settings.from_env(
        {"CORS_ORIGINS": " https://App.Example.com:443/, http://localhost:5173 ,http://[::1]:80,"}
    )

    assert settings.cors_origins == (
        "https://app.example.com",
        "http://localhost:5173",
        "http://[::1]",
    )
    assert Settings.from_env({}).cors_origins == ()


@pytest.mark.parametrize(
    "value",
    [
        "*",
        "https://a.example, *",
        "null",
        "app.example.com",
        "ftp://a.example",
        "https://a.example/app",
        "https://a.example?x=1",
        "https://user@a.example",
        "https://a.example:99999",
        "https://a example",
    ],
)
def test_anything_but_origins_is_refused(value):
    with pytest.raises(SettingsError, match="CORS_ORIGINS"):
        Settings.from_env({"CORS_ORIGINS": value})


@pytest.mark.parametrize(
    ("value", "says"), [("*", "API keys are credentials"), ("https://a/b", "not an origin")]
)
async def test_the_server_refuses_to_start_with_a_wildcard_or_a_malformed_origin(
    database_url, value, says
):
    code, out, err = await _run(env={"DATABASE_URL": database_url, "CORS_ORIGINS": value})

    assert code == 2
    assert err.strip().count("\n") == 0 and says in err and "CORS_ORIGINS" in err
    assert "Running on" not in out
