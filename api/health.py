"""GET /livez and GET /healthz: for load balancers and orchestrators, no key."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from tortoise.connection import get_connection

#: How long /healthz waits for the database's answer to `SELECT 1`.
HEALTH_TIMEOUT_SECONDS = 1.0
log = logging.getLogger("billing.api")


async def livez(request: web.Request) -> web.Response:
    """200 while the process serves: says nothing about the database."""
    return web.json_response({"status": "ok"})


async def healthz(request: web.Request) -> web.Response:
    """200 when the database answers `SELECT 1` within a second, else 503 with a reason."""
    try:
        await asyncio.wait_for(
            get_connection("default").execute_query("SELECT 1"), HEALTH_TIMEOUT_SECONDS
        )
    except TimeoutError:
        return _unavailable(f"the database did not answer within {HEALTH_TIMEOUT_SECONDS:g} s")
    except Exception as exc:  # any failure to reach it is the answer, not a 500
        return _unavailable(f"the database cannot be reached ({type(exc).__name__})")
    return web.json_response({"status": "ok"})


def _unavailable(reason: str) -> web.Response:
    return web.json_response(
        {"status": "unavailable", "reason": reason}, status=503, headers={"Retry-After": "1"}
    )
