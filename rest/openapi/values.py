"""JSON Schema for the wire values the REST shim reads and writes.

Each schema states what the server's own parser accepts (billing.values, billing.money,
billing.fields), no more and no less, so a client generated from the document sends
nothing the server refuses for its form. Rules a schema cannot state (a preset name
that exists, `dueDate` not before `invoiceDate`) are 422s the operations list.
"""

from __future__ import annotations

from typing import Any

from billing.money import AMOUNT_LIMIT
from billing.values import MAX_ID

Schema = dict[str, Any]

#: Python's `str.strip()` whitespace (which the server uses to find blank text), and NUL,
#: which neither database stores: text must hold a character outside both.
_SPACE = r"\x09-\x0d\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_NOT_BLANK = rf"^[^\x00]*[^\x00{_SPACE}][^\x00]*$"
_NO_NUL = r"^[^\x00]*$"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
#: What billing.values.parse_datetime reads: RFC 3339, or a bare date, or no offset (UTC).
_CLOCK = r"[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
_OFFSET = r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
_DATETIME = rf"^{_DATE}([Tt ]{_CLOCK}{_OFFSET}?)?$"
#: Digits in an amount's integer part: amounts are below AMOUNT_LIMIT (10**14) in size.
_WHOLE_DIGITS = len(str(int(AMOUNT_LIMIT))) - 1


def nullable(schema: Schema) -> Schema:
    """The schema, or JSON null."""
    if "type" in schema and "anyOf" not in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*kinds, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def digits_at_most(limit: int) -> str:
    """A regex (no anchors) for decimal digits, without leading zeros, naming 0..limit."""
    text = str(limit)
    shorter = f"[0-9]|[1-9][0-9]{{0,{len(text) - 2}}}" if len(text) > 1 else ""
    same_length = []
    for index, digit in enumerate(text):
        rest = len(text) - index - 1
        low = "1" if index == 0 else "0"
        if int(digit) > int(low):
            tail = f"[0-9]{{{rest}}}" if rest else ""
            same_length.append(f"{text[:index]}[{low}-{int(digit) - 1}]{tail}")
    same_length.append(text)
    return "|".join(part for part in (shorter, *same_length) if part)


def whole_text(limit: int, max_length: int = 19) -> Schema:
    """Digits naming a number from 0 to `limit` (leading zeros allowed), as forms send."""
    return {
        "type": "string",
        "maxLength": max_length,
        "pattern": f"^0*({digits_at_most(limit)})$",
    }


def text(max_length: int, *, blank: bool = False) -> Schema:
    """Text of at most `max_length` characters, not blank unless `blank`, without NUL."""
    return {
        "type": "string",
        "minLength": 0 if blank else 1,
        "maxLength": max_length,
        "pattern": _NO_NUL if blank else _NOT_BLANK,
    }


def date_value() -> Schema:
    return {"type": "string", "format": "date", "pattern": f"^{_DATE}$"}


def datetime_value() -> Schema:
    """An instant as the server reads it (see _DATETIME); it writes RFC 3339 in UTC."""
    return {
        "type": "string",
        "format": "date-time",
        "pattern": _DATETIME,
        "description": (
            "RFC 3339 with any offset or Z; a bare date, or a time without offset, is read as UTC."
        ),
    }


def datetime_out() -> Schema:
    return {"type": "string", "format": "date-time"}


def id_text() -> Schema:
    """An id as the server writes it: the text of a whole number."""
    return {"type": "string", "pattern": "^[0-9]+$"}


def id_in() -> Schema:
    """An id as the server reads it (billing.values.parse_id): a number or digits."""
    return {
        "anyOf": [
            {"type": "integer", "minimum": 0, "maximum": MAX_ID},
            whole_text(MAX_ID),
        ]
    }


def whole_in(limit: int) -> Schema:
    """A whole number from 0 to `limit`: a JSON integer or a string of digits."""
    return {"anyOf": [{"type": "integer", "minimum": 0, "maximum": limit}, whole_text(limit)]}


def money_text(places: int, *, negative: bool) -> Schema:
    """An amount as text (billing.money.parse_amount): trailing zeros past `places` and
    leading zeros are fine; "-0" is zero, so allowed even where negatives are not."""
    fraction = rf"(\.[0-9]{{1,{places}}}0*|\.0+)?"
    magnitude = f"0*[0-9]{{1,{_WHOLE_DIGITS}}}{fraction}"
    pattern = f"^-?{magnitude}$" if negative else rf"^({magnitude}|-0+(\.0+)?)$"
    return {"type": "string", "format": "decimal", "pattern": pattern}


def money_in(places: int, *, negative: bool) -> Schema:
    """An exact amount: a JSON number (read exactly, never through a float) or numeric
    text, of at most `places` decimals, below 10**14 in size."""
    number: Schema = {
        "type": "number",
        "multipleOf": float(f"1e-{places}"),
        "exclusiveMaximum": int(AMOUNT_LIMIT),
    }
    number |= {"exclusiveMinimum": -int(AMOUNT_LIMIT)} if negative else {"minimum": 0}
    return {
        "anyOf": [number, money_text(places, negative=negative)],
        "description": f"Exact, at most {places} decimal places: a JSON number or numeric text.",
    }


def money_out(places: str) -> Schema:
    return {"type": "number", "description": f"Exact, written with {places} decimal places."}


def enum(values: object) -> Schema:
    return {"type": "string", "enum": [str(value) for value in values]}  # type: ignore[attr-defined]


def count(*, null: bool = False) -> Schema:
    schema: Schema = {"type": "integer", "minimum": 0}
    return nullable(schema) if null else schema
