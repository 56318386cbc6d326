"""Outage fixtures: a proxy in front of PostgreSQL that a test can cut and restore."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import PG_ENV
from tests.outage.proxy import TcpProxy

REAL_OUTAGE_NEEDS_POSTGRES = (
    "a real outage needs a database server to lose: SQLite is a file in this process"
)


@pytest.fixture
async def proxy(database_kind: str) -> AsyncIterator[TcpProxy]:
    """A running TcpProxy to the test PostgreSQL server (PostgreSQL only)."""
    if database_kind != "postgres":
        pytest.skip(REAL_OUTAGE_NEEDS_POSTGRES)
    if not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL tests need {PG_ENV}")
    server = urlsplit(os.environ[PG_ENV])
    proxy = TcpProxy(server.hostname or "127.0.0.1", server.port or 5432)
    await proxy.start()
    yield proxy
    await proxy.close()
