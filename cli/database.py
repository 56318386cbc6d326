"""The database for one command: migrated first, and a clear error when it cannot be used."""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg
from tortoise.exceptions import BaseORMException

from billing import db
from billing.settings import Settings, redact

T = TypeVar("T")
#: What opening or migrating a database can raise when it is absent, unreachable or refused.
DATABASE_ERRORS = (OSError, sqlite3.Error, asyncpg.PostgresError, BaseORMException)


class DatabaseUnavailable(Exception):
    """The database cannot be opened or migrated; the message says which and why."""


async def database_ready(settings: Settings) -> list[str]:
    """Apply pending migrations; the names of those applied."""
    try:
        return await db.migrate(settings.database_url)
    except DATABASE_ERRORS as exc:
        raise DatabaseUnavailable(
            f"cannot use the database at {redact(settings.database_url)}: {exc}"
        ) from None


async def with_database(settings: Settings, action: Callable[[], Awaitable[T]]) -> T:
    """Migrate, then run `action` with the database open."""
    await database_ready(settings)
    return await db.in_database(settings.database_url, action)
