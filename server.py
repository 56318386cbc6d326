"""The billing-run API server: the aiohttp application and the table of its commands.

python server.py                         serve (applies pending migrations first)
python server.py migrate                 apply pending migrations and exit
python server.py create-api-key NAME     print a new API key as the last line
python server.py export-schema [PATH]    write the GraphQL SDL (default schema.graphql)
python server.py make-migrations NAME    (developers) write a migration for each database
python server.py import-calls FILE.csv   import call records, all or nothing
python server.py demo-data [--customers N ...]  demo customers, charges and a Pending run
python server.py bill RUN_ID             request bills and bill the run here, with a bar
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Sequence

from aiohttp import web

from api.cors import setup_cors
from api.idempotency import idempotency_middleware
from api.keys import DATABASE, SETTINGS
from api.limits import limited_application
from api.middlewares import MIDDLEWARES
from api.paths import GRAPHQL_PATH, WEBSOCKET_SUBPROTOCOLS
from billing import db
from billing.settings import Settings
from billing.worker import BillingWorker
from cli import bill, commands, serving
from cli.table import Command, Program
from rest.billing_runs import routes as billing_run_routes
from rest.charges import routes as charge_routes
from rest.customers import routes as customer_routes
from rest.invoices import routes as invoice_routes
from schema.core import ide
from schema.core.view import BillingGraphQLView
from schema.schema import schema

#: How long a stopping server waits for requests in flight and for its connections.
SHUTDOWN_SECONDS = 10.0
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
    app = limited_application(settings, (*MIDDLEWARES, idempotency_middleware))
    setup_cors(app)
    app.cleanup_ctx.append(_migrated_database if migrate else _database)
    app.cleanup_ctx.append(_billing_worker)
    app.router.add_routes(billing_run_routes)
    app.router.add_routes(customer_routes)
    app.router.add_routes(charge_routes)
    app.router.add_routes(invoice_routes)
    view = BillingGraphQLView(
        schema=schema,
        graphql_ide="graphiql",
        subscription_protocols=WEBSOCKET_SUBPROTOCOLS,
        # Browsers do not apply CORS to websockets: the view checks the Origin itself.
        allowed_origins=settings.cors_origins,
    )
    app.router.add_route("*", GRAPHQL_PATH, view)
    app.router.add_route("*", GRAPHQL_PATH + "/", view)
    app.router.add_get(ide.ASSET_ROUTE, ide.serve_asset)
    return app


def serve(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    # Migrated once, by `serving.serve`, before binding: the app need not migrate again.
    return serving.serve(create_app(settings, migrate=False), settings, SHUTDOWN_SECONDS)


PROGRAM = Program(
    name="server.py",
    description="Billing-run API server (GraphQL at /graphql, REST at /backend/api/v1).",
    epilog="Configuration: DATABASE_URL, HOST, PORT, MAX_BODY_BYTES (see README.md).",
    default="serve",
    commands=(
        Command("serve", "apply pending migrations and serve (the default)", serve),
        Command("migrate", "apply pending migrations and exit", commands.migrate),
        Command(
            "create-api-key",
            "create an API key and print it last",
            commands.create_api_key,
            commands.key_arguments,
        ),
        Command(
            "export-schema",
            "write the GraphQL schema (SDL)",
            commands.export_schema,
            commands.schema_arguments,
        ),
        Command(
            "make-migrations",
            "(developers) write a migration for SQLite and PostgreSQL",
            commands.make_migrations,
            commands.migration_arguments,
        ),
        Command(
            "import-calls",
            "import call records from a CSV file (all or nothing)",
            commands.import_calls,
            commands.import_arguments,
        ),
        Command(
            "demo-data",
            "create demo customers, calls, transactions and a Pending run",
            commands.demo_data,
            commands.demo_arguments,
        ),
        Command(
            "bill",
            "request bills for a run and bill it in this process, showing progress",
            bill.bill,
            bill.bill_arguments,
        ),
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    return PROGRAM.run(argv)


if __name__ == "__main__":
    sys.exit(main())
