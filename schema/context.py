"""The typed per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web
from strawberry.types import Info as StrawberryInfo

from api.keys import REQUEST_ID


@dataclass
class Context:
    request: web.Request
    response: web.StreamResponse
    #: graphql-transport-ws: the `connection_init` payload (where browsers send the key).
    connection_params: dict[str, Any] | None = None

    @property
    def request_id(self) -> str:
        return self.request.get(REQUEST_ID, "")


Info = StrawberryInfo[Context, None]
