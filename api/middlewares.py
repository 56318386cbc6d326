"""The middlewares every request passes: request id and errors, the database, the key."""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler
from tortoise.context import _current_context

from api import request_ids
from api.auth import auth_middleware
from api.cors import cors_middleware
from api.errors import render_error, unexpected_error_body
from api.keys import DATABASE, REQUEST_ID
from api.paths import GRAPHQL_PATH, WEBSOCKET_SUBPROTOCOLS
from api.timeout import timeout_middleware
from api.unavailable import unavailable_middleware
from billing.errors import BillingError

# GRAPHQL_PATH and WEBSOCKET_SUBPROTOCOLS were first defined here; schema/ide.py imports them.
__all__ = ["GRAPHQL_PATH", "MIDDLEWARES", "WEBSOCKET_SUBPROTOCOLS", "errors_middleware"]
log = logging.getLogger("billing.api")


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Expected failures become the error body; anything else is logged and a bare 500."""
    request_ids.assign(request)
    try:
        response = await handler(request)
    except (BillingError, web.HTTPException) as exc:
        return render_error(request, exc)
    except ConnectionResetError:
        # The client went away mid-request: nothing to answer, nothing of ours broke.
        log.info("client disconnected, request id %s", request[REQUEST_ID])
        return web.Response(status=400)  # never delivered
    except Exception:
        log.exception("unexpected error, request id %s", request[REQUEST_ID])
        return unexpected_error_body(request)
    request_ids.echo(request, response)
    return response


@web.middleware
async def database_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Make the app's Tortoise context current for this request's task.

    Not `with ctx:`: a TortoiseContext keeps a single reset token on itself, so
    concurrent requests sharing it overwrite each other's token and fail on exit
    ("Token ... was created in a different Context"). The token stays local here.
    """
    token = _current_context.set(request.app[DATABASE])
    try:
        return await handler(request)
    finally:
        _current_context.reset(token)


# CORS before authentication: a browser's preflight never carries the key. The timeout
# wraps everything after the error middleware, so a timed-out request still gets a body.
# Database unavailability is caught around everything that touches the database.
MIDDLEWARES = (
    errors_middleware,
    timeout_middleware,
    cors_middleware,
    database_middleware,
    unavailable_middleware,
    auth_middleware,
)
