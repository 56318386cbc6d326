"""Rate limits: a key over its rate, and an address sending wrong keys, get 429
RATE_LIMITED with Retry-After, on REST and GraphQL alike; 0 turns the limits off."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from api.keys import DATABASE
from api.rate_limits import RateLimiter
from billing import auth
from billing.settings import Settings
from server import create_app
from tests.conftest import Api
from tests.keys.helpers import RUNS, new_key

#: One request a second, bursts of two: the third request in a row is over the limit.
RATE = 1
RUNS_QUERY = "{ billingRuns { totalCount } }"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, run_engine=False, rate_limit_per_second=RATE)


async def _until_limited(send, most: int = 20) -> tuple[list[int], Any]:
    """Send until a 429 (at most `most` times): the statuses before it, and the 429."""
    statuses = []
    for _ in range(most):
        response = await send()
        if response.status == 429:
            return statuses, response
        statuses.append(response.status)
    raise AssertionError(f"never limited: {statuses}")


def _retry_after(response) -> int:
    seconds = int(response.headers["Retry-After"])
    assert seconds >= 1
    return seconds


async def test_a_key_over_its_rate_gets_429_with_retry_after(api):
    client = await new_key(api)

    allowed, limited = await _until_limited(lambda: client.rest("GET", RUNS))

    assert allowed[: 2 * RATE] == [200] * (2 * RATE)  # a full burst goes through
    error = (await limited.json())["error"]
    assert error["code"] == "RATE_LIMITED"
    assert _retry_after(limited) == 1
    assert (await api.rest("GET", RUNS)).status == 200  # each key has its own limit


async def test_graphql_over_the_rate_is_http_429_in_the_graphql_shape(api):
    client = await new_key(api)

    allowed, limited = await _until_limited(lambda: client.graphql(RUNS_QUERY))

    assert allowed[: 2 * RATE] == [200] * (2 * RATE)
    body = await limited.json()
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert "data" not in body
    _retry_after(limited)


async def test_a_flood_of_wrong_keys_gets_429_after_the_limit(api):
    assert (await api.rest("GET", RUNS)).status == 200  # a key in use before the flood
    fresh = await new_key(api)  # a key this server has not seen yet
    wrong = Api(client=api.client, key="br_wrong")

    refused, limited = await _until_limited(lambda: wrong.rest("GET", RUNS))

    assert refused[: 2 * RATE] == [401] * (2 * RATE) and set(refused) == {401}
    assert (await limited.json())["error"]["code"] == "RATE_LIMITED"
    _retry_after(limited)
    graphql = await wrong.graphql(RUNS_QUERY)
    assert graphql.status == 429
    assert (await graphql.json())["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    missing = await api.client.get("/backend/api/v1" + RUNS)
    assert missing.status == 429  # no key at all is a failed authentication too
    # While the address is limited, keys in use keep working; new ones are not looked up.
    assert (await api.rest("GET", RUNS)).status == 200
    assert (await fresh.rest("GET", RUNS)).status == 429


async def test_a_valid_key_looked_up_costs_the_address_nothing(api):
    clients = [await new_key(api, f"client {n}") for n in range(3 * RATE)]

    statuses = [(await client.rest("GET", RUNS)).status for client in clients]

    assert statuses == [200] * len(clients)


async def test_zero_turns_the_limits_off(database_url):
    app = create_app(Settings(database_url=database_url, run_engine=False, rate_limit_per_second=0))
    async with TestClient(TestServer(app)) as client:
        with app[DATABASE]:
            key = await auth.create_api_key("unlimited")
        good = Api(client=client, key=key)
        wrong = Api(client=client, key="br_wrong")
        statuses = [(await good.rest("GET", RUNS)).status for _ in range(10)]
        statuses += [(await wrong.rest("GET", RUNS)).status for _ in range(10)]

    assert statuses == [200] * 10 + [401] * 10


def test_a_bucket_refills_at_the_rate_up_to_the_burst():
    now = [0.0]
    limiter = RateLimiter(rate=2, burst=4, clock=lambda: now[0])

    burst = [limiter.take("k") for _ in range(5)]
    now[0] += 0.5  # one token back
    after_half_a_second = [limiter.take("k") for _ in range(2)]
    now[0] += 100  # long idle: full again, never more than the burst
    after_idling = [limiter.take("k") for _ in range(5)]

    assert burst == [0, 0, 0, 0, 1]
    assert after_half_a_second == [0, 1]
    assert after_idling == [0, 0, 0, 0, 1]


def test_retry_after_is_whole_seconds_until_a_token_is_back():
    now = [0.0]
    limiter = RateLimiter(rate=0.25, burst=1, clock=lambda: now[0])

    assert limiter.take("k") == 0
    assert limiter.take("k") == 4
    now[0] += 3.5
    assert limiter.take("k") == 1


def test_idle_buckets_are_dropped_and_the_count_is_capped():
    now = [0.0]
    limiter = RateLimiter(rate=10, burst=20, max_buckets=100, clock=lambda: now[0])

    for n in range(1000):
        limiter.take(n)
    capped = limiter.clients
    now[0] += 2  # every bucket has had time to refill: as good as new
    limiter.take("another")

    assert capped == 100
    assert limiter.clients == 1
