"""What the benchmark scripts share: the app's packages, progress lines, throwaway
PostgreSQL databases, and the report's header and file.

Import it before the app's packages: it puts this checkout first on `sys.path`.
"""

from __future__ import annotations

import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402

from billing.db import asyncpg_dsn  # noqa: E402


def step(message: str) -> None:
    """A progress line on stderr (stdout is the scripts' result)."""
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- PostgreSQL ---------------------------------------------------------------------------


async def pg_admin(server_url: str, *statements: str) -> None:
    """Run statements (CREATE or DROP DATABASE) on the server of `server_url`."""
    connection = await asyncpg.connect(asyncpg_dsn(server_url), timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def database_url(server_url: str, name: str) -> str:
    """The URL of the database `name` on the server of `server_url`."""
    return urlsplit(server_url)._replace(path=f"/{name}", query="", fragment="").geturl()


async def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """A new database (a copy of `template`, if named); its URL."""
    copy = f' TEMPLATE "{template}"' if template else ""
    await pg_admin(server_url, f'CREATE DATABASE "{name}"{copy}')
    return database_url(server_url, name)


async def drop_databases(server_url: str, *names: str) -> None:
    await pg_admin(
        server_url, *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names)
    )


# --- the report ---------------------------------------------------------------------------


def machine(load_before: float) -> str:
    """When and where a run was measured, for the report's first paragraph."""
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; 1-minute load average before the run: "
        f"{load_before:.2f}"
    )


def write_report(path: Path, text: str) -> None:
    """Print the report and keep it in `path`."""
    print(text, end="" if text.endswith("\n") else "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    print(f"\n(written to {path})")
