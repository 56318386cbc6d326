"""billing/notify.py through the real app: what a callback registered with `on` hears."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from billing import notify


async def _heard(channel: str, action) -> list[str]:
    """What this process's callbacks hear on `channel` while `action` runs and after."""
    heard: list[str] = []
    got = asyncio.Event()

    def callback(payload: str) -> None:
        heard.append(payload)
        got.set()

    off = notify.on(channel, callback)
    try:
        await action()
        await notify.publish(channel, "end")  # a marker: everything before it has arrived
        async with asyncio.timeout(10):
            while "end" not in heard:
                got.clear()
                await got.wait()
    finally:
        off()
    return heard[: heard.index("end")]


async def test_a_revoked_key_is_heard_by_every_callback_once_it_commits(api):
    async def revoke() -> None:
        with api.database():
            async with in_transaction():
                await notify.publish(notify.API_KEY_REVOKED, "abcd1234")

    with api.database():
        assert await _heard(notify.API_KEY_REVOKED, revoke) == ["abcd1234"]


async def test_news_from_a_rolled_back_transaction_is_not_sent_on_postgres(api, database_kind):
    if database_kind != "postgres":
        pytest.skip("in one process (SQLite) news is delivered at once; receivers re-read")

    class Undo(Exception):
        pass

    async def revoke_then_undo() -> None:
        with api.database(), pytest.raises(Undo):
            async with in_transaction():
                await notify.publish(notify.API_KEY_REVOKED, "undone12")
                raise Undo

    with api.database():
        assert await _heard(notify.API_KEY_REVOKED, revoke_then_undo) == []


def test_an_unknown_channel_is_refused():
    with pytest.raises(ValueError, match="unknown notification channel"):
        notify.on("api_keys_revoked", lambda payload: None)
