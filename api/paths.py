"""Where each transport is served."""

from __future__ import annotations

from aiohttp import web

#: The REST shim's prefix.
API_PREFIX = "/backend/api/v1"
#: The REST shim's OpenAPI document: the one path under API_PREFIX read without a key.
OPENAPI_PATH = API_PREFIX + "/openapi.json"
GRAPHQL_PATH = "/graphql"
#: The websocket subprotocols /graphql speaks (graphql-transport-ws and the legacy graphql-ws).
WEBSOCKET_SUBPROTOCOLS = ("graphql-transport-ws", "graphql-ws")
LIVEZ_PATH = "/livez"
HEALTHZ_PATH = "/healthz"
METRICS_PATH = "/metrics"
#: Served without a key (GET only, these exact paths).
OPERATIONS_PATHS = frozenset((LIVEZ_PATH, HEALTHZ_PATH, METRICS_PATH))


def is_graphql(request: web.Request) -> bool:
    return request.path.rstrip("/") == GRAPHQL_PATH
