"""The typed per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from strawberry.types import Info as StrawberryInfo

from api.keys import REQUEST_ID


@dataclass
class Context:
    request: web.Request
    response: web.StreamResponse

    @property
    def request_id(self) -> str:
        return self.request.get(REQUEST_ID, "")


Info = StrawberryInfo[Context, None]
