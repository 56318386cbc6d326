"""Database set-up: the Tortoise configuration and migrations, serialised across processes."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import fcntl
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext

from billing.settings import (
    DEFAULT_DATABASE_URL,
    PGBOUNCER_PARAMETER,
    behind_pgbouncer,
    dialect_of,
)

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"
APP = "models"
_MIGRATION_LOCK_KEY = zlib.crc32(b"billing-runs migrations")

T = TypeVar("T")


def tortoise_url(database_url: str) -> str:
    """The URL as Tortoise takes it: behind PgBouncer, with asyncpg's statement cache off.

    In transaction pooling mode each transaction may run on another server connection,
    where a statement asyncpg prepared and cached on the last one does not exist.
    """
    if dialect_of(database_url) != "postgres" or not _has_parameter(database_url):
        return database_url
    pooled = behind_pgbouncer(database_url)
    url = _without(database_url, PGBOUNCER_PARAMETER)
    if pooled:
        url = _with_parameter(url, "statement_cache_size", "0")
    return url


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": tortoise_url(database_url)},
        "apps": {APP: {"models": ["models", "aerich.models"], "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


#: What the `aerich` command line reads ([tool.tortoise] in pyproject.toml).
AERICH_CONFIG = tortoise_config(DEFAULT_DATABASE_URL)


def migrations_location(database_url: str) -> Path:
    """Each dialect keeps its own history: aerich writes dialect-specific SQL."""
    return MIGRATIONS / dialect_of(database_url)


def serving_config(database_url: str) -> dict[str, Any]:
    """The configuration to serve with: on PostgreSQL, a client that survives outages."""
    config = tortoise_config(database_url)
    connection = expand_db_url(tortoise_url(database_url))
    if connection["engine"] == "tortoise.backends.asyncpg":
        connection["engine"] = "billing.pg_client"
        config["connections"]["default"] = connection
    return config


async def open_database(database_url: str) -> TortoiseContext:
    """Initialise Tortoise in a context of its own; enter it (`with ctx:`) to use it."""
    ctx = TortoiseContext()
    with ctx:
        await ctx.init(config=serving_config(database_url))
    return ctx


async def in_database(database_url: str, action: Callable[[], Awaitable[T]]) -> T:
    """Run `action` in a Tortoise context of its own, opened for it and closed after."""
    ctx = await open_database(database_url)
    try:
        with ctx:
            return await action()
    finally:
        with ctx:
            await ctx.close_connections()


def run_isolated(coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
    """Run a coroutine in an empty contextvars context.

    aerich initialises Tortoise's *current* context; running it in a fresh one keeps it
    from touching the application's.
    """
    return asyncio.get_running_loop().create_task(coro, context=contextvars.Context())


async def migrate(database_url: str) -> list[str]:
    """Apply pending migrations; return the names of those applied.

    Several processes starting at once take turns: a file lock beside an SQLite
    database, an advisory lock on PostgreSQL.
    """
    async with _migration_lock(database_url):
        return await run_isolated(_upgrade(database_url))


async def _upgrade(database_url: str) -> list[str]:
    from aerich import Command

    command = Command(
        tortoise_config=tortoise_config(database_url),
        app=APP,
        location=str(migrations_location(database_url)),
    )
    try:
        await command.init()
        return await command.upgrade(run_in_transaction=True)
    finally:
        await command.aclose()


@contextlib.asynccontextmanager
async def _migration_lock(database_url: str) -> AsyncIterator[None]:
    if dialect_of(database_url) == "postgres":
        import asyncpg

        conn = await asyncpg.connect(asyncpg_dsn(database_url), **asyncpg_options(database_url))
        try:
            # A transaction-level lock, held by a transaction left open while the
            # migrations run on other connections: it ends with that transaction (or
            # with the connection, if this process dies), also through PgBouncer in
            # transaction pooling mode, where a session lock would stay behind on
            # whichever server connection took it.
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK_KEY)
                yield
        finally:
            await conn.close()
        return
    path = sqlite_path(database_url)
    if path is None:
        yield
        return
    if not path.parent.is_dir():
        raise FileNotFoundError(f"the folder {path.parent} does not exist")
    lock_path = Path(f"{path}.migrate-lock")
    with open(lock_path, "a") as handle:  # noqa: ASYNC230 (opening a lock file is instant)
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def sqlite_path(database_url: str) -> Path | None:
    """The file behind an SQLite URL (None for an in-memory database)."""
    rest = database_url.split("://", 1)[1].split("?", 1)[0]
    if rest in (":memory:", ""):
        return None
    return Path(rest)


#: URL parameters that Tortoise or this project read, which asyncpg would otherwise send
#: to the server as settings.
_NOT_FOR_ASYNCPG = (
    PGBOUNCER_PARAMETER,
    "minsize",
    "maxsize",
    "statement_cache_size",
    "max_cached_statement_lifetime",
    "max_cacheable_statement_size",
)


def asyncpg_dsn(database_url: str) -> str:
    """The URL as asyncpg takes it (Tortoise also names PostgreSQL `asyncpg://`)."""
    parts = urlsplit(_without(database_url, *_NOT_FOR_ASYNCPG))
    return parts._replace(scheme="postgresql").geturl()


def asyncpg_options(database_url: str) -> dict[str, Any]:
    """Keyword arguments for `asyncpg.connect` to the URL's server."""
    return {"statement_cache_size": 0} if behind_pgbouncer(database_url) else {}


def _has_parameter(database_url: str) -> bool:
    return any(key == PGBOUNCER_PARAMETER for key, _ in _parameters(database_url))


def _parameters(database_url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(database_url).query, keep_blank_values=True)


def _without(database_url: str, *names: str) -> str:
    kept = [(key, value) for key, value in _parameters(database_url) if key not in names]
    return urlsplit(database_url)._replace(query=urlencode(kept)).geturl()


def _with_parameter(database_url: str, name: str, value: str) -> str:
    kept = [(key, v) for key, v in _parameters(database_url) if key != name]
    return urlsplit(database_url)._replace(query=urlencode([*kept, (name, value)])).geturl()


#: URLs aerich generates each dialect's history with; no server is contacted.
OFFLINE_URLS = {
    "sqlite": "sqlite://:memory:",
    "postgres": "postgres://postgres@127.0.0.1:5432/offline",
}


async def make_migration(dialect: str, name: str) -> str | None:
    """Write a new migration for one dialect from the models; what was written, if anything.

    Run one dialect per process: aerich and Tortoise keep dialect-specific state at class
    level, which would leak from one into the other.
    """
    from aerich import Command

    database_url = OFFLINE_URLS[dialect]
    location = migrations_location(database_url)
    command = Command(
        tortoise_config=tortoise_config(database_url), app=APP, location=str(location)
    )
    try:
        if not (location / APP).exists() or not any((location / APP).glob("*.py")):
            await command.init_migrations(safe=True)
            return "initial migration"
        await command.init(offline=True)
        return await command.migrate(name, no_input=True, offline=True)
    finally:
        await command.aclose()
