"""The typed per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web
from strawberry.types import Info as StrawberryInfo

from api.keys import REQUEST_ID, SETTINGS
from billing.settings import Settings

if TYPE_CHECKING:  # the loaders build the schema's types, which need Info from here
    from schema.dataloaders import Loaders


@dataclass
class Context:
    request: web.Request
    response: web.StreamResponse
    #: This request's DataLoaders: each batches and caches reads for this request only.
    loaders: Loaders
    #: graphql-transport-ws: the `connection_init` payload (where browsers send the key).
    connection_params: dict[str, Any] | None = None

    @property
    def request_id(self) -> str:
        return self.request.get(REQUEST_ID, "")

    @property
    def settings(self) -> Settings:
        return self.request.app[SETTINGS]


Info = StrawberryInfo[Context, None]
