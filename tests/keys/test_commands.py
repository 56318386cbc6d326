"""create-api-key, list-api-keys and revoke-api-key as an operator runs them (real
processes), and a revocation seen by another server process on the same database."""

from __future__ import annotations

import re
import signal
import time
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from billing import auth, db
from tests.keys.helpers import seconds_until_refused
from tests.test_cli import _run, _serving

HEADINGS = ["NAME", "PREFIX", "READ-ONLY", "CREATED", "LAST USED", "EXPIRES", "REVOKED"]


async def _command(database_url: str, *args: str) -> tuple[int, str, str]:
    return await _run(*args, env={"DATABASE_URL": database_url})


async def _create(database_url: str, name: str, *options: str) -> str:
    code, out, err = await _command(database_url, "create-api-key", name, *options)
    assert code == 0, err
    return out.strip().splitlines()[-1]


async def _table(database_url: str) -> list[dict[str, str]]:
    code, out, err = await _command(database_url, "list-api-keys")
    assert code == 0, err
    header, *rows = out.strip().splitlines()
    assert re.split(r"\s{2,}", header) == HEADINGS
    return [dict(zip(HEADINGS, re.split(r"\s{2,}", row), strict=True)) for row in rows]


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


async def _status(port: int, key: str) -> int:
    async with aiohttp.ClientSession() as session:
        response = await session.get(
            f"http://127.0.0.1:{port}/backend/api/v1/billingRuns/",
            headers={"Authorization": f"Bearer {key}"},
        )
        return response.status


async def test_list_api_keys_shows_each_key_by_name_and_prefix(database_url):
    reporting = await _create(database_url, "reporting")
    dashboard = await _create(database_url, "dashboard", "--read-only", "--expires-in", "30")

    code, out, _ = await _command(database_url, "list-api-keys")
    rows = await _table(database_url)

    today = datetime.now(UTC)
    assert code == 0 and reporting not in out and dashboard not in out
    assert rows == [
        {
            "NAME": "reporting",
            "PREFIX": reporting[3:11],
            "READ-ONLY": "no",
            "CREATED": rows[0]["CREATED"],
            "LAST USED": "-",
            "EXPIRES": "-",
            "REVOKED": "-",
        },
        {
            "NAME": "dashboard",
            "PREFIX": dashboard[3:11],
            "READ-ONLY": "yes",
            "CREATED": rows[1]["CREATED"],
            "LAST USED": "-",
            "EXPIRES": rows[1]["EXPIRES"],
            "REVOKED": "-",
        },
    ]
    assert rows[0]["CREATED"].startswith(_day(today)) and rows[0]["CREATED"].endswith(" UTC")
    assert rows[1]["EXPIRES"].startswith(_day(today + timedelta(days=30)))


async def test_list_api_keys_on_an_empty_database_says_so(database_url):
    code, out, err = await _command(database_url, "list-api-keys")

    assert (code, out.strip(), err) == (0, "no API keys", "")


async def test_last_used_is_listed_once_a_server_has_accepted_the_key(database_url):
    key = await _create(database_url, "reporting")
    async with _serving(database_url) as server:
        assert await _status(server.port, key) == 200
        server.process.send_signal(signal.SIGINT)  # a clean stop writes what it remembers
        await server.process.wait()

    (row,) = await _table(database_url)

    assert row["LAST USED"].startswith(_day(datetime.now(UTC))), row


async def test_revoke_by_name(database_url):
    key = await _create(database_url, "reporting")
    await _create(database_url, "other")

    code, out, err = await _command(database_url, "revoke-api-key", "reporting")
    rows = await _table(database_url)

    assert code == 0, err
    assert out.strip() == f"revoked API key 'reporting' (prefix {key[3:11]})"
    assert rows[0]["REVOKED"].startswith(_day(datetime.now(UTC)))
    assert rows[1]["REVOKED"] == "-"
    async with _serving(database_url) as server:
        assert await _status(server.port, key) == 401


async def test_revoke_by_prefix_when_a_name_is_shared(database_url):
    old = await _create(database_url, "ci")
    new = await _create(database_url, "ci")

    ambiguous = await _command(database_url, "revoke-api-key", "ci")
    unchanged = await _table(database_url)
    by_prefix = await _command(database_url, "revoke-api-key", old[3:11])
    after_prefix = await _table(database_url)
    by_name = await _command(database_url, "revoke-api-key", "ci")  # one left in use

    code, _, err = ambiguous
    assert code == 2
    assert err.strip() == (
        f"error: 2 keys in use match 'ci': 'ci' (prefix {old[3:11]}), 'ci' (prefix "
        f"{new[3:11]}); revoke one at a time by its prefix"
    )
    assert [row["REVOKED"] for row in unchanged] == ["-", "-"]
    assert (
        by_prefix[0] == 0 and by_prefix[1].strip() == f"revoked API key 'ci' (prefix {old[3:11]})"
    )
    assert after_prefix[0]["REVOKED"] != "-" and after_prefix[1]["REVOKED"] == "-"
    assert by_name[0] == 0 and by_name[1].strip() == f"revoked API key 'ci' (prefix {new[3:11]})"


async def test_revoke_with_the_key_itself(database_url):
    key = await _create(database_url, "leaked")

    code, out, _ = await _command(database_url, "revoke-api-key", key)

    assert code == 0 and out.startswith("revoked API key 'leaked'")


async def test_revoking_twice_says_so_and_succeeds(database_url):
    key = await _create(database_url, "reporting")
    await _command(database_url, "revoke-api-key", "reporting")

    code, out, _ = await _command(database_url, "revoke-api-key", key[3:11])

    assert code == 0
    assert out.startswith(f"API key 'reporting' (prefix {key[3:11]}) was already revoked on ")


async def test_revoking_what_matches_no_key_is_a_clear_error(database_url):
    await _create(database_url, "reporting")

    code, out, err = await _command(database_url, "revoke-api-key", "nobody")

    assert (code, out) == (2, "")
    assert err.strip() == "error: no API key is named 'nobody' or has the prefix 'nobody'"


@pytest.mark.parametrize("days", ["0", "-1", "soon", "36501"])
async def test_a_bad_expiry_is_refused(database_url, days):
    code, _, err = await _command(database_url, "create-api-key", "x", "--expires-in", days)

    assert code == 2 and "--expires-in" in err and "Traceback" not in err
    assert (await _command(database_url, "list-api-keys"))[1].strip() == "no API keys"


@pytest.mark.parametrize("command", ["list-api-keys", "revoke-api-key"])
async def test_key_commands_have_help(command):
    code, out, _ = await _run(command, "--help", env={})

    assert code == 0 and f"usage: server.py {command}" in out


async def test_a_second_server_process_refuses_a_revoked_key_within_a_second(
    database_url, database_kind
):
    if database_kind != "postgres":
        pytest.skip("several server processes share one database only on PostgreSQL")
    ctx = await db.open_database(database_url)
    try:
        with ctx:
            key = await auth.create_api_key("leaked")
        async with _serving(database_url) as server:
            assert await _status(server.port, key) == 200  # cached by that process
            with ctx:
                _, revoked = await auth.revoke_api_key(auth.key_prefix(key))
            assert revoked
            revoked_at = time.monotonic()

            await seconds_until_refused(lambda: _status(server.port, key), revoked_at)
    finally:
        with ctx:
            await ctx.close_connections()


async def test_revoke_api_key_in_one_process_is_seen_by_a_running_server(
    database_url, database_kind
):
    if database_kind != "postgres":
        pytest.skip("several server processes share one database only on PostgreSQL")
    key = await _create(database_url, "leaked")
    async with _serving(database_url) as server:
        assert await _status(server.port, key) == 200

        code, _, err = await _command(database_url, "revoke-api-key", "leaked")
        revoked_at = time.monotonic()

        assert code == 0, err
        await seconds_until_refused(lambda: _status(server.port, key), revoked_at)
