"""`server.py import-calls`: a CDR file imported all or nothing, on a real database."""

from __future__ import annotations

import os
import pty
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tortoise.context import TortoiseContext

from billing.importing import HEADER, ImportFailed, Progress, import_calls
from models import Call, Customer
from tests.conftest import run_server

HEADER_LINE = ",".join(HEADER)
NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture
async def database(database: TortoiseContext) -> TortoiseContext:
    """The fresh test database, holding customers ACC1 and ACC2."""
    with database:
        for account in ("ACC1", "ACC2"):
            await Customer.create(
                account_number=account, name=account, created_date=NOW, updated_date=NOW
            )
    return database


def csv_file(tmp_path: Path, *lines: str, header: str = HEADER_LINE) -> Path:
    path = tmp_path / "calls.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def read_terminal(controller: int) -> str:
    """All a finished process wrote to the terminal (Linux says EIO once it is drained)."""
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode()


async def stored_calls() -> list[dict]:
    return (
        await Call.all()
        .order_by("id")
        .values(
            "customer__account_number",
            "start_time",
            "duration",
            "number_dialled",
            "charge",
            "invoice_id",
            "created_date",
            "updated_date",
        )
    )


async def test_a_good_file_imports_every_call_with_its_values(database, tmp_path):
    path = csv_file(
        tmp_path,
        "ACC1,2026-11-03T09:15:00Z,65,01234567890,0.1234",
        "ACC2,2026-11-03T23:30:00.25-02:00,0,+44 20 7946 0000,12",
        "",  # a blank line is skipped
        "ACC1,2026-11-04,3600,999,1.5",
    )
    before = datetime.now(UTC)

    with database:
        count = await import_calls(path)
        calls = await stored_calls()

    assert count == 3
    assert [
        (c["customer__account_number"], c["start_time"], c["duration"], c["number_dialled"])
        for c in calls
    ] == [
        ("ACC1", datetime(2026, 11, 3, 9, 15, tzinfo=UTC), 65, "01234567890"),
        ("ACC2", datetime(2026, 11, 4, 1, 30, 0, 250000, tzinfo=UTC), 0, "+44 20 7946 0000"),
        ("ACC1", datetime(2026, 11, 4, tzinfo=UTC), 3600, "999"),
    ]
    assert [c["charge"] for c in calls] == [1234, 120000, 15000]
    assert all(c["invoice_id"] is None for c in calls)
    assert all(before <= c["created_date"] == c["updated_date"] <= datetime.now(UTC) for c in calls)


async def test_columns_may_come_in_any_order(database, tmp_path):
    path = csv_file(
        tmp_path,
        "0.50,60,ACC2,555,2026-11-03T09:15:00Z",
        header="charge,duration,accountNumber,numberDialled,startTime",
    )

    with database:
        await import_calls(path)
        (call,) = await stored_calls()

    assert (call["customer__account_number"], call["duration"], call["charge"]) == (
        "ACC2",
        60,
        5000,
    )


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ("ACC9,2026-11-03T09:15:00Z,60,555,0.5", "accountNumber 'ACC9' is no customer's"),
        ("ACC1,yesterday,60,555,0.5", "startTime must be an RFC 3339 datetime"),
        ("ACC1,2026-02-30T09:15:00Z,60,555,0.5", "startTime 2026-02-30T09:15:00Z is not a real"),
        ("ACC1,2026-11-03T09:15:00Z,-1,555,0.5", "duration must be a whole number of seconds"),
        ("ACC1,2026-11-03T09:15:00Z,1.5,555,0.5", "duration must be a whole number of seconds"),
        ("ACC1,2026-11-03T09:15:00Z,60,,0.5", "numberDialled must be text of 1 to 32 characters"),
        ("ACC1,2026-11-03T09:15:00Z,60,   ,0.5", "numberDialled must be text of 1 to 32"),
        ("ACC1,2026-11-03T09:15:00Z,60," + "5" * 33 + ",0.5", "numberDialled must be text of 1"),
        ("ACC1,2026-11-03T09:15:00Z,2147483648,555,0.5", "duration must be a whole number"),
        ("ACC1,2026-11-03T09:15:00Z,60,555,0.12345", "charge '0.12345' has more than 4 decimal"),
        ("ACC1,2026-11-03T09:15:00Z,60,555,-0.5", "charge must be an amount of 0 or more"),
        ("ACC1,2026-11-03T09:15:00Z,60,555,1e3", "charge must be an amount of 0 or more"),
        ("ACC1,2026-11-03T09:15:00Z,60,555,100000000000000", "charge must be less than 100,000"),
        ("ACC1,2026-11-03T09:15:00Z,60,555", "expected 5 fields"),
        ('ACC1,2026-11-03T09:15:00Z,60,"555,0.5', "not valid CSV"),
    ],
)
async def test_a_bad_row_names_its_line_and_the_problem(database, tmp_path, row, says):
    path = csv_file(tmp_path, "ACC1,2026-11-03T09:15:00Z,60,555,0.5", row)

    with database, pytest.raises(ImportFailed) as failure:
        await import_calls(path)

    assert failure.value.line == 3
    assert str(failure.value).startswith(f"{path}, line 3: ")
    assert says in str(failure.value)


async def test_bytes_that_are_not_utf8_are_named_as_such(database, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(f"{HEADER_LINE}\nACC1,2026-11-03T09:15:00Z,60,55\xff5,0.5\n".encode("latin-1"))

    with database, pytest.raises(ImportFailed, match="line 2: not UTF-8 text"):
        await import_calls(path)


async def test_a_bad_row_after_many_batches_leaves_nothing_imported(database, tmp_path):
    good = [f"ACC{n % 2 + 1},2026-11-03T09:15:00Z,{n},555,0.01" for n in range(50)]
    path = csv_file(tmp_path, *good, "ACC1,2026-11-03T09:15:00Z,60,555,oops")

    with database:
        with pytest.raises(ImportFailed, match="line 52: charge"):
            await import_calls(path, batch_rows=7)
        assert await Call.all().count() == 0


async def test_a_wrong_header_is_refused_on_line_1(database, tmp_path):
    path = csv_file(
        tmp_path, "ACC1,2026-11-03T09:15:00Z,60,555,0.5", header="account,start,secs,number,charge"
    )

    with database, pytest.raises(ImportFailed) as failure:
        await import_calls(path)

    assert failure.value.line == 1
    assert f"the header must be {HEADER_LINE}" in str(failure.value)


async def test_an_empty_file_is_refused(database, tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(b"")

    with database, pytest.raises(ImportFailed, match="line 1: the file is empty"):
        await import_calls(path)


async def test_a_file_with_only_the_header_imports_no_calls(database, tmp_path):
    path = csv_file(tmp_path)

    with database:
        assert await import_calls(path) == 0


async def test_progress_is_reported_up_to_the_whole_file(database, tmp_path):
    path = csv_file(tmp_path, *["ACC1,2026-11-03T09:15:00Z,60,555,0.5"] * 10)
    seen: list[Progress] = []

    with database:
        await import_calls(path, progress=seen.append, batch_rows=4)

    assert [p.rows for p in seen] == [4, 8, 10]
    assert seen[-1].bytes_read == seen[-1].bytes_total == path.stat().st_size


async def test_the_command_imports_a_file_and_says_how_many(database, database_url, tmp_path):
    start = datetime(2026, 11, 1, tzinfo=UTC)
    lines = [
        f"ACC{n % 2 + 1},{(start + timedelta(minutes=n)).isoformat()},{n},0123{n},0.{n:04d}"
        for n in range(25)
    ]
    path = csv_file(tmp_path, *lines)

    code, out, err = await run_server("import-calls", str(path), database_url=database_url)

    assert code == 0, err
    assert out.strip() == "imported 25 calls"
    with database:
        calls = await stored_calls()
    assert len(calls) == 25
    assert sum(c["charge"] for c in calls) == sum(range(25))


async def test_the_command_reports_a_bad_row_in_one_line_and_imports_nothing(
    database, database_url, tmp_path
):
    path = csv_file(
        tmp_path, "ACC1,2026-11-03T09:15:00Z,60,555,0.5", "NOBODY,2026-11-03T09:15:00Z,60,555,0.5"
    )

    code, out, err = await run_server("import-calls", str(path), database_url=database_url)

    assert code == 2
    assert err.strip().splitlines() == [
        f"error: {path}, line 3: accountNumber 'NOBODY' is no customer's account number"
    ]
    assert "imported" not in out
    with database:
        assert await Call.all().count() == 0


async def test_the_command_reports_a_missing_file_clearly(database_url, tmp_path):
    missing = tmp_path / "nowhere.csv"

    code, _, err = await run_server("import-calls", str(missing), database_url=database_url)

    assert code == 2
    assert err.strip() == f"error: {missing}: cannot read it: No such file or directory"


async def test_the_command_draws_a_progress_bar_on_a_terminal(database, database_url, tmp_path):
    path = csv_file(tmp_path, *["ACC1,2026-11-03T09:15:00Z,60,555,0.5"] * 30)
    controller, terminal = pty.openpty()
    try:
        code, out, _ = await run_server(
            "import-calls", str(path), database_url=database_url, stderr=terminal
        )
        os.close(terminal)
        drawn = read_terminal(controller)
    finally:
        os.close(controller)

    assert code == 0 and out.strip() == "imported 30 calls"
    last = drawn.rstrip("\r\n").rsplit("\r", 1)[-1]  # the bar as it was left
    assert last.startswith("importing: 100%|") and "30 calls" in last
    assert drawn.endswith("\r\n")  # the bar's line is ended before the summary
