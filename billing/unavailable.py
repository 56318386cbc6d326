"""Whether a failure means the database cannot be reached now, and one log line per outage.

`is_unavailable` is the one place that tells "the database is down, retry later" (a
refused or dropped connection, a server restarting or shutting down, a database that
refuses connections, a standby after a failover, a locked SQLite file) from failures that
are ours or the caller's (a constraint violation, a bad query, a bug). Both transports
and the billing engine ask it; none of them keeps its own list.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import sqlite3
import time
from collections.abc import Awaitable, Callable

import asyncpg
from tortoise.connection import get_connection
from tortoise.exceptions import DBConnectionError, OperationalError, TransactionManagementError

log = logging.getLogger("billing.database")

#: PostgreSQL SQLSTATEs meaning the server cannot serve us now (class 08, connection
#: exceptions, is matched as a whole below).
_PG_STATES = {
    "57P01",  # admin_shutdown: terminated by an administrator or a fast shutdown
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now: starting up, shutting down, in recovery
    "57P04",  # database_dropped
    "57P05",  # idle_session_timeout
    "53300",  # too_many_connections
    "3D000",  # invalid_catalog_name: the database is gone (dropped or renamed)
    "28000",  # invalid_authorization_specification: pg_hba.conf refuses us
    "28P01",  # invalid_password
    "25006",  # read_only_sql_transaction: writing to a standby after a failover
}
#: What asyncpg says when a connection died under it (InterfaceError and
#: InternalClientError are also raised for misuse, so the message decides).
_DRIVER_MESSAGES = (
    "connection is closed",
    "connection was closed",
    "the underlying connection is closed",
    "connection has been released back to the pool",
    "pool is closing",
    "pool is closed",
    "cannot switch to state",  # the next use of a connection terminated mid-query
)
_SQLITE_MESSAGES = ("database is locked", "database table is locked", "unable to open database")
_NETWORK_ERRNOS = {
    errno.ECONNREFUSED,
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.EPIPE,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
    errno.ENETDOWN,
    errno.EHOSTDOWN,
    errno.ETIMEDOUT,
}
#: Modules whose frames show that an OS-level error came from talking to the database
#: (a ConnectionResetError from aiohttp is a client going away, not an outage).
_DRIVERS = ("asyncpg", "aiosqlite", "sqlite3", "tortoise", "billing.pg_client")
#: Exceptions that wrap the real cause: look inside them.
_WRAPPERS = (OperationalError, TransactionManagementError, DBConnectionError)


def is_unavailable(exc: BaseException) -> bool:
    """Whether `exc` means the database could not be reached (retry later), not a fault."""
    return _cause(exc) is not None


def describe(exc: BaseException) -> str:
    """One line saying why the database is unavailable, for the log."""
    cause = _cause(exc) or exc
    text = " ".join(str(cause).split())
    return f"{type(cause).__name__}: {text}"[:300] if text else type(cause).__name__


def _cause(exc: BaseException) -> BaseException | None:
    """The exception in `exc`'s chain that shows the database is unreachable, if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, BaseExceptionGroup):
            return next((c for e in current.exceptions if (c := _cause(e))), None)
        if _is_unavailable_itself(current):
            return current
        if not isinstance(current, _WRAPPERS):
            return None
        current = current.__cause__ or current.__context__ or _first_argument(current)
    return None


def _first_argument(exc: BaseException) -> BaseException | None:
    """Tortoise's wrappers also carry the original as their argument."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, BaseException) else None


def _is_unavailable_itself(exc: BaseException) -> bool:
    if isinstance(exc, asyncpg.PostgresError):
        state = getattr(exc, "sqlstate", None) or ""
        if state.startswith("08") or state in _PG_STATES:
            return True
        # ALTER DATABASE ... ALLOW_CONNECTIONS false: 55000, which also means other things.
        return "not currently accepting connections" in str(exc)
    if isinstance(exc, asyncpg.InterfaceError | asyncpg.InternalClientError):
        return any(text in str(exc) for text in _DRIVER_MESSAGES)
    if isinstance(exc, DBConnectionError):
        return True
    if isinstance(exc, sqlite3.OperationalError | OperationalError):
        return any(text in str(exc) for text in _SQLITE_MESSAGES)
    if isinstance(exc, OSError | TimeoutError | ValueError) and _raised_by_driver(exc):
        if isinstance(exc, ConnectionError | TimeoutError | socket.gaierror):
            return True
        if isinstance(exc, OSError):
            # asyncpg trying several addresses raises a plain OSError naming them all.
            return exc.errno in _NETWORK_ERRNOS or (exc.errno is None and "Connect" in str(exc))
        return "no active connection" in str(exc)  # aiosqlite, its connection closed
    return False


def _raised_by_driver(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        module = tb.tb_frame.f_globals.get("__name__", "")
        if module.startswith(_DRIVERS):
            return True
        tb = tb.tb_next
    return False


async def ping() -> None:
    """Ask the current Tortoise context's database the simplest question."""
    await get_connection("default").execute_query("SELECT 1")


#: How often, during an outage, the database is asked whether it is back (for the log).
PROBE_SECONDS = 0.25


class Availability:
    """The database's availability as one process sees it.

    `lost` is called with every failure that `is_unavailable`; the first of an outage is
    logged as one WARNING, the rest are silent. Meanwhile `probe` is tried every
    PROBE_SECONDS (in the Tortoise context of the first failure); when it succeeds, one
    INFO line says how long the outage lasted. Requests do not wait for the probe: each
    tries the database itself.
    """

    def __init__(self, probe: Callable[[], Awaitable[object]] = ping) -> None:
        self._probe = probe
        self._down_since: float | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._back = asyncio.Event()
        self._back.set()
        self._gone = asyncio.Event()

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def lost(self, exc: BaseException) -> None:
        """Record a failure to reach the database (logged once per outage)."""
        if self._down_since is not None:
            return
        self._down_since = time.monotonic()
        self._back.clear()
        self._gone.set()
        log.warning("database unavailable: %s", describe(exc))
        self._watcher = asyncio.get_running_loop().create_task(self._watch())

    async def wait_until_back(self, seconds: float) -> None:
        """Until the probe finds the database again, or `seconds` at most."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._back.wait(), seconds)

    async def wait_until_lost(self, seconds: float) -> None:
        """Until an outage starts, or `seconds` at most."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._gone.wait(), seconds)

    async def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(PROBE_SECONDS)
            try:
                await self._probe()
            except Exception as exc:
                if not is_unavailable(exc):
                    log.warning("database probe failed: %s", describe(exc))
                continue
            break
        started, self._down_since = self._down_since or time.monotonic(), None
        self._gone.clear()
        self._back.set()
        log.info("database available again after %.1f s", time.monotonic() - started)
