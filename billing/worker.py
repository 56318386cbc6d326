"""The background worker that bills requested runs inside the server process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import cast

from billing import engine, notify
from billing.settings import Settings
from billing.unavailable import Availability, is_unavailable
from models import BillingRun, BillingRunStatus

log = logging.getLogger("billing.worker")

#: How often an idle worker looks for requested runs unprompted: a safety poll in case
#: news was lost. A bill request in any process wakes every worker at once (notify).
IDLE_POLL_SECONDS = 5.0
#: How often it looks while a run it found is unfinished: another process may be billing
#: it and die, leaving chunks for this one to take over.
BUSY_POLL_SECONDS = 1.0

_listeners: set[Callable[[], None]] = set()


def _bills_requested(payload: str) -> None:
    """Wake this process's workers: a run has been requested in some process."""
    if payload:
        log.info("bills requested for run %s; looking for work", payload)
    for wake in list(_listeners):
        wake()


notify.on(notify.BILLS_REQUESTED, _bills_requested)


class BillingWorker:
    """Bills requested runs until cancelled.

    While the database cannot be reached it pauses (the outage is logged once, by
    `availability`) and resumes as soon as the database answers again: each chunk is one
    transaction, so a chunk cut short is simply billed again.
    """

    def __init__(self, settings: Settings, availability: Availability | None = None) -> None:
        self.settings = settings
        self._own_availability = availability is None
        self.availability = availability or Availability()
        self._wake = asyncio.Event()
        self._busy = False

    async def run_forever(self) -> None:
        _listeners.add(self._wake.set)
        try:
            while True:
                self._wake.clear()
                try:
                    worked = await self.work_once()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    if is_unavailable(exc):
                        self.availability.lost(exc)
                        await self.availability.wait_until_back(BUSY_POLL_SECONDS)
                        continue
                    log.exception("the billing engine failed; it will try again")
                    worked = False
                if not worked:
                    seconds = BUSY_POLL_SECONDS if self._busy else IDLE_POLL_SECONDS
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), seconds)
        finally:
            _listeners.discard(self._wake.set)
            if self._own_availability:
                await self.availability.close()

    async def work_once(self) -> bool:
        """Take every Requested or Running run as far as it goes; True if any moved."""
        # Tortoise types values_list(flat=True) as rows of tuples; flat, they are the ids.
        run_ids = cast(
            list[int],
            await BillingRun.filter(
                status__in=(BillingRunStatus.REQUESTED, BillingRunStatus.RUNNING)
            )
            .order_by("id")
            .values_list("id", flat=True),
        )
        self._busy = bool(run_ids)
        worked = False
        for run_id in run_ids:
            worked |= await engine.bill(
                run_id,
                self.settings.billing_timezone,
                chunk_size=self.settings.chunk_size,
                pause=self.settings.chunk_pause,
            )
        return worked
