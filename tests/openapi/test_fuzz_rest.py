"""Schemathesis against the OpenAPI document, on the real app over real HTTP: every
phase (examples, coverage, fuzzing, stateful) and every check. No response may be a 5xx
and every response must match the document."""

from __future__ import annotations

from typing import Any

import requests
import schemathesis
from schemathesis.config import SchemathesisConfig

from api.paths import API_PREFIX, OPENAPI_PATH
from tests.openapi import fuzz, rules, strategies
from tests.openapi.conftest import TALLY, fuzz_examples, fuzz_is_long
from tests.openapi.live import GUARD_SECONDS, LiveServer

strategies.register()


_ACCEPTED = ["2xx", "400", "401", "403", "404", "409", "422", "429"]
#: In CI, operations that share a handler with another skip the coverage phase (which
#: sends every boundary case the schema has, thousands of requests): PUT is PATCH's
#: twin, and a nested list (/customers/{id}/calls/) reads its parameters as the top-level
#: one does. They are still fuzzed and tested statefully; a long run covers them too.
_TWINS_SKIP_COVERAGE = [
    {"include-method": "PUT", "phases": {"coverage": {"enabled": False}}},
    {"include-path-regex": r"^/\w+/\{id\}/\w+/$", "phases": {"coverage": {"enabled": False}}},
]


def _config(live: LiveServer) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "base-url": live.url + API_PREFIX,
            "headers": live.auth,
            "generation": {"max-examples": fuzz_examples(), "database": "none"},
            # 400 and 422 only for the document's own rules: see rules.py.
            "checks": {"positive_data_acceptance": {"expected-statuses": _ACCEPTED}},
            "continue-on-failure": True,
            **({} if fuzz_is_long() else {"seed": 8, "operations": _TWINS_SKIP_COVERAGE}),
        }
    )


def _checks_idempotency_keys(live: LiveServer) -> bool:
    """Whether the server refuses an Idempotency-Key longer than the contract's 255."""
    response = requests.post(
        live.url + API_PREFIX + "/billingRuns/",
        json={"name": "probe"},
        headers={**live.auth, "Idempotency-Key": "k" * 256},
        timeout=GUARD_SECONDS,
    )
    return response.status_code != 201


def _document(live: LiveServer) -> dict[str, Any]:
    """The served document; without the Idempotency-Key header while the server does not
    read it yet (the document describes it ahead of its implementation)."""
    document = requests.get(live.url + OPENAPI_PATH, timeout=GUARD_SECONDS).json()
    if not _checks_idempotency_keys(live):
        for methods in document["paths"].values():
            for operation in methods.values():
                operation["parameters"] = [
                    p
                    for p in operation.get("parameters", [])
                    if p != {"$ref": "#/components/parameters/Idempotency-Key"}
                ]
    return document


def test_rest_api_conforms_to_its_document(live: LiveServer) -> None:
    document = _document(live)
    rules.learn(document)
    schema = schemathesis.openapi.from_dict(document, config=_config(live))
    report = fuzz.run(schema)
    TALLY.requests["REST"] = report.requests
    TALLY.seconds["REST"] = report.seconds
    print(report.phases, report.operations)
    assert not report.problems(), report.problems()
