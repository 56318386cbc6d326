"""Request id, error rendering, the database context and authentication."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from aiohttp import web
from tortoise.context import _current_context

from api.keys import DATABASE, REQUEST_ID
from billing import auth
from billing.errors import BillingError, ErrorCode

log = logging.getLogger("billing.api")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

API_PREFIX = "/backend/api/v1"
#: The REST shim's OpenAPI document: the one path under API_PREFIX read without a key.
OPENAPI_PATH = API_PREFIX + "/openapi.json"
GRAPHQL_PATH = "/graphql"
#: The websocket subprotocols /graphql speaks (graphql-transport-ws and the legacy graphql-ws).
WEBSOCKET_SUBPROTOCOLS = ("graphql-transport-ws", "graphql-ws")

_HTTP_CODES = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}
_HTTP_MESSAGES = {
    404: "no such resource",
    405: "method not allowed",
    413: "the request body is too large",
}


def is_graphql(request: web.Request) -> bool:
    return request.path.rstrip("/") == GRAPHQL_PATH


def error_body(request: web.Request, error: BillingError) -> web.Response:
    """The contract's error body; GraphQL clients get the GraphQL shape instead."""
    from rest.bodies import error_response, json_response

    headers = {"X-Request-Id": request[REQUEST_ID]}
    if error.code == ErrorCode.UNAUTHORIZED:
        headers["WWW-Authenticate"] = "Bearer"
    if is_graphql(request):
        extensions = {"code": str(error.code), "requestId": request[REQUEST_ID]}
        response = json_response(
            {"errors": [{"message": error.message, "extensions": extensions}]}, error.http_status
        )
        response.headers.update(headers)
        return response
    return error_response(error, headers)


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Expected failures become the error body; anything else is logged and a bare 500."""
    request[REQUEST_ID] = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex
    try:
        response = await handler(request)
    except BillingError as error:
        return error_body(request, error)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _HTTP_CODES.get(exc.status, ErrorCode.BAD_REQUEST)
        message = _HTTP_MESSAGES.get(exc.status) or exc.reason
        if exc.status == 413:
            message = f"the request body is larger than {request.app._client_max_size} bytes"
        response = error_body(request, BillingError(code, message))
        if exc.status == 405 and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except ConnectionResetError:
        # The client went away mid-request: nothing to answer, nothing of ours broke.
        log.info("client disconnected, request id %s", request[REQUEST_ID])
        return web.Response(status=400)  # never delivered
    except Exception:
        log.exception("unexpected error, request id %s", request[REQUEST_ID])
        return error_body(
            request,
            BillingError(
                ErrorCode.INTERNAL,
                f"an unexpected error occurred; quote request id {request[REQUEST_ID]}",
            ),
        )
    response.headers.setdefault("X-Request-Id", request[REQUEST_ID])
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


def is_websocket_handshake(request: web.Request) -> bool:
    """Whether this is a real websocket opening handshake in a subprotocol we speak.

    GET, `Connection: Upgrade`, `Upgrade: websocket`, a supported version, a valid
    `Sec-WebSocket-Key` and a subprotocol in WEBSOCKET_SUBPROTOCOLS: anything less is
    served (or refused) as plain HTTP, so it must not be trusted to defer the key.
    """
    if request.method != "GET" or "Sec-WebSocket-Protocol" not in request.headers:
        return False
    offered = {p.strip() for p in request.headers["Sec-WebSocket-Protocol"].split(",")}
    if offered.isdisjoint(WEBSOCKET_SUBPROTOCOLS):
        return False
    ready = web.WebSocketResponse(protocols=WEBSOCKET_SUBPROTOCOLS).can_prepare(request)
    return ready.ok and ready.protocol is not None


def _needs_key(request: web.Request) -> bool:
    if request.path.startswith(API_PREFIX):
        return not (request.method == "GET" and request.path == OPENAPI_PATH)
    if not is_graphql(request):
        return False
    if is_websocket_handshake(request):
        return False  # subscriptions: the view checks the key in connection_init
    # The GraphiQL page itself loads without a key; its queries carry one.
    opens_ide = (
        request.method == "GET"
        and "query" not in request.query
        and "text/html" in request.headers.get("Accept", "")
    )
    return not opens_ide


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if _needs_key(request):
        key = auth.bearer_key(request.headers.get("Authorization"))
        if key is None:
            raise BillingError(
                ErrorCode.UNAUTHORIZED, "send an API key as Authorization: Bearer <key>"
            )
        if not await auth.is_valid_key(key):
            raise BillingError(ErrorCode.UNAUTHORIZED, "the API key is not valid")
    return await handler(request)


MIDDLEWARES = (errors_middleware, database_middleware, auth_middleware)
