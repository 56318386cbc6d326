"""Optimistic concurrency on a row's `version` column: one way for every update to retry.

An update reads the row, checks the rules against what it read, and writes only if the
row still has the version it read (bumping it). A concurrent write makes that match no
row; the update then starts again from a fresh read, so the rules are always checked
against what the row holds, and no lock is held while they are.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

#: Attempts before an update gives up. Each loses only to a write that succeeded, so
#: this is reached only under extreme contention.
MAX_ATTEMPTS = 200

T = TypeVar("T")
M = TypeVar("M", bound=Model)


async def retry_on_version(what: str, attempt: Callable[[], Awaitable[T | None]]) -> T:
    """Run `attempt` until it returns a result; None means a concurrent write changed
    the row between its read and its write (see `update_if_version`).

    `what` names the update for the error raised after MAX_ATTEMPTS losses, such as
    "customer 7: update".
    """
    for _ in range(MAX_ATTEMPTS):
        result = await attempt()
        if result is not None:
            return result
    raise RuntimeError(f"{what} kept losing to concurrent writes")


async def update_if_version(
    row: QuerySet[M],
    version: int,
    changes: Mapping[str, Any],
    read_back: Callable[[], Awaitable[T]],
) -> T | None:
    """Apply `changes` to the `row` if it still has `version`, bumping the version and
    `updated_date`, and return `read_back()`; None when another write changed it first.

    `read_back` runs inside the write's transaction, only when the write happened: it
    shows this write, not a later one, and whatever else it does (a notification to
    send on commit) commits or rolls back with the write.
    """
    async with in_transaction():
        updated = await row.filter(version=version).update(
            **changes, version=version + 1, updated_date=datetime.now(UTC)
        )
        return await read_back() if updated else None
