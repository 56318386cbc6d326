from collections.abc import AsyncIterator

import pytest
from tortoise.context import TortoiseContext

from billing import db


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[TortoiseContext]:
    """The fresh test database's Tortoise context: use it as `with database:`."""
    ctx = await db.open_database(database_url)
    yield ctx
    with ctx:
        await ctx.close_connections()
