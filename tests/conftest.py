"""Fixtures: a real database per test (SQLite file or PostgreSQL) and the real app over HTTP.

The suite runs on one database kind per process (Tortoise caches dialect-specific SQL on
the model classes): SQLite by default, PostgreSQL with `--db postgres` and
`TEST_POSTGRES_URL` pointing at a server (each session creates and drops a fresh
database there).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from tortoise.context import TortoiseContext

from api.keys import DATABASE
from billing import auth, db
from billing.settings import Settings
from server import create_app

PG_ENV = "TEST_POSTGRES_URL"
ROOT = Path(__file__).resolve().parent.parent
API = "/backend/api/v1"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgres"),
        default=os.environ.get("TEST_DATABASE", "sqlite"),
        help="database kind the suite runs against (PostgreSQL needs TEST_POSTGRES_URL)",
    )


def _kind(config: pytest.Config) -> str:
    return config.getoption("--db")


def pytest_report_header(config: pytest.Config) -> str:
    if _kind(config) == "postgres" and not os.environ.get(PG_ENV):
        return f"database: postgres requested, but {PG_ENV} is not set: every test will skip"
    return f"database: {_kind(config)}"


def with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path=f"/{name}").geturl()


async def pg_admin(url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(db.asyncpg_dsn(url), **db.asyncpg_options(url))
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def database_kind(request: pytest.FixtureRequest) -> str:
    return _kind(request.config)


@pytest.fixture(scope="session")
def migrated_template(
    database_kind: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database migrated once per session: an SQLite file to copy, or a PostgreSQL db."""
    if database_kind == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        url = f"sqlite:///{path}"
        asyncio.run(db.migrate(url))
        yield url
        return
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"PostgreSQL tests need {PG_ENV}, e.g. postgres://postgres@127.0.0.1:5432/test")
    name = f"billing_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(pg_admin(server, f'CREATE DATABASE "{name}"'))
    url = with_database(server, name)
    try:
        asyncio.run(db.migrate(url))
        yield url
    finally:
        asyncio.run(pg_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


_PG_RESET = (
    "TRUNCATE billing_run, api_key, customer, call, charge_transaction, invoice, "
    "invoice_not_produced, billing_run_customer, billing_run_chunk RESTART IDENTITY CASCADE",
    "DELETE FROM preset WHERE kind <> 'billingRunStatus'",
)


@pytest.fixture
async def database_url(
    database_kind: str, migrated_template: str, tmp_path: Path
) -> AsyncIterator[str]:
    """A migrated database holding nothing but the fixed presets, fresh for each test."""
    if database_kind == "sqlite":
        source = Path(migrated_template.removeprefix("sqlite:///"))
        target = tmp_path / "billing.sqlite3"
        shutil.copyfile(source, target)
        yield f"sqlite:///{target}"
        return
    await pg_admin(migrated_template, *_PG_RESET)
    yield migrated_template


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[TortoiseContext]:
    """The fresh test database's Tortoise context, for the domain directly: use it as
    `with database:`."""
    ctx = await db.open_database(database_url)
    yield ctx
    with ctx:
        await ctx.close_connections()


async def run_server(
    *args: str,
    database_url: str | None = None,
    env: Mapping[str, str] | None = None,
    stderr: int = asyncio.subprocess.PIPE,
) -> tuple[int, str, str]:
    """Run `server.py` with `args` to its end: its exit code, stdout and stderr."""
    database = {} if database_url is None else {"DATABASE_URL": database_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "server.py"),
        *args,
        env={**os.environ, **(env or {}), **database},
        stdout=asyncio.subprocess.PIPE,
        stderr=stderr,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), (err or b"").decode()


@dataclass
class Api:
    """The real app over real HTTP, with a valid API key sent by default."""

    client: TestClient
    key: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    async def rest(self, method: str, path: str, **kwargs: Any) -> ClientResponse:
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return await self.client.request(method, API + path, headers=headers, **kwargs)

    async def rest_json(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = await self.rest(method, path, **kwargs)
        body = await response.json()
        assert response.status == status, body
        return body

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, **kwargs: Any
    ) -> ClientResponse:
        headers = {**self.auth, **kwargs.pop("headers", {})}
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = variables
        return await self.client.post("/graphql", json=payload, headers=headers, **kwargs)

    async def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run an operation that must succeed; return its `data`."""
        response = await self.graphql(query, variables)
        body = await response.json()
        assert response.status == 200 and "errors" not in body, body
        return body["data"]

    def database(self) -> Any:
        """The app's Tortoise context, to use with `with api.database():`."""
        return self.client.app[DATABASE]


@pytest.fixture
def settings(database_url: str) -> Settings:
    # The billing engine stays off unless a test turns it on: most tests look at runs
    # as they are right after a request, before invoices are produced. So do the rate
    # limits (tests/keys/test_rate_limits.py turns them on): suites send bursts.
    return Settings(database_url=database_url, run_engine=False, rate_limit_per_second=0)


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        with app[DATABASE]:
            key = await auth.create_api_key("tests")
        yield Api(client=client, key=key)
