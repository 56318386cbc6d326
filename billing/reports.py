"""The pre-billing report: what a run would produce now, by the engine's own rules."""

from __future__ import annotations

from billing import engine, runs
from billing.errors import BillingError, ErrorCode, not_found


async def pre_billing_report(run_id: object, zone: str) -> list[engine.Outcome]:
    """Each in-scope customer's invoice as the run would produce it now (writes nothing).

    NOT_FOUND for an unknown run; VALIDATION_FAILED (naming cutoffDate) for a run with
    no cutoff date yet, which decides every charge included. `zone` is the billing
    timezone, whose midnight starts the cutoff date for calls.
    """
    run = await runs.get_run(run_id)
    if run.cutoff_date is None:
        raise BillingError(
            ErrorCode.VALIDATION_FAILED,
            f"billing run {run.id} has no cutoffDate yet: set one to see what it would bill",
            "cutoffDate",
        )
    terms = await engine.load_run(run.id, zone)
    if terms is None:
        raise not_found("billing run", run_id)
    return await engine.pre_billing(terms)
