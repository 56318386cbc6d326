"""The floor: a bare aiohttp handler reading billing runs with the raw driver.

It answers the REST shim's two reads (one run, a list of them) on the same paths, with
the app's own SQL, row decoding and rendering, but without Tortoise, middlewares (auth,
request ids, error handling), parameter checks beyond the id, or an access log: what
aiohttp, the driver and the rendering cost on their own.

    python bench/floor.py --database-url sqlite:///tmp/x.db --port 9001
    python bench/floor.py --database-url postgres://postgres@127.0.0.1:5432/db --port 9001
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
from collections.abc import AsyncIterator, Sequence
from typing import Any

import common  # noqa: F401  (first: it puts the app's packages on sys.path)
from aiohttp import web

from api.responses import error_response, json_response
from billing import db, runs
from billing.errors import not_found
from billing.numbers import parse_whole
from billing.sql import numbered
from billing.values import parse_id
from rest.billing_runs import BASE, render

#: How the app reads runs: its SQL, the decoding of SQLite's text, the record.
RUNS = runs._RUNS  # billing/runs.py gives it no public name yet
SELECT = f"SELECT {RUNS.columns} FROM {RUNS.source}{RUNS.joins}"
ONE = SELECT + f" WHERE {RUNS.alias}.id = ?"
MANY = SELECT + f" ORDER BY {RUNS.alias}.id LIMIT ?"
DEFAULT_LIMIT = 100

Row = dict[str, Any]


class Store:
    """Rows of runs, as dicts, through one raw driver."""

    postgres = False

    async def rows(self, sql: str, *values: Any) -> list[Row]:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def runs(self, sql: str, *values: Any) -> list[runs.RunRecord]:
        rows = RUNS.decoder(await self.rows(sql, *values), self.postgres)
        return [RUNS.record(row) for row in rows]


class SqliteStore(Store):
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @classmethod
    async def open(cls, database_url: str) -> SqliteStore:
        import aiosqlite

        connection = await aiosqlite.connect(str(db.sqlite_path(database_url)))
        connection.row_factory = sqlite3.Row
        return cls(connection)

    async def rows(self, sql: str, *values: Any) -> list[Row]:
        return [dict(row) for row in await self.connection.execute_fetchall(sql, values)]

    async def close(self) -> None:
        await self.connection.close()


class PostgresStore(Store):
    postgres = True

    def __init__(self, pool: Any) -> None:
        self.pool = pool

    @classmethod
    async def open(cls, database_url: str, pool_size: int) -> PostgresStore:
        import asyncpg

        dsn = db.asyncpg_dsn(database_url)
        return cls(await asyncpg.create_pool(dsn, min_size=pool_size, max_size=pool_size))

    async def rows(self, sql: str, *values: Any) -> list[Row]:
        return [dict(row) for row in await self.pool.fetch(numbered(sql), *values)]

    async def close(self) -> None:
        await self.pool.close()


STORE = web.AppKey("store", Store)


async def get_one(request: web.Request) -> web.Response:
    raw = request.match_info["id"]
    try:
        found = await request.app[STORE].runs(ONE, parse_id(raw))
    except ValueError:
        found = []
    if not found:
        return error_response(not_found("billing run", raw))
    return json_response(render(found[0]))


async def get_list(request: web.Request) -> web.Response:
    try:
        limit = parse_whole(request.query.get("limit", ""), 1, 1000)
    except ValueError:
        limit = DEFAULT_LIMIT
    return json_response([render(run) for run in await request.app[STORE].runs(MANY, limit)])


def create_app(database_url: str, pool_size: int = 32) -> web.Application:
    """The floor application for an SQLite (`sqlite:///path`) or PostgreSQL URL."""

    async def store_ctx(app: web.Application) -> AsyncIterator[None]:
        if database_url.startswith("sqlite://"):
            store: Store = await SqliteStore.open(database_url)
        else:
            store = await PostgresStore.open(database_url, pool_size)
        app[STORE] = store
        yield
        await store.close()

    app = web.Application()
    app.cleanup_ctx.append(store_ctx)
    for suffix in ("", "/"):
        app.router.add_get(BASE + suffix, get_list)
        app.router.add_get(BASE + "/{id}" + suffix, get_one)
    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pool-size", type=int, default=32, help="PostgreSQL pool size")
    args = parser.parse_args(argv)
    try:
        import uvloop

        loop_factory = uvloop.new_event_loop
    except ImportError:  # pragma: no cover
        loop_factory = None
    app = create_app(args.database_url, args.pool_size)
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(web._run_app(app, host=args.host, port=args.port, access_log=None, print=print))


if __name__ == "__main__":
    main()
