"""In-process news that a billing run changed, for whoever follows it.

The engine calls `changed` once a write to a run has committed; a follower (the
`billingRunProgress` subscription) waits with `Follower.wait` and reads the run again at
once instead of at its next poll. News only says "look again": the follower still reads
the run from the database, and still polls, since the engine may run in another process.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

_followers: dict[int, set[asyncio.Event]] = {}


def changed(run_id: int) -> None:
    """Wake this process's followers of the run: a write to it has just committed."""
    for wake in list(_followers.get(run_id, ())):
        wake.set()


class Follower:
    """One follower of one run; use `follow` to get one."""

    def __init__(self, wake: asyncio.Event) -> None:
        self._wake = wake

    def look(self) -> None:
        """Call before each read: a change committed after this wakes the next `wait`."""
        self._wake.clear()

    async def wait(self, seconds: float) -> None:
        """Until the run changes in this process, or for `seconds` at most."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)


@contextlib.contextmanager
def follow(run_id: int) -> Iterator[Follower]:
    """Follow the run while in the block. The first `wait` returns at once: the run
    may have changed between the follower's first read and now, unheard."""
    wake = asyncio.Event()
    wake.set()
    _followers.setdefault(run_id, set()).add(wake)
    try:
        yield Follower(wake)
    finally:
        waiting = _followers.get(run_id)
        if waiting is not None:
            waiting.discard(wake)
            if not waiting:
                del _followers[run_id]
