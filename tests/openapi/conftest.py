"""Fixtures for the OpenAPI document and the fuzz tests: the real app on a real port."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from billing.settings import Settings
from tests.openapi.live import LiveServer, serving
from tests.openapi.seed import seed

#: Thousands of requests a minute from one key are the point here: no rate limit (a
#: setting the server reads once it limits rates).
UNLIMITED = {"RATE_LIMIT_PER_SECOND": "0"}
#: Examples per operation (the fuzzing phase) in CI; FUZZ_EXAMPLES=2000 for a long run.
CI_EXAMPLES = 12


def fuzz_examples() -> int:
    return int(os.environ.get("FUZZ_EXAMPLES") or CI_EXAMPLES)


def fuzz_is_long() -> bool:
    return fuzz_examples() > CI_EXAMPLES


@dataclass
class FuzzTally:
    """Requests sent and seconds spent per fuzz suite, for the end-of-run summary."""

    requests: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


TALLY = FuzzTally()


@pytest.fixture
def live(database_url: str) -> Iterator[LiveServer]:
    """The app on a real port, with its billing engine running, an API key and data."""
    env = {"DATABASE_URL": database_url, "BILLING_CHUNK_PAUSE_MS": "0", **UNLIMITED}
    with serving(Settings.from_env(env)) as server:
        server.run(seed())
        yield server


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for suite, count in TALLY.requests.items():
        terminalreporter.write_line(
            f"fuzz {suite}: {count} requests in {TALLY.seconds[suite]:.1f} s "
            f"({fuzz_examples()} examples per operation)"
        )
