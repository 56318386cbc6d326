"""News that server processes tell each other: PostgreSQL LISTEN/NOTIFY, or in-process.

`publish(channel, payload)` sends; `on(channel, callback)` registers a callback that
runs in this process for every message on the channel, from any process. News only
says "look again": every receiver reads what it needs from the database, so a message
delivered twice, or one that announces a change a rollback undid, does no harm.

- SQLite (one process): `publish` calls this process's callbacks at once.
- PostgreSQL: `publish` runs `pg_notify` on the current connection. Inside a
  transaction it is delivered when that transaction commits, and never if it rolls
  back. Each process holds ONE dedicated connection that LISTENs on every channel
  (`Listener`, started with the app) and calls the callbacks. LISTEN needs a session
  of its own, which PgBouncer in transaction pooling mode cannot give: the listener
  connects to `LISTEN_DATABASE_URL` (default: DATABASE_URL), which may name PostgreSQL
  directly while everything else goes through the pooler. If that connection drops,
  the listener reconnects, then calls every callback with the empty payload: news may
  have been missed while it was away.

The empty payload means "anything may have changed" on every channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from tortoise.connection import get_connection

from billing.db import asyncpg_dsn
from billing.settings import redact

log = logging.getLogger("billing.notify")

#: A run was requested (payload: its id); engines look for work at once.
BILLS_REQUESTED = "billing_bills_requested"
#: A write to a run committed (payload: its id); `billingRunProgress` followers read it.
RUN_CHANGED = "billing_run_changed"
#: An API key was revoked (payload: its prefix); caches drop it.
API_KEY_REVOKED = "api_key_revoked"
CHANNELS = (BILLS_REQUESTED, RUN_CHANGED, API_KEY_REVOKED)
#: PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; ours are ids.
MAX_PAYLOAD_BYTES = 7_999

Callback = Callable[[str], None]
_callbacks: dict[str, list[Callback]] = {channel: [] for channel in CHANNELS}


def on(channel: str, callback: Callback) -> Callable[[], None]:
    """Call `callback(payload)` in this process for each message on `channel`; returns a
    function that unregisters it. The callback runs on the event loop: keep it short and
    non-blocking (set an event, drop a cache entry). The empty payload means "anything
    may have changed" (e.g. after the listener reconnected)."""
    callbacks = _callbacks_of(channel)
    callbacks.append(callback)

    def off() -> None:
        with contextlib.suppress(ValueError):
            callbacks.remove(callback)

    return off


async def publish(channel: str, payload: str = "") -> None:
    """Tell every process (this one included). On PostgreSQL inside a transaction, the
    message is delivered when the transaction commits, and dropped if it rolls back."""
    _callbacks_of(channel)
    if len(payload.encode()) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"a {channel} payload is limited to {MAX_PAYLOAD_BYTES} bytes")
    conn = get_connection("default")
    if conn.capabilities.dialect == "postgres":
        await conn.execute_query("SELECT pg_notify($1, $2)", [channel, payload])
    else:
        deliver(channel, payload)


def deliver(channel: str, payload: str) -> None:
    """Run this process's callbacks for one message; one failing does not stop the rest."""
    for callback in list(_callbacks.get(channel, ())):
        try:
            callback(payload)
        except Exception:
            log.exception("a %s callback failed", channel)


def _callbacks_of(channel: str) -> list[Callback]:
    try:
        return _callbacks[channel]
    except KeyError:
        raise ValueError(
            f"unknown notification channel {channel!r}; known: {', '.join(CHANNELS)}"
        ) from None


class Listener:
    """This process's one LISTEN connection (PostgreSQL), kept open until `stop`."""

    #: Waits between reconnection attempts: doubled from the first up to the last.
    RETRY_SECONDS = (0.5, 5.0)

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        import asyncpg

        wait, longest = self.RETRY_SECONDS
        missed = False  # news may have been sent while this process was not listening
        while True:
            conn = None
            try:
                conn = await asyncpg.connect(asyncpg_dsn(self.database_url))
                dropped = asyncio.Event()
                conn.add_termination_listener(lambda _conn, dropped=dropped: dropped.set())
                for channel in CHANNELS:
                    await conn.add_listener(channel, self._receive)
                log.info("listening for notifications on %s", redact(self.database_url))
                self.connected.set()
                if missed:  # news sent while disconnected is lost: look at everything
                    for channel in CHANNELS:
                        deliver(channel, "")
                wait = self.RETRY_SECONDS[0]
                await dropped.wait()
                log.warning("the notification connection dropped; reconnecting")
            except asyncio.CancelledError:
                raise
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("cannot listen for notifications (%s); retrying in %s s", exc, wait)
            finally:
                missed = True
                self.connected.clear()
                if conn is not None and not conn.is_closed():
                    with contextlib.suppress(Exception):
                        await asyncio.shield(conn.close(timeout=2))
            await asyncio.sleep(wait)
            wait = min(wait * 2, longest)

    def _receive(self, _conn: object, _pid: int, channel: str, payload: str) -> None:
        deliver(channel, payload)
