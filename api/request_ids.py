"""Request ids: the client's own X-Request-Id (bounded), or a new one; echoed on answers."""

from __future__ import annotations

import uuid

from aiohttp import web

from api.keys import REQUEST_ID

HEADER = "X-Request-Id"
#: Characters of a client's id kept: it is logged and echoed.
LENGTH_MAX = 64


def assign(request: web.Request) -> str:
    """Give the request its id (read back with `request[REQUEST_ID]`)."""
    request[REQUEST_ID] = request.headers.get(HEADER, "")[:LENGTH_MAX] or uuid.uuid4().hex
    return request[REQUEST_ID]


def echo(request: web.Request, response: web.StreamResponse) -> None:
    """Send the id back, unless the response already carries one."""
    response.headers.setdefault(HEADER, request[REQUEST_ID])
