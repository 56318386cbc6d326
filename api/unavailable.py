"""503 UNAVAILABLE, never a 500, while the database cannot be reached.

Each request still tries the database itself, so the first request after the database
returns is served; the app's `Availability` logs one line when an outage starts and one
when it ends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from api.errors import error_body
from api.keys import AVAILABILITY
from billing.errors import BillingError, ErrorCode
from billing.unavailable import Availability, is_unavailable

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
#: What the Retry-After header of every UNAVAILABLE answer says, in seconds.
RETRY_AFTER_SECONDS = 1
MESSAGE = "the database is unavailable; retry shortly"


def unavailable_error() -> BillingError:
    return BillingError(ErrorCode.UNAVAILABLE, MESSAGE)


def unavailable_response(request: web.Request) -> web.Response:
    """The contract's error body (the GraphQL shape on /graphql), 503 with Retry-After."""
    response = error_body(request, unavailable_error())
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def database_lost(request: web.Request, exc: BaseException) -> None:
    """Tell the app's Availability (which logs the first failure of an outage)."""
    request.app[AVAILABILITY].lost(exc)


@web.middleware
async def unavailable_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer 503 for any failure to reach the database, whichever handler it came from.

    Inside the database middleware, so the outage's probe runs in the app's database.
    """
    try:
        return await handler(request)
    except Exception as exc:
        if not is_unavailable(exc):
            raise
        database_lost(request, exc)
        return unavailable_response(request)


async def availability(app: web.Application) -> AsyncIterator[None]:
    """The app's Availability (a cleanup context, after the database's)."""
    app[AVAILABILITY] = Availability()
    yield
    await app[AVAILABILITY].close()
