"""The keys one server process has seen, kept in memory so a request costs no query.

A cached key is trusted only while the key table is unchanged: at most once a second
(`REFRESH_SECONDS`), on the first request after that second, one small aggregate query
reads a watermark of the table, and any change (a key created, revoked or deleted, by
this process or any other sharing the database) empties the cache. So a revocation is
refused by every process within a second, and a busy process asks the database about
its keys once a second, not once a request.

When a key was last used is remembered in memory and written at most once a minute per
key (`LAST_USED_SECONDS`), during those checks, and in full when the process stops.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from billing import auth
from billing.sql import Sql

REFRESH_SECONDS = 1.0
LAST_USED_SECONDS = 60.0
MAX_CACHED_KEYS = 10_000

#: Ids only grow (SQLite AUTOINCREMENT, PostgreSQL sequences) and a key is never
#: un-revoked, so any insert or delete changes the count or the sum of ids, and any
#: revocation without a delete changes the count of revoked keys.
_WATERMARK = (
    "SELECT COUNT(*) AS keys, COALESCE(SUM(id), 0) AS ids, COUNT(revoked_date) AS revoked "
    "FROM api_key"
)


class KeyCache:
    """Keys by hash, for one process (one event loop)."""

    def __init__(
        self,
        refresh_seconds: float = REFRESH_SECONDS,
        last_used_seconds: float = LAST_USED_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._refresh_seconds = refresh_seconds
        self._last_used_seconds = last_used_seconds
        self._clock = clock
        self._records: dict[str, auth.KeyRecord] = {}
        #: Bumped whenever the cache is emptied: a lookup that started before must not
        #: put back what it read.
        self._generation = 0
        self._watermark: tuple[Any, ...] | None = None
        self._fresh_until = float("-inf")
        self._lock = asyncio.Lock()
        self._used: dict[int, datetime] = {}
        self._written: dict[int, float] = {}

    async def refresh(self) -> None:
        """Make sure the cache reflects the key table as of at most a second ago."""
        if self._clock() < self._fresh_until:
            return
        async with self._lock:  # one query however many requests arrive at once
            started = self._clock()
            if started < self._fresh_until:
                return
            rows = await Sql().rows(_WATERMARK)
            mark = tuple(int(value) for value in rows[0].values())
            if mark != self._watermark:
                self._forget_all()
                self._watermark = mark
            # Measured from before the query: whatever was committed before it started
            # is seen, so a revocation is noticed within REFRESH_SECONDS.
            self._fresh_until = started + self._refresh_seconds
            await self._write_last_used(started)

    def cached(self, digest: str) -> auth.KeyRecord | None:
        return self._records.get(digest)

    async def load(self, digest: str) -> auth.KeyRecord | None:
        """Read a key from the database and remember it (revoked and expired ones too)."""
        generation = self._generation
        record = await auth.find_key(digest)
        if record is not None and generation == self._generation:
            if len(self._records) >= MAX_CACHED_KEYS:
                self._forget_all()
            self._records[digest] = record
        return record

    def touch(self, record: auth.KeyRecord) -> None:
        """Remember that the key was just accepted (written later, in a batch)."""
        self._used[record.id] = datetime.now(UTC)

    async def flush_last_used(self) -> None:
        """Write every last-used time not yet written (when the process stops)."""
        used, self._used = self._used, {}
        await auth.record_last_used(used)

    async def _write_last_used(self, now: float) -> None:
        due = {
            key_id: when
            for key_id, when in self._used.items()
            if now - self._written.get(key_id, float("-inf")) >= self._last_used_seconds
        }
        if not due:
            return
        for key_id in due:
            del self._used[key_id]
            self._written[key_id] = now
        if len(self._written) > MAX_CACHED_KEYS:
            self._written = {
                k: t for k, t in self._written.items() if now - t < self._last_used_seconds
            }
        await auth.record_last_used(due)

    def forget_all(self, _reason: str = "") -> None:
        """Drop every cached key (a key was revoked somewhere: billing/notify.py)."""
        self._forget_all()

    def _forget_all(self) -> None:
        self._records.clear()
        self._generation += 1
