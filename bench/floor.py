"""The floor: a bare aiohttp handler reading billing runs with the raw driver.

It returns the same JSON as the REST shim (see CONTRACT.md) for one run and for a list,
on the same paths, with no ORM, no validation beyond the id, no auth and no access log:
what the hardware, aiohttp and the driver cost on their own.

    python bench/floor.py --database-url sqlite:///tmp/x.db --port 9001
    python bench/floor.py --database-url postgres://postgres@127.0.0.1:5432/db --port 9001
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
from aiohttp import web

BASE = "/backend/api/v1/billingRuns"
KEYS = (
    "id",
    "name",
    "status",
    "subrun",
    "invoiceMessage",
    "invoiceAmount",
    "invoiceDate",
    "cutoffDate",
    "transactionCutoffDate",
    "dueDate",
    "commencedDate",
    "completedDate",
    "createdDate",
    "updatedDate",
    "customersInScope",
    "customersDone",
    "invoicesProduced",
    "invoicesNotProduced",
)
_SELECT = (
    "SELECT r.id, r.name, r.status, s.name, m.name, r.invoice_amount, r.invoice_date, "
    "r.cutoff_date, r.transaction_cutoff_date, r.due_date, r.commenced_date, "
    "r.completed_date, r.created_date, r.updated_date, r.customers_in_scope, "
    "r.customers_done, r.invoices_produced, r.invoices_not_produced FROM billing_run r "
    "LEFT JOIN preset s ON s.id = r.subrun_id "
    "LEFT JOIN preset m ON m.id = r.invoice_message_id "
)
MAX_ID = 2**63 - 1
_TWO_PLACES = Decimal("0.01")

Row = Sequence[Any]
Fetch = Callable[..., Any]


def _money_text(text: str) -> orjson.Fragment:
    """An exact JSON number with two places from Decimal text ('0' -> 0.00)."""
    dot = text.find(".")
    if dot < 0 or len(text) - dot != 3:
        text = str(Decimal(text).quantize(_TWO_PLACES))
    return orjson.Fragment(text)


def _sqlite_datetime(text: str | None) -> str | None:
    """Tortoise's SQLite text (`2026-11-25 16:19:00.710274+00:00`) as RFC 3339 UTC."""
    if text is None:
        return None
    if len(text) == 32 and text.endswith("+00:00"):
        return text[:10] + "T" + text[11:]
    return datetime.fromisoformat(text).astimezone(UTC).isoformat(timespec="microseconds")


def sqlite_row(row: Row) -> dict[str, Any]:
    return {
        "id": str(row[0]),
        "name": row[1],
        "status": row[2],
        "subrun": row[3],
        "invoiceMessage": row[4],
        "invoiceAmount": _money_text(row[5]),
        "invoiceDate": row[6],
        "cutoffDate": row[7],
        "transactionCutoffDate": row[8],
        "dueDate": row[9],
        "commencedDate": _sqlite_datetime(row[10]),
        "completedDate": _sqlite_datetime(row[11]),
        "createdDate": _sqlite_datetime(row[12]),
        "updatedDate": _sqlite_datetime(row[13]),
        "customersInScope": row[14],
        "customersDone": row[15],
        "invoicesProduced": row[16],
        "invoicesNotProduced": row[17],
    }


def _pg_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def postgres_row(row: Row) -> dict[str, Any]:
    # orjson writes date objects natively as YYYY-MM-DD.
    return {
        "id": str(row[0]),
        "name": row[1],
        "status": row[2],
        "subrun": row[3],
        "invoiceMessage": row[4],
        "invoiceAmount": _money_text(str(row[5])),
        "invoiceDate": row[6],
        "cutoffDate": row[7],
        "transactionCutoffDate": row[8],
        "dueDate": row[9],
        "commencedDate": _pg_datetime(row[10]),
        "completedDate": _pg_datetime(row[11]),
        "createdDate": _pg_datetime(row[12]),
        "updatedDate": _pg_datetime(row[13]),
        "customersInScope": row[14],
        "customersDone": row[15],
        "invoicesProduced": row[16],
        "invoicesNotProduced": row[17],
    }


class Store:
    """Runs one or many rows through the raw driver."""

    async def one(self, ident: int) -> Row | None:
        raise NotImplementedError

    async def many(self, limit: int) -> list[Row]:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    @staticmethod
    def render(row: Row) -> dict[str, Any]:
        raise NotImplementedError


class SqliteStore(Store):
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @classmethod
    async def open(cls, path: str) -> SqliteStore:
        import aiosqlite

        return cls(await aiosqlite.connect(path))

    async def one(self, ident: int) -> Row | None:
        rows = await self.connection.execute_fetchall(_SELECT + "WHERE r.id = ?", (ident,))
        return rows[0] if rows else None

    async def many(self, limit: int) -> list[Row]:
        return list(
            await self.connection.execute_fetchall(_SELECT + "ORDER BY r.id LIMIT ?", (limit,))
        )

    async def close(self) -> None:
        await self.connection.close()

    render = staticmethod(sqlite_row)


class PostgresStore(Store):
    def __init__(self, pool: Any) -> None:
        self.pool = pool

    @classmethod
    async def open(cls, url: str, pool_size: int) -> PostgresStore:
        import asyncpg

        return cls(await asyncpg.create_pool(url, min_size=pool_size, max_size=pool_size))

    async def one(self, ident: int) -> Row | None:
        return await self.pool.fetchrow(_SELECT + "WHERE r.id = $1", ident)  # type: ignore[no-any-return]

    async def many(self, limit: int) -> list[Row]:
        return list(await self.pool.fetch(_SELECT + "ORDER BY r.id LIMIT $1", limit))

    async def close(self) -> None:
        await self.pool.close()

    render = staticmethod(postgres_row)


STORE = web.AppKey("store", Store)


def _json(data: object, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type="application/json")


async def get_one(request: web.Request) -> web.Response:
    raw = request.match_info["id"]
    if not raw.isdigit() or int(raw) > MAX_ID:
        return _json({"error": {"code": "NOT_FOUND", "message": "no such run"}}, 404)
    store = request.app[STORE]
    row = await store.one(int(raw))
    if row is None:
        return _json({"error": {"code": "NOT_FOUND", "message": "no such run"}}, 404)
    return _json(store.render(row))


async def get_list(request: web.Request) -> web.Response:
    raw = request.query.get("limit", "100")
    limit = int(raw) if raw.isdigit() and 1 <= int(raw) <= 1000 else 100
    store = request.app[STORE]
    return _json([store.render(row) for row in await store.many(limit)])


def create_app(database_url: str, pool_size: int = 32) -> web.Application:
    """The floor application for an SQLite (`sqlite:///path`) or PostgreSQL URL."""

    async def store_ctx(app: web.Application) -> AsyncIterator[None]:
        if database_url.startswith("sqlite://"):
            store: Store = await SqliteStore.open(database_url.removeprefix("sqlite://"))
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
