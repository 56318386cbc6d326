"""The request body limit (MAX_BODY_BYTES): aiohttp enforces it, a 413 names it."""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web
from aiohttp.typedefs import Middleware

from api.keys import SETTINGS
from billing.settings import Settings


def limited_application(settings: Settings, middlewares: Iterable[Middleware]) -> web.Application:
    """An application holding `settings` that refuses bodies over their limit."""
    app = web.Application(middlewares=middlewares, client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    return app


def too_large_message(app: web.Application) -> str:
    # The limit aiohttp enforced: the application's, which the settings gave it.
    return f"the request body is larger than {app._client_max_size} bytes"
