"""Reading request bodies, and writing dates and money the way the contract says."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from billing.errors import BillingError, ErrorCode
from billing.values import format_datetime

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def iso_datetime(value: datetime | None) -> str | None:
    return None if value is None else format_datetime(value)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


async def read_object(request: web.Request) -> dict[str, Any]:
    """The request body as a dict of fields: JSON (numbers as Decimal) or a form."""
    data = await read_body(request)
    if not isinstance(data, dict):
        raise BillingError(ErrorCode.VALIDATION_FAILED, "the body must be a JSON object")
    return data


async def read_object_or_array(request: web.Request) -> dict[str, Any] | list[Any]:
    """The body as one object or a JSON array (of items the caller checks)."""
    data = await read_body(request)
    if not isinstance(data, (dict, list)):
        raise BillingError(
            ErrorCode.VALIDATION_FAILED, "the body must be a JSON object or an array of them"
        )
    return data


async def read_body(request: web.Request) -> Any:
    """The request body: JSON of any shape (numbers as Decimal), or a form as a dict."""
    if not request.body_exists:
        return {}
    content_type = request.content_type
    if content_type in _FORM_TYPES:
        try:
            form = await request.post()
        # Bad bytes, boundary, charset or part header (a 413 passes through).
        except (ValueError, LookupError, HttpProcessingError):
            raise BillingError(ErrorCode.BAD_REQUEST, "the form body is malformed") from None
        fields: dict[str, Any] = {}
        for key in form:
            values = form.getall(key)
            if len(values) > 1 or not isinstance(values[0], str):
                raise BillingError(
                    ErrorCode.VALIDATION_FAILED, f"{key} must be given once, as text", key
                )
            fields[key] = values[0] if values[0] != "" else None
        return fields
    if content_type != "application/json":
        raise BillingError(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            "send the body as application/json or application/x-www-form-urlencoded",
        )
    raw = await request.read()
    try:
        data = json.loads(raw.decode("utf-8"), parse_float=Decimal, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BillingError(ErrorCode.BAD_REQUEST, f"the body is not valid JSON: {exc}") from None
    except RecursionError:
        raise BillingError(ErrorCode.BAD_REQUEST, "the body's JSON is nested too deeply") from None
    return data
