"""Tortoise's asyncpg client, made to survive connections the server drops.

Tortoise 1.1's pooled transaction acquires a connection and makes it the task's
connection before it sends BEGIN. When BEGIN fails on a connection the server has
terminated, it neither gives the connection back nor restores the task's connection: the
pool loses that connection for good, and a long-lived task (the billing engine, a
subscription) goes on using the dead one ("connection has been released back to the
pool") for ever. After a few terminations the server never recovers without a restart.

This client (a Tortoise engine: `{"engine": "billing.pg_client"}`) undoes both on that
path; gives a connection back to the pool it came from, whatever happened to it; and
keeps the original error when the rollback of a transaction on a dead connection fails
too. asyncpg itself drops a closed or broken connection when it is given back and opens
a new one on the next acquire.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionContext
from tortoise.connection import get_connections
from tortoise.exceptions import TransactionManagementError

from billing.unavailable import is_unavailable

#: How long opening a connection may take before the database counts as unreachable.
CONNECT_TIMEOUT_SECONDS = 5


class ResilientAsyncpgClient(AsyncpgDBClient):
    def __init__(self, **kwargs: Any) -> None:
        # No floor of idle connections: asyncpg keeps a floor by reconnecting in the
        # background, logging a traceback at every attempt while the database is down.
        kwargs.setdefault("minsize", 0)
        # A host that does not answer at all is unavailable after this long, not after
        # asyncpg's 60 s (DATABASE_URL's ?timeout= overrides it).
        kwargs.setdefault("timeout", CONNECT_TIMEOUT_SECONDS)
        super().__init__(**kwargs)

    async def pool(self) -> asyncpg.Pool:
        """The pool, created on first use (and again after `close`)."""
        if self._pool is None:
            async with self._pool_init_lock:
                if self._pool is None:
                    await self.create_connection(with_db=True)
        assert self._pool is not None
        return self._pool

    async def give_back(self, pool: asyncpg.Pool, connection: Any) -> None:
        """Return a connection to its pool; a dead one is dropped without an error."""
        try:
            await pool.release(connection)
        except Exception as exc:
            # asyncpg has terminated the connection; it opens a new one next time.
            if not is_unavailable(exc):
                raise

    def acquire_connection(self) -> _PooledConnection:  # type: ignore[override]
        return _PooledConnection(self)

    def _in_transaction(self) -> TransactionContext:
        return _PooledTransaction(TransactionWrapper(self))


class _PooledConnection:
    __slots__ = ("client", "connection", "pool")

    def __init__(self, client: ResilientAsyncpgClient) -> None:
        self.client = client

    async def __aenter__(self) -> Any:
        self.pool = await self.client.pool()
        self.connection = await self.pool.acquire()
        return self.connection

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.client.give_back(self.pool, self.connection)


class _PooledTransaction(TransactionContext):
    __slots__ = ("client", "connection_name", "pool", "token")

    def __init__(self, client: TransactionWrapper) -> None:
        self.client = client
        self.connection_name = client.connection_name

    @property
    def _parent(self) -> ResilientAsyncpgClient:
        return self.client._parent  # type: ignore[return-value]

    async def __aenter__(self) -> TransactionWrapper:
        self.pool = await self._parent.pool()
        self.client._connection = await self.pool.acquire()
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            get_connections().reset(self.token)
            await self._parent.give_back(self.pool, self.client._connection)
            raise
        return self.client  # type: ignore[return-value]  # the wrapper's client is what callers use

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self.client._finalized:
                if exc_type is None:
                    await self.client.commit()
                elif exc_type is not TransactionManagementError:
                    await self._rollback()
        finally:
            get_connections().reset(self.token)
            await self._parent.give_back(self.pool, self.client._connection)

    async def _rollback(self) -> None:
        try:
            await self.client.rollback()
        except Exception as exc:
            # The connection died: the server has rolled the transaction back already,
            # and the error that is on its way out says more than this one.
            if not is_unavailable(exc):
                raise


client_class = ResilientAsyncpgClient
