"""The billing-run API server: the aiohttp application and the table of its commands.

python server.py                         serve (applies pending migrations first)
python server.py serve --workers N       serve from N processes (PostgreSQL)
python server.py migrate                 apply pending migrations and exit
python server.py create-api-key NAME [--read-only] [--expires-in DAYS]  print a new key last
python server.py list-api-keys           list keys: name, prefix, read-only, dates
python server.py revoke-api-key NAME_OR_PREFIX  refuse a key in every process within 1 s
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
import dataclasses
import logging
import sys
from collections.abc import AsyncIterator, Sequence

from aiohttp import web

from api import health, metrics
from api.access import access_context
from api.access_log import access_middleware
from api.cors import setup_cors
from api.idempotency import idempotency_middleware
from api.keys import AVAILABILITY, DATABASE, SETTINGS
from api.limits import limited_application
from api.middlewares import MIDDLEWARES
from api.paths import (
    GRAPHQL_PATH,
    HEALTHZ_PATH,
    LIVEZ_PATH,
    METRICS_PATH,
    WEBSOCKET_SUBPROTOCOLS,
)
from api.unavailable import availability
from billing import db, notify
from billing.settings import Settings
from billing.worker import BillingWorker
from cli import bill, commands, serving, workers
from cli import keys as key_commands
from cli.table import Command, Program
from rest.billing_runs import routes as billing_run_routes
from rest.charges import routes as charge_routes
from rest.customers import routes as customer_routes
from rest.invoices import routes as invoice_routes
from rest.openapi import routes as openapi_routes
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


async def _notifications(app: web.Application) -> AsyncIterator[None]:
    """This process's one LISTEN connection (PostgreSQL): news from every process."""
    settings = app[SETTINGS]
    if settings.dialect != "postgres":
        yield  # one process: notify delivers in-process
        return
    listener = notify.Listener(settings.listen_url)
    listener.start()
    # Serve only once listening, so no news sent after start-up is missed (bounded: a
    # listener that cannot connect keeps retrying in the background).
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(listener.connected.wait(), SHUTDOWN_SECONDS)
    yield
    await listener.stop()


async def _billing_worker(app: web.Application) -> AsyncIterator[None]:
    """Bill requested runs in the background (resuming any a stopped process left)."""
    if not app[SETTINGS].run_engine:
        yield
        return
    with app[DATABASE]:  # the task copies this context
        worker = BillingWorker(app[SETTINGS], app[AVAILABILITY])
        task = asyncio.create_task(worker.run_forever())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def create_app(settings: Settings, *, migrate: bool = True) -> web.Application:
    """The app; with `migrate`, it applies pending migrations as it starts."""
    app = limited_application(settings, (access_middleware, *MIDDLEWARES, idempotency_middleware))
    setup_cors(app)
    app.cleanup_ctx.append(_migrated_database if migrate else _database)
    app.cleanup_ctx.append(availability)
    app.cleanup_ctx.append(_notifications)
    app.cleanup_ctx.append(_billing_worker)
    app.cleanup_ctx.append(access_context)
    app.router.add_routes(billing_run_routes)
    app.router.add_routes(customer_routes)
    app.router.add_routes(charge_routes)
    app.router.add_routes(invoice_routes)
    app.router.add_routes(openapi_routes)
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
    app.router.add_get(LIVEZ_PATH, health.livez)
    app.router.add_get(HEALTHZ_PATH, health.healthz)
    app.router.add_get(METRICS_PATH, metrics.metrics)
    return app


def serve(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    # `python server.py` alone runs `serve` without its arguments.
    if getattr(args, "workers", None) is not None:
        settings = dataclasses.replace(settings, workers=args.workers)
    if settings.workers > 1:
        # Migrated once, before the workers start; each worker builds its own app.
        return workers.serve(lambda: create_app(settings, migrate=False), settings)
    # Migrated once, by `serving.serve`, before binding: the app need not migrate again.
    return serving.serve(create_app(settings, migrate=False), settings, SHUTDOWN_SECONDS)


PROGRAM = Program(
    name="server.py",
    description="Billing-run API server (GraphQL at /graphql, REST at /backend/api/v1).",
    epilog="Configuration: DATABASE_URL, HOST, PORT, MAX_BODY_BYTES (see README.md).",
    default="serve",
    commands=(
        Command(
            "serve",
            "apply pending migrations and serve (the default)",
            serve,
            workers.worker_arguments,
        ),
        Command("migrate", "apply pending migrations and exit", commands.migrate),
        Command(
            "create-api-key",
            "create an API key and print it last",
            key_commands.create_api_key,
            key_commands.create_arguments,
        ),
        Command(
            "list-api-keys",
            "list API keys (never the keys themselves)",
            key_commands.list_api_keys,
        ),
        Command(
            "revoke-api-key",
            "refuse a key from now on, in every server process",
            key_commands.revoke_api_key,
            key_commands.revoke_arguments,
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
