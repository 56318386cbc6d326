"""MAX_QUERY_COST, MAX_ALIASES and REQUEST_TIMEOUT_SECONDS: read from the environment,
with the contract's defaults, and applied by the server that was given them."""

from __future__ import annotations

import pytest

from billing.settings import Settings, SettingsError


def test_the_defaults_are_the_contracts():
    settings = Settings.from_env({})

    assert settings.max_query_cost == 50_000
    assert settings.max_aliases == 30
    assert settings.request_timeout_seconds == 30


def test_each_limit_is_read_from_its_variable():
    settings = Settings.from_env(
        {"MAX_QUERY_COST": "200000", "MAX_ALIASES": "5", "REQUEST_TIMEOUT_SECONDS": "2.5"}
    )

    assert settings.max_query_cost == 200_000
    assert settings.max_aliases == 5
    assert settings.request_timeout_seconds == 2.5


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("MAX_QUERY_COST", "lots", "not a whole number"),
        ("MAX_QUERY_COST", "0", "out of range"),
        ("MAX_ALIASES", "-1", "out of range"),
        ("REQUEST_TIMEOUT_SECONDS", "soon", "not a number of seconds"),
        ("REQUEST_TIMEOUT_SECONDS", "0", "out of range"),
        ("REQUEST_TIMEOUT_SECONDS", "nan", "out of range"),
        ("REQUEST_TIMEOUT_SECONDS", "inf", "out of range"),
    ],
)
def test_a_limit_that_cannot_work_is_refused_naming_its_variable(name, value, says):
    with pytest.raises(SettingsError, match=f"{name}.*{says}"):
        Settings.from_env({name: value})


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, run_engine=False, max_query_cost=100, max_aliases=1)


async def test_the_server_applies_the_cost_limit_it_was_given(api):
    under = await api.graphql("{ billingRuns(first: 99) { nodes { id } } }")
    over = await api.graphql("{ billingRuns { nodes { id } } }")

    assert (await under.json())["extensions"] == {"cost": 100}
    error = (await over.json())["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "cost is 101, over the limit of 100" in error["message"]


async def test_the_server_applies_the_alias_limit_it_was_given(api):
    one = await api.graphql("{ a: __typename }")
    two = await api.graphql("{ a: __typename b: __typename }")

    assert (await one.json())["data"] == {"a": "Query"}
    assert (await two.json())["errors"][0]["extensions"]["code"] == "TOO_MANY_ALIASES"
