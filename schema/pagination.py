"""Opaque cursors over id order."""

from __future__ import annotations

import base64
import binascii

from schema.errors import BadUserInput

_PREFIX = "billingRun:"


def encode_cursor(run_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{run_id}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    ident = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not ident.isdigit() or len(ident) > 19:
        raise BadUserInput("after is not a cursor this API gave out", "after")
    return int(ident)
