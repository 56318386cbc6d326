"""News that a billing run changed, from any process, for whoever follows it here.

A write to a run publishes `notify.RUN_CHANGED` (`changed`); this process's one
listener wakes the followers of that run (the `billingRunProgress` subscriptions), who
read the run again. News only says "look again": a follower still reads the run from the
database, and still looks now and then (a slow safety poll) in case news was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

from billing import notify

_followers: dict[int, set[asyncio.Event]] = {}


async def changed(run_id: int) -> None:
    """Tell every process's followers of the run that it changed (inside a transaction
    on PostgreSQL: when it commits)."""
    await notify.publish(notify.RUN_CHANGED, str(run_id))


def _wake(payload: str) -> None:
    """Wake this process's followers of the run named (of every run if none is)."""
    if not payload:
        events = [wake for waiting in _followers.values() for wake in waiting]
    else:
        try:
            events = list(_followers.get(int(payload), ()))
        except ValueError:
            return
    for wake in events:
        wake.set()


notify.on(notify.RUN_CHANGED, _wake)


class Follower:
    """One follower of one run; use `follow` to get one."""

    def __init__(self, wake: asyncio.Event) -> None:
        self._wake = wake

    def look(self) -> None:
        """Call before each read: a change committed after this wakes the next `wait`."""
        self._wake.clear()

    async def wait(self, seconds: float) -> None:
        """Until the run changes (in any process), or for `seconds` at most."""
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
