"""Authentication over HTTP: which requests need an API key, and the bearer header."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from api.keys import API_KEY_ID, API_KEY_NAME
from api.paths import API_PREFIX, OPERATIONS_PATHS, WEBSOCKET_SUBPROTOCOLS, is_graphql
from billing import auth
from billing.errors import BillingError, ErrorCode


def bearer_key(authorization: str | None) -> str | None:
    """The key in an `Authorization: Bearer <key>` header, if that is what it holds."""
    if not authorization:
        return None
    scheme, _, key = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()


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
        return True
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
        key = bearer_key(request.headers.get("Authorization"))
        if key is None:
            raise BillingError(
                ErrorCode.UNAUTHORIZED, "send an API key as Authorization: Bearer <key>"
            )
        if not await auth.is_valid_key(key):
            raise BillingError(ErrorCode.UNAUTHORIZED, "the API key is not valid")
        found = await auth.key_identity(key)
        if found is None:  # deleted since it was accepted
            raise BillingError(ErrorCode.UNAUTHORIZED, "the API key is not valid")
        request[API_KEY_ID], request[API_KEY_NAME] = found
    return await handler(request)
