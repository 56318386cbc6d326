"""GraphQL's side of a database outage.

A resolver that cannot reach the database raises whatever the driver raised; strawberry
would turn it into a masked INTERNAL_SERVER_ERROR in a 200 response. Instead the error
becomes `UNAVAILABLE` (no internals in its message), the outage is reported once to the
app's Availability, and an HTTP request gets 503 with Retry-After (schema/view.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web
from graphql import GraphQLError

from api.keys import AVAILABILITY
from api.unavailable import MESSAGE, RETRY_AFTER_SECONDS, database_lost
from billing.errors import ErrorCode
from billing.unavailable import is_unavailable

if TYPE_CHECKING:
    from schema.core.context import Context

UNAVAILABLE = str(ErrorCode.UNAVAILABLE)
T = TypeVar("T")
#: How long a paused subscription waits for the database before it tries again itself.
RETRY_SECONDS = float(RETRY_AFTER_SECONDS)
#: The websocket close code for "try again later" (the RFC 6455 registry).
TRY_AGAIN_LATER = 1013


def mark_unavailable(errors: Iterable[GraphQLError], request: web.Request | None) -> bool:
    """Rewrite the errors an unreachable database caused as UNAVAILABLE; True if any."""
    found = False
    for error in errors:
        original = error.original_error
        if original is None or not is_unavailable(original):
            continue
        error.message = MESSAGE
        error.extensions = {**(error.extensions or {}), "code": UNAVAILABLE}
        if not found and request is not None:
            database_lost(request, original)
        found = True
    return found


def is_unavailable_error(error: GraphQLError) -> bool:
    extensions: dict[str, Any] = error.extensions or {}
    return extensions.get("code") == UNAVAILABLE


async def close_unavailable(context: Context, exc: BaseException) -> None:
    """Close a websocket whose key could not be checked: 1013, try again later."""
    database_lost(context.request, exc)
    if isinstance(context.response, web.WebSocketResponse):
        await context.response.close(code=TRY_AGAIN_LATER, message=MESSAGE.encode())


async def through_outages(read: Callable[[], Awaitable[T]], request: web.Request) -> T:
    """`read()`, tried again while the database cannot be reached: what a subscription
    polls with, so that an outage pauses it instead of ending it."""
    availability = request.app[AVAILABILITY]
    while True:
        try:
            return await read()
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            availability.lost(exc)
            await availability.wait_until_back(RETRY_SECONDS)
