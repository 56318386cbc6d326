"""Typed keys for what the aiohttp application holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web
from tortoise.context import TortoiseContext

from billing.auth import KeyRecord
from billing.settings import Settings
from billing.unavailable import Availability

if TYPE_CHECKING:
    from api.access import Access

SETTINGS = web.AppKey("settings", Settings)
DATABASE = web.AppKey("database", TortoiseContext)
#: Whether the database answers, as this process last saw it (billing/unavailable.py).
AVAILABILITY = web.AppKey("availability", Availability)
#: Set by the request-id middleware; logged with every unexpected error.
REQUEST_ID = web.RequestKey("request_id", str)
#: Set by the auth middleware once the key is accepted: what is scoped per key uses it.
API_KEY_ID = web.RequestKey("api_key_id", int)
#: The key cache and rate limits of this process (api/access.py).
ACCESS: web.AppKey[Access] = web.AppKey("access")
#: The API key the request was authenticated with (not set where no key is needed).
API_KEY = web.RequestKey("api_key", KeyRecord)
#: Set with API_KEY_ID: the key's name, which request log lines show (never the key).
API_KEY_NAME = web.RequestKey("api_key_name", str)
