"""Keys made for a test, and the same real-HTTP client speaking with them."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from billing import auth
from tests.conftest import Api

RUNS = "/billingRuns/"
#: How late a revoked key may still be accepted: the contract's second, plus a margin
#: for the request itself.
REVOCATION_BOUND = 1.1


async def new_key(api: Api, name: str = "client", **options: Any) -> Api:
    """A new key, and `api` sending it."""
    with api.database():
        key = await auth.create_api_key(name, **options)
    return Api(client=api.client, key=key)


async def revoke(api: Api, key: str) -> None:
    with api.database():
        _, revoked = await auth.revoke_api_key(auth.key_prefix(key))
    assert revoked


async def seconds_until_refused(request: Callable[[], Awaitable[int]], since: float) -> float:
    """Repeat `request` until it answers 401; how long after `since` the refused request
    was sent. A request sent after REVOCATION_BOUND that is still accepted fails."""
    async with asyncio.timeout(30):  # a guard against hanging, not the bound under test
        while True:
            sent = time.monotonic() - since
            status = await request()
            if status == 401:
                return sent
            assert status == 200, status
            assert sent <= REVOCATION_BOUND, f"still accepted {sent:.2f} s after revocation"
            await asyncio.sleep(0.05)
