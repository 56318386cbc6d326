"""`bill RUN_ID`: request bills for a run and bill it here, with a bar, then a summary.

The engine runs in this process, so no server is needed; servers running on the same
PostgreSQL database share the run's chunks with it and their progress shows in the bar.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from billing import foreground
from billing.errors import BillingError
from billing.runs import RunRecord
from billing.settings import Settings
from cli import summaries
from cli.database import with_database
from cli.progress import RunBar
from cli.table import fail
from models import BillingRunStatus


def bill_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_id", metavar="RUN_ID", help="the billing run's id")


def bill(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    try:
        run = asyncio.run(with_database(settings, lambda: _bill(args.run_id, settings)))
    except BillingError as error:
        return fail(error.message)
    except KeyboardInterrupt:
        return fail(
            f"interrupted: billing run {args.run_id} goes on where it stopped with "
            f"`bill {args.run_id}` again, or in any server"
        )
    if run.status != BillingRunStatus.COMPLETE:
        return fail(f"billing run {run.id} is {run.status}: it stopped before Complete")
    print("\n".join(summaries.billed_run(run)))
    return 0


async def _bill(run_id: str, settings: Settings) -> RunRecord:
    run, requested = await foreground.request_or_resume(run_id)
    if not requested:
        print(f"billing run {run.id} is already {run.status}: billing it here too", file=sys.stderr)
    bar = RunBar(sys.stderr)
    try:
        return await foreground.bill_to_complete(run, settings, bar)
    finally:
        bar.close()
