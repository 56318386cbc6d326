"""Authentication over HTTP: which requests need an API key (the key itself: api/access.py)."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from api import access
from api.keys import API_KEY, API_KEY_ID, API_KEY_NAME
from api.paths import API_PREFIX, OPENAPI_PATH, OPERATIONS_PATHS, WEBSOCKET_SUBPROTOCOLS, is_graphql


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
    if request.method == "GET" and request.path in OPERATIONS_PATHS:
        return False  # health and metrics: for load balancers and scrapers, no key
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
        key = await access.authenticate(request, request.headers.get("Authorization"))
        request[API_KEY] = key
        request[API_KEY_ID], request[API_KEY_NAME] = key.id, key.name
        if request.path.startswith(API_PREFIX):
            access.refuse_read_only_write(request, key)
    return await handler(request)
