"""REQUEST_TIMEOUT_SECONDS: a request still running past it is cancelled and answered 503.

Cancelling unwinds the handler like any exception: a transaction it had open is rolled
back as it exits, so a cancelled write leaves nothing half-done. Websockets (GraphQL
subscriptions) are exempt: they live as long as the client stays.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from api.auth import is_websocket_handshake
from api.keys import REQUEST_ID, SETTINGS
from billing.errors import BillingError, ErrorCode

log = logging.getLogger("billing.api")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _opens_websocket(request: web.Request) -> bool:
    if "Upgrade" not in request.headers:
        return False
    return is_websocket_handshake(request)


@web.middleware
async def timeout_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if _opens_websocket(request):
        return await handler(request)
    seconds = request.app[SETTINGS].request_timeout_seconds
    deadline = asyncio.timeout(seconds)
    try:
        async with deadline:
            return await handler(request)
    except TimeoutError:
        if not deadline.expired():
            raise  # a timeout of the handler's own, not the request's
        log.warning(
            "request cancelled after %g s: %s %s, request id %s",
            seconds,
            request.method,
            request.path,
            request.get(REQUEST_ID, ""),
        )
        raise BillingError(
            ErrorCode.TIMEOUT,
            f"the request took longer than {seconds:g} s and was cancelled; "
            "a write it had not finished was rolled back",
            retry_after=1,  # as for every 503: a retry may well go through
        ) from None
