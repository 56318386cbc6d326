"""The error responses of the REST shim: which codes each status carries, the contract's
error body, and the headers that come with them."""

from __future__ import annotations

from collections.abc import Iterable

from billing.errors import HTTP_STATUS
from rest.openapi.values import Schema

#: Codes the rest of the safety work answers with (read-only keys, rate limits, idempotent
#: POSTs, database trouble, request timeouts): the document names them already. Where
#: billing.errors defines one too, its status must agree (a test checks it).
SAFETY_CODES = {
    "FORBIDDEN": 403,
    "IDEMPOTENCY_KEY_IN_USE": 409,
    "IDEMPOTENCY_KEY_REUSED": 422,
    "RATE_LIMITED": 429,
    "UNAVAILABLE": 503,
    "TIMEOUT": 503,
}
STATUS_OF: dict[str, int] = {str(code): status for code, status in HTTP_STATUS.items()}
STATUS_OF |= {code: status for code, status in SAFETY_CODES.items() if code not in STATUS_OF}

DESCRIPTIONS = {
    400: "Malformed JSON or form, or a bad or unknown query parameter (`field` names it).",
    401: "No API key, or one that is not valid: send `Authorization: Bearer <key>`.",
    403: "The API key is read-only: nothing was changed.",
    404: "No such item (a non-numeric id too).",
    409: "The change conflicts with the item's state, or a request with the same "
    "Idempotency-Key is still running.",
    413: "The body is larger than MAX_BODY_BYTES.",
    415: "The body is neither JSON nor a form.",
    422: "A field is missing, of the wrong type, unknown, read-only or breaks a rule "
    "(`field` names it; `details` lists every problem when there are several), or the "
    "Idempotency-Key was used with another body.",
    429: "Too many requests for this key (or failed authentications from this address): "
    "retry after `Retry-After` seconds.",
    500: "Something unexpected: logged with the request id, no internals in the body.",
    503: "The database cannot be reached (`UNAVAILABLE`) or the request ran past "
    "REQUEST_TIMEOUT_SECONDS (`TIMEOUT`): retry after `Retry-After` seconds.",
}

_HEADER_TEXT: Schema = {"type": "string"}
REQUEST_ID_HEADER = {
    "description": "The request's id (the client's X-Request-Id, or a new one); logs quote it.",
    "required": True,
    "schema": _HEADER_TEXT,
}
RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before retrying.",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}
WWW_AUTHENTICATE_HEADER = {
    "description": "Always `Bearer`.",
    "required": True,
    "schema": {"type": "string", "const": "Bearer"},
}
_HEADERS_BY_STATUS = {
    401: {"WWW-Authenticate": WWW_AUTHENTICATE_HEADER},
    429: {"Retry-After": RETRY_AFTER_HEADER},
    503: {"Retry-After": RETRY_AFTER_HEADER},
}

FIELD_ERROR: Schema = {
    "type": "object",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "field": {"type": "string"},
    },
    "required": ["code", "message"],
    "additionalProperties": False,
}


#: Codes only some operations answer with (their conflicts, and POST's idempotency).
SPECIFIC_CODES = {
    "FIELD_LOCKED",
    "INVALID_TRANSITION",
    "RUN_IN_PROGRESS",
    "ALREADY_BILLED",
    "IDEMPOTENCY_KEY_IN_USE",
    "IDEMPOTENCY_KEY_REUSED",
}


def codes_for(status: int, extra: Iterable[str] = ()) -> list[str]:
    """The codes a response of `status` may carry: every code of that status that is not
    specific to some operations, plus `extra` (those specific ones, where they apply)."""
    general = [c for c, s in STATUS_OF.items() if s == status and c not in SPECIFIC_CODES]
    return [*general, *(str(code) for code in extra if str(code) not in general)]


def error_body(codes: list[str]) -> Schema:
    """The contract's error body, with `code` one of `codes`."""
    detail = {
        **FIELD_ERROR,
        "properties": {
            **FIELD_ERROR["properties"],
            "code": {"type": "string", "enum": codes},
            "details": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
        },
    }
    return {
        "type": "object",
        "properties": {"error": detail},
        "required": ["error"],
        "additionalProperties": False,
    }


#: How aiohttp's HTTP parser answers a request it cannot read (a request line or header
#: over 8190 bytes, a NUL in a header): before any handler or middleware runs, so in
#: plain text, without a request id. Any operation can get it.
UNPARSABLE = (
    "Or, as text/plain and without X-Request-Id, a request the HTTP layer cannot parse "
    "(a request line or a header over 8190 bytes, a malformed header)."
)
_PLAIN_TEXT = {"text/plain": {"schema": {"type": "string"}}}
UNPARSABLE_RESPONSE = {
    "description": "A request the HTTP layer cannot parse (a request line or a header over "
    "8190 bytes, a malformed header), answered in text/plain without X-Request-Id.",
    "content": _PLAIN_TEXT,
}


def error_response(status: int, extra: Iterable[str] = ()) -> tuple[str, Schema]:
    """A name for the response (its status and codes) and the response itself."""
    codes = codes_for(status, extra)
    if not codes:
        raise ValueError(f"no error code answers with status {status}")
    name = f"Error{status}" + "".join(code.title().replace("_", "") for code in extra)
    request_id: Schema = {"$ref": "#/components/headers/X-Request-Id"}
    description = DESCRIPTIONS[status] + " Codes: " + ", ".join(codes) + "."
    content: Schema = {"application/json": {"schema": error_body(codes)}}
    if status == 400:
        request_id = {**REQUEST_ID_HEADER, "required": False}
        description += " " + UNPARSABLE
        content |= _PLAIN_TEXT
    headers = {"X-Request-Id": request_id, **_HEADERS_BY_STATUS.get(status, {})}
    return name, {"description": description, "headers": headers, "content": content}
