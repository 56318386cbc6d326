"""`serve --workers N`: N server processes on one port, under gunicorn.

gunicorn's arbiter binds the port once and forks N workers running aiohttp's own
gunicorn worker (uvloop), which accept on the shared socket. It gives what a home-made
`SO_REUSEPORT` supervisor would have to be written and tested for: SIGTERM stops every
worker gracefully (requests in flight finish) and the arbiter exits 0; a worker that
dies is replaced; a worker that cannot boot stops the whole server; no Linux-only
socket option. What must happen once happens here, in the arbiter, before any worker
exists: migrations, and printing the first API key.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from typing import Any, NoReturn

from aiohttp import web

from api import metrics
from billing import auth, db
from billing.settings import Settings
from cli import summaries
from cli.database import database_ready
from cli.table import fail

log = logging.getLogger("billing.server")

#: How long a stopping worker waits for requests in flight (gunicorn's graceful timeout).
GRACEFUL_SECONDS = 10
#: gunicorn's exit code when a worker could not boot.
_WORKER_BOOT_ERROR = 3


def worker_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="server processes sharing the port (default: WORKERS, else 1); PostgreSQL only",
    )


def _positive(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("use 1 to 64 workers")
    return value


def serve(app_factory: Callable[[], web.Application], settings: Settings) -> int:
    """Migrate and announce once, then serve from `settings.workers` processes."""
    if settings.dialect != "postgres":
        return fail(
            f"--workers {settings.workers} needs PostgreSQL: SQLite is one process's "
            "database; use DATABASE_URL=postgres://... or one worker"
        )
    if metrics.multiprocess_dir() is None:
        # prometheus-client picks per-process files at import, so the variable must be
        # set before this process imports it: start again with it set.
        _restart_with_metrics_dir()
    metrics.prepare_multiprocess_dir(metrics.multiprocess_dir() or "")
    applied = asyncio.run(_prepare(settings))  # its loop is closed before any fork
    log.info("migrations applied: %s", ", ".join(applied) if applied else "none pending")
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{_host(settings.host)}:{settings.port}",
                "workers": settings.workers,
                "worker_class": "aiohttp.worker.GunicornUVLoopWebWorker",
                "graceful_timeout": GRACEFUL_SECONDS,
                "when_ready": _ready,
                "proc_name": "billing-runs",
                "control_socket_disable": True,  # no gunicornc; stop with SIGTERM
                "child_exit": lambda _arbiter, worker: metrics.process_exited(worker.pid),
            }
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self) -> web.Application:  # in each worker, after the fork
            return app_factory()

    try:
        Server().run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
        if code == _WORKER_BOOT_ERROR:
            return fail("a server process could not start; see the log above")
        return code
    return 0


async def _prepare(settings: Settings) -> list[str]:
    applied = await database_ready(settings)
    key = await db.in_database(settings.database_url, auth.ensure_first_key)
    if key is not None:
        print(summaries.first_key(key), flush=True)
    return applied


def _restart_with_metrics_dir() -> NoReturn:
    """Exec this command again with PROMETHEUS_MULTIPROC_DIR set to a folder of its own,
    so /metrics in any worker sums every worker's counts."""
    folder = tempfile.mkdtemp(prefix="billing-runs-metrics-")
    os.environ[metrics.MULTIPROC_ENV] = folder
    os.execv(sys.executable, [sys.executable, *sys.argv])


def _ready(arbiter: Any) -> None:
    for listener in arbiter.LISTENERS:
        print(
            f"======== Running on {listener} with {arbiter.num_workers} workers ========",
            flush=True,
        )


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
