"""The optimistic retry on `version`: a write that loses to a concurrent one starts
again from a fresh read, so the rules are checked against what the winner left."""

from __future__ import annotations

import pytest

from billing import runs, versions
from billing.errors import BillingError, ErrorCode
from models import BillingRun, BillingRunStatus
from tests.data import READY


async def test_an_attempt_is_repeated_until_it_gives_a_result():
    answers = iter([None, None, "written"])

    async def attempt() -> str | None:
        return next(answers)

    assert await versions.retry_on_version("thing 1: update", attempt) == "written"


async def test_the_retry_gives_up_after_max_attempts_naming_the_update():
    tries = 0

    async def attempt() -> None:
        nonlocal tries
        tries += 1

    with pytest.raises(RuntimeError, match="thing 1: update kept losing to concurrent writes"):
        await versions.retry_on_version("thing 1: update", attempt)
    assert tries == versions.MAX_ATTEMPTS


async def test_a_write_that_loses_the_race_is_checked_again_against_the_winner(
    database, monkeypatch
):
    """The run is read while Pending; bills are requested before the update writes; the
    update's conditional write then matches no row, and its retry finds the lock."""
    read = runs.get_run
    reads = 0

    async def read_then_lose(run_id: object) -> runs.RunRecord:
        nonlocal reads
        record = await read(run_id)
        reads += 1
        if reads == 1:  # another client requests bills between this read and the write
            await BillingRun.filter(id=record.id).update(
                status=BillingRunStatus.REQUESTED, version=record.version + 1
            )
        return record

    with database:
        run = await runs.create_run({"name": "Raced", **READY})
        monkeypatch.setattr(runs, "get_run", read_then_lose)
        with pytest.raises(BillingError) as refusal:
            await runs.update_run(run.id, {"dueDate": "2026-12-31"})
        monkeypatch.undo()
        after = await runs.get_run(run.id)

    assert refusal.value.code == ErrorCode.FIELD_LOCKED
    assert reads == 2
    assert (after.status, after.due_date) == (BillingRunStatus.REQUESTED, run.due_date)
