"""The billing-run API server: the aiohttp application and its command line.

python server.py                         serve (applies pending migrations first)
python server.py migrate                 apply pending migrations and exit
python server.py create-api-key NAME     print a new API key as the last line
python server.py export-schema [PATH]    write the GraphQL SDL (default schema.graphql)
python server.py make-migrations NAME    (developers) write a migration for each database
python server.py import-calls FILE.csv   import call records, all or nothing
python server.py demo-data [--customers N ...]  demo customers, charges and a Pending run
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import sqlite3
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import asyncpg
from aiohttp import web
from tortoise.exceptions import BaseORMException

from api.keys import DATABASE, SETTINGS
from api.logs import quiet_malformed_requests
from api.middlewares import GRAPHQL_PATH, MIDDLEWARES, WEBSOCKET_SUBPROTOCOLS
from billing import auth, db, demo, importing
from billing.settings import Settings, SettingsError, redact
from billing.worker import BillingWorker
from rest.billing_runs import routes as billing_run_routes
from rest.charges import routes as charge_routes
from rest.customers import routes as customer_routes
from rest.invoices import routes as invoice_routes
from rest.openapi import routes as openapi_routes
from schema import ide
from schema.schema import schema
from schema.view import BillingGraphQLView

#: What opening or migrating a database can raise when it is absent, unreachable or refused.
DATABASE_ERRORS = (OSError, sqlite3.Error, asyncpg.PostgresError, BaseORMException)
#: How long a stopping server waits for requests in flight and for its connections.
SHUTDOWN_SECONDS = 10.0
ROOT = Path(__file__).resolve().parent
SCHEMA_FILE = ROOT / "schema.graphql"
log = logging.getLogger("billing.server")


async def _migrated_database(app: web.Application) -> AsyncIterator[None]:
    await db.migrate(app[SETTINGS].database_url)
    async for _ in _database(app):
        yield


async def _database(app: web.Application) -> AsyncIterator[None]:
    """Hold the app's Tortoise context open."""
    url = app[SETTINGS].database_url
    ctx = await db.open_database(url)
    app[DATABASE] = ctx
    yield
    with ctx:
        try:
            await asyncio.wait_for(ctx.close_connections(), SHUTDOWN_SECONDS)
        except TimeoutError:  # a connection still busy must not keep the process alive
            log.warning("database connections did not close in %s s", SHUTDOWN_SECONDS)


async def _billing_worker(app: web.Application) -> AsyncIterator[None]:
    """Bill requested runs in the background (resuming any a stopped process left)."""
    if not app[SETTINGS].run_engine:
        yield
        return
    with app[DATABASE]:  # the task copies this context
        task = asyncio.create_task(BillingWorker(app[SETTINGS]).run_forever())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def create_app(settings: Settings, *, migrate: bool = True) -> web.Application:
    """The app; with `migrate`, it applies pending migrations as it starts."""
    app = web.Application(middlewares=MIDDLEWARES, client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app.cleanup_ctx.append(_migrated_database if migrate else _database)
    app.cleanup_ctx.append(_billing_worker)
    app.router.add_routes(billing_run_routes)
    app.router.add_routes(customer_routes)
    app.router.add_routes(charge_routes)
    app.router.add_routes(invoice_routes)
    app.router.add_routes(openapi_routes)
    view = BillingGraphQLView(
        schema=schema, graphql_ide="graphiql", subscription_protocols=WEBSOCKET_SUBPROTOCOLS
    )
    app.router.add_route("*", GRAPHQL_PATH, view)
    app.router.add_route("*", GRAPHQL_PATH + "/", view)
    app.router.add_get(ide.ASSET_ROUTE, ide.serve_asset)
    return app


async def _announce_first_key(app: web.Application) -> None:
    with app[DATABASE]:
        key = await auth.ensure_first_key()
    if key is not None:
        print(
            "No API key existed, so one was created. It is shown only this once:\n"
            f"  {key}\n"
            "Send it as: Authorization: Bearer <key>",
            flush=True,
        )


def serve(settings: Settings) -> int:
    quiet_malformed_requests()
    # Migrated once, below, before binding: the app need not migrate again.
    app = create_app(settings, migrate=False)
    app.on_startup.append(_announce_first_key)
    try:
        import uvloop

        loop = uvloop.new_event_loop()
    except ImportError:  # pragma: no cover - uvloop is optional off Linux/macOS
        loop = asyncio.new_event_loop()
    try:
        # Migrate before binding, so a database problem is reported as one.
        loop.run_until_complete(_database_ready(settings))
        # run_app turns SIGINT and SIGTERM into a graceful shutdown.
        web.run_app(
            app,
            host=settings.host,
            port=settings.port,
            print=_print_listening,
            loop=loop,
            shutdown_timeout=SHUTDOWN_SECONDS,
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return _fail(
                f"port {settings.port} on {settings.host} is already in use; "
                "stop the other server or set PORT to another port"
            )
        return _fail(f"cannot serve on {settings.host}:{settings.port}: {exc.strerror or exc}")
    except DatabaseUnavailable as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        pass
    return 0


class DatabaseUnavailable(Exception):
    """The database cannot be opened or migrated; the message says which and why."""


async def _database_ready(settings: Settings) -> list[str]:
    try:
        return await db.migrate(settings.database_url)
    except DATABASE_ERRORS as exc:
        raise DatabaseUnavailable(
            f"cannot use the database at {redact(settings.database_url)}: {exc}"
        ) from None


def _print_listening(message: str) -> None:
    print(message.splitlines()[0] if message else message, flush=True)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


async def _with_database(settings: Settings, action):  # type: ignore[no-untyped-def]
    await _database_ready(settings)
    ctx = await db.open_database(settings.database_url)
    try:
        with ctx:
            return await action()
    finally:
        with ctx:
            await ctx.close_connections()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="server.py",
        description="Billing-run API server (GraphQL at /graphql, REST at /backend/api/v1).",
        epilog="Configuration: DATABASE_URL, HOST, PORT, MAX_BODY_BYTES (see README.md).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("serve", help="apply pending migrations and serve (the default)")
    commands.add_parser("migrate", help="apply pending migrations and exit")
    key = commands.add_parser("create-api-key", help="create an API key and print it last")
    key.add_argument("name", help="who or what the key is for")
    export = commands.add_parser("export-schema", help="write the GraphQL schema (SDL)")
    export.add_argument(
        "path", nargs="?", default=str(SCHEMA_FILE), help="where to write it ('-' for stdout)"
    )
    make = commands.add_parser(
        "make-migrations", help="(developers) write a migration for SQLite and PostgreSQL"
    )
    make.add_argument("name", help="a short name for the change")
    calls = commands.add_parser(
        "import-calls", help="import call records from a CSV file (all or nothing)"
    )
    calls.add_argument(
        "file", help="CSV with the header " + ",".join(importing.HEADER) + " (RFC 3339 times)"
    )
    demo_data = commands.add_parser(
        "demo-data", help="create demo customers, calls, transactions and a Pending run"
    )
    for flag, default in (
        ("--customers", demo.DemoPlan.customers),
        ("--calls-per-customer", demo.DemoPlan.calls_per_customer),
        ("--transactions-per-customer", demo.DemoPlan.transactions_per_customer),
        ("--seed", demo.DemoPlan.seed),
    ):
        demo_data.add_argument(
            flag,
            type=demo.count_argument,
            default=default,
            metavar="N",
            help=f"(default {default})",
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "serve"
    # A server logs what it does; a one-shot command's stderr is for its own messages.
    level = logging.INFO if command == "serve" else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("tortoise").setLevel(logging.WARNING)
    if command == "export-schema":
        sdl = schema.as_str() + "\n"
        if args.path == "-":
            sys.stdout.write(sdl)
        else:
            Path(args.path).write_text(sdl)
            print(f"wrote {args.path}")
        return 0
    if command == "make-migrations":
        for line in asyncio.run(db.make_migrations(args.name)) or ["no changes"]:
            print(line)
        return 0
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        return _fail(str(exc))
    try:
        if command == "serve":
            return serve(settings)
        if command == "migrate":
            applied = asyncio.run(_database_ready(settings))
            print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")
            return 0
        if command == "create-api-key":
            new_key = asyncio.run(_with_database(settings, lambda: auth.create_api_key(args.name)))
            print(f"API key for {args.name} (shown only once):")
            print(new_key)
            return 0
        if command == "import-calls":
            count = asyncio.run(
                _with_database(settings, lambda: importing.import_file(args.file, sys.stderr))
            )
            print(f"imported {count} calls")
            return 0
        if command == "demo-data":
            plan = demo.DemoPlan(
                customers=args.customers,
                calls_per_customer=args.calls_per_customer,
                transactions_per_customer=args.transactions_per_customer,
                seed=args.seed,
            )
            summary = asyncio.run(_with_database(settings, lambda: demo.create_demo_data(plan)))
            print("\n".join(summary.lines(f"http://{settings.host}:{settings.port}")))
            return 0
    except DatabaseUnavailable as exc:
        return _fail(str(exc))
    except ValueError as exc:
        return _fail(str(exc))
    return _fail(f"unknown command {command}")


if __name__ == "__main__":
    sys.exit(main())
