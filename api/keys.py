"""Typed keys for what the aiohttp application holds."""

from aiohttp import web
from tortoise.context import TortoiseContext

from billing.settings import Settings

SETTINGS = web.AppKey("settings", Settings)
DATABASE = web.AppKey("database", TortoiseContext)
#: Set by the request-id middleware; logged with every unexpected error.
REQUEST_ID = web.RequestKey("request_id", str)
#: Set by the auth middleware once the key is accepted: what is scoped per key uses it.
API_KEY_ID = web.RequestKey("api_key_id", int)
#: Set with API_KEY_ID: the key's name, which request log lines show (never the key).
API_KEY_NAME = web.RequestKey("api_key_name", str)
