"""Billing one run in the caller's process and following it to Complete (`server.py bill`).

The engine runs here, so no server is needed; servers running at the same time on the
same PostgreSQL database share the run's chunks with it (`FOR UPDATE SKIP LOCKED`), and
the run is followed in the database, so chunks billed elsewhere count too.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from billing import engine, progress, runs
from billing.errors import BillingError, ErrorCode
from billing.settings import Settings
from models import BillingRunStatus

#: How often the run is read again when no chunk has finished in this process (another
#: process may be billing it), and how soon this process's engine looks again for a chunk
#: left by one that died.
LOOK_AGAIN_SECONDS = 0.5

FOLLOWED = (BillingRunStatus.REQUESTED, BillingRunStatus.RUNNING)


async def request_or_resume(run_id: object) -> tuple[runs.RunRecord, bool]:
    """Request bills for a Pending run, as the API does; a Requested or Running run is
    taken up where it is. The run, and whether this call requested it.

    Any other status is the API's INVALID_TRANSITION; an unknown run its NOT_FOUND.
    """
    try:
        return await runs.request_bills(run_id), True
    except BillingError as error:
        if error.code != ErrorCode.INVALID_TRANSITION:
            raise
        run = await runs.get_run(run_id)
        if run.status not in FOLLOWED:
            raise
        return run, False


async def bill_to_complete(
    run: runs.RunRecord,
    settings: Settings,
    on_change: Callable[[runs.RunRecord], None],
) -> runs.RunRecord:
    """Bill a Requested or Running run here until it is Complete; call `on_change` with
    the run as it is after each change seen. The Complete run."""
    with progress.follow(run.id) as follower:
        billing = asyncio.create_task(_engine(run.id, settings))
        try:
            while True:
                follower.look()
                if billing.done():
                    billing.result()  # the engine's failure, if it failed
                run = await runs.get_run(run.id)
                on_change(run)
                if run.status not in FOLLOWED:
                    return run
                waiting = asyncio.ensure_future(follower.wait(LOOK_AGAIN_SECONDS))
                try:
                    await asyncio.wait([billing, waiting], return_when=asyncio.FIRST_COMPLETED)
                finally:
                    waiting.cancel()
        finally:
            billing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await billing


async def _engine(run_id: int, settings: Settings) -> None:
    """Take the run as far as it goes, again and again: a chunk another process holds
    becomes free again if that process dies."""
    while True:
        await engine.bill(
            run_id,
            settings.billing_timezone,
            chunk_size=settings.chunk_size,
            pause=settings.chunk_pause,
        )
        await asyncio.sleep(LOOK_AGAIN_SECONDS)
