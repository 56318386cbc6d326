"""`serve`: migrate, then run the app until Ctrl-C or SIGTERM, saying what happens."""

from __future__ import annotations

import asyncio
import errno
import logging

from aiohttp import web

from api.keys import DATABASE
from api.logs import quiet_malformed_requests
from billing import auth
from billing.settings import Settings
from cli import logs, summaries
from cli.database import database_ready
from cli.table import fail

log = logging.getLogger("billing.server")


def serve(app: web.Application, settings: Settings, shutdown_seconds: float) -> int:
    """Serve `app` (built not to migrate: it is migrated here, once, before binding)."""
    logs.install(settings.log_format)
    quiet_malformed_requests()
    app.on_startup.append(_announce_first_key)
    loop = _event_loop()
    try:
        # Migrate before binding, so a database problem is reported as one.
        applied = loop.run_until_complete(database_ready(settings))
        log.info("migrations applied: %s", ", ".join(applied) if applied else "none pending")
        # run_app turns SIGINT and SIGTERM into a graceful shutdown.
        web.run_app(
            app,
            host=settings.host,
            port=settings.port,
            print=_print_listening,
            loop=loop,
            shutdown_timeout=shutdown_seconds,
            access_log=None,  # api.access_log logs each request, with its route and key name
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return fail(
                f"port {settings.port} on {settings.host} is already in use; "
                "stop the other server or set PORT to another port"
            )
        return fail(f"cannot serve on {settings.host}:{settings.port}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        pass
    return 0


def _event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is optional off Linux/macOS
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


async def _announce_first_key(app: web.Application) -> None:
    with app[DATABASE]:
        key = await auth.ensure_first_key()
    if key is not None:
        print(summaries.first_key(key), flush=True)


def _print_listening(message: str) -> None:
    print(message.splitlines()[0] if message else message, flush=True)
