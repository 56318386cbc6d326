"""Opaque cursors over id order."""

from __future__ import annotations

import base64
import binascii

from billing.values import parse_id
from schema.errors import BadUserInput

_PREFIX = "billingRun:"


def encode_cursor(run_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{run_id}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    try:
        if not text.startswith(_PREFIX):
            raise ValueError
        # A 64-bit id of ASCII digits only (isdigit() also takes "²", which int() refuses).
        return parse_id(text.removeprefix(_PREFIX))
    except ValueError:
        raise BadUserInput("after is not a cursor this API gave out", "after") from None
