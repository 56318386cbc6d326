"""The OpenAPI 3.1 document of the REST shim, served at /backend/api/v1/openapi.json."""

from __future__ import annotations

import weakref

from aiohttp import web

from api.paths import OPENAPI_PATH
from api.responses import json_response
from rest.openapi.document import build_document
from rest.openapi.operations import Kind, Operation, describe

#: Each app's document as sent, built on its first request (the router is frozen by then).
_built: weakref.WeakKeyDictionary[web.Application, bytes] = weakref.WeakKeyDictionary()

routes = web.RouteTableDef()


@routes.get(OPENAPI_PATH)
async def get_openapi_document(request: web.Request) -> web.Response:
    body = _built.get(request.app)
    if body is None:
        body = _built[request.app] = json_response(build_document(request.app)).body  # type: ignore[assignment]
    return web.Response(body=body, content_type="application/json")


describe(
    ("GET",),
    OPENAPI_PATH,
    Operation(
        "This document: OpenAPI 3.1 for the REST shim (no key needed)",
        Kind.DOCUMENT,
        name=get_openapi_document.__name__,
    ),
)
