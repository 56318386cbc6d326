"""JSON responses, and error bodies in the contract's shape."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import orjson
from aiohttp import web

from billing.errors import BillingError


def _default(value: object) -> Any:
    if isinstance(value, Decimal):
        # An exact JSON number, never through a float.
        return orjson.Fragment(str(value))
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_response(data: object, status: int = 200) -> web.Response:
    return web.Response(
        body=orjson.dumps(data, default=_default),
        status=status,
        content_type="application/json",
    )


def error_response(error: BillingError, headers: Mapping[str, str] | None = None) -> web.Response:
    response = json_response(error.as_body(), error.http_status)
    if headers:
        response.headers.update(headers)
    return response
