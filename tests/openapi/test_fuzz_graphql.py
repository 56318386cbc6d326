"""Schemathesis against /graphql (its schema read by introspection), on the real app
over real HTTP: every query and mutation, money as valid Decimal strings, no server
error and no response outside the schema."""

from __future__ import annotations

import schemathesis
from schemathesis.config import SchemathesisConfig

from api.middlewares import GRAPHQL_PATH
from tests.openapi import fuzz, rules, strategies
from tests.openapi.conftest import TALLY, fuzz_examples, fuzz_is_long
from tests.openapi.live import LiveServer

strategies.register()
assert rules.graphql_refusals_name_an_argument  # registered with schemathesis on import


def _config(live: LiveServer) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "headers": live.auth,
            "generation": {"max-examples": fuzz_examples(), "database": "none"},
            "continue-on-failure": True,
            # Replaced by rules.graphql_refusals_name_an_argument, which knows the
            # arguments whose rules GraphQL's types cannot state.
            "checks": {"positive_data_acceptance": {"enabled": False}},
            **({} if fuzz_is_long() else {"seed": 8}),
        }
    )


def test_graphql_api_has_no_server_errors(live: LiveServer) -> None:
    schema = schemathesis.graphql.from_url(
        live.url + GRAPHQL_PATH, config=_config(live), headers=live.auth
    )
    report = fuzz.run(schema)
    TALLY.requests["GraphQL"] = report.requests
    TALLY.seconds["GraphQL"] = report.seconds
    print(report.phases, report.operations)
    assert not report.problems(), report.problems()
