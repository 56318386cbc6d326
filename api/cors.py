"""CORS: pages on the origins in CORS_ORIGINS may call the API from a browser.

A small middleware rather than aiohttp-cors: that library registers an OPTIONS route per
resource and refuses resources with a `*` route, which is how strawberry's view serves
/graphql; its preflights answer 200, not 204, and echo only the requested method.

Two pieces: the middleware answers preflights (before authentication: a browser never
sends the key on a preflight); a response-prepare hook adds the headers to every other
response, errors included, so a page can read a 401, 422 or 429 and its request id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import hdrs, web

from api.keys import SETTINGS
from billing.errors import BillingError, ErrorCode
from billing.settings import normalize_origin

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

ALLOW_METHODS = "GET, POST, PATCH, PUT, OPTIONS"
ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-Id"
#: Response headers a page may read besides the CORS-safelisted ones.
EXPOSE_HEADERS = "X-Request-Id, Idempotent-Replayed, Retry-After"
#: How long a browser may reuse a preflight's answer, in seconds.
MAX_AGE = "600"


def allowed_origin(request: web.Request) -> str | None:
    """The request's Origin if CORS_ORIGINS lists it, else None."""
    origin = request.headers.get(hdrs.ORIGIN)
    if origin is None:
        return None
    allowed = request.app[SETTINGS].cors_origins
    if not allowed:
        return None
    return origin if normalize_origin(origin) in allowed else None


def is_preflight(request: web.BaseRequest) -> bool:
    return (
        request.method == hdrs.METH_OPTIONS
        and hdrs.ORIGIN in request.headers
        and hdrs.ACCESS_CONTROL_REQUEST_METHOD in request.headers
    )


@web.middleware
async def cors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer preflights without a key: 204 for a listed origin, 403 for any other."""
    if not is_preflight(request):
        return await handler(request)
    if allowed_origin(request) is None:
        raise BillingError(
            ErrorCode.FORBIDDEN,
            f"origin {request.headers[hdrs.ORIGIN]!r} may not call this API from a browser; "
            "the server's CORS_ORIGINS lists the origins that may",
        )
    return web.Response(
        status=204,
        headers={
            hdrs.ACCESS_CONTROL_ALLOW_METHODS: ALLOW_METHODS,
            hdrs.ACCESS_CONTROL_ALLOW_HEADERS: ALLOW_HEADERS,
            hdrs.ACCESS_CONTROL_MAX_AGE: MAX_AGE,
        },
    )


async def add_cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: the CORS headers on every response to a listed origin."""
    if not request.app[SETTINGS].cors_origins:
        return
    # The answer depends on Origin, so caches must keep one copy per origin.
    vary = response.headers.get(hdrs.VARY)
    if vary is None:
        response.headers[hdrs.VARY] = "Origin"
    elif "origin" not in vary.lower():
        response.headers[hdrs.VARY] = f"{vary}, Origin"
    origin = allowed_origin(request)
    if origin is None:
        return
    response.headers[hdrs.ACCESS_CONTROL_ALLOW_ORIGIN] = origin
    response.headers[hdrs.ACCESS_CONTROL_EXPOSE_HEADERS] = EXPOSE_HEADERS


def setup_cors(app: web.Application) -> None:
    """Add the response hook; `cors_middleware` is in MIDDLEWARES, before authentication."""
    app.on_response_prepare.append(add_cors_headers)
