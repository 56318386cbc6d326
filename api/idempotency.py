"""The Idempotency-Key header on REST POSTs and GraphQL mutations.

The first response to a key is stored per API key and replayed to retries of the same
request with `Idempotent-Replayed: true`; nothing runs twice. Responses under 500 are
stored (a 422 stays a 422, as a retry would get anyway), except 429, which said nothing
ran. A 5xx (or a GraphQL answer reporting an internal error, which GraphQL sends with
HTTP 200), an exception or a cancelled request releases the key instead: each write is
one transaction, so nothing of it was kept, and the retry runs afresh.
"""

from __future__ import annotations

import asyncio
import logging
import re

import orjson
from aiohttp import hdrs, web
from aiohttp.streams import StreamReader
from aiohttp.typedefs import Handler
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse

from api.errors import render_error
from api.keys import API_KEY_ID
from api.paths import API_PREFIX, is_graphql
from billing import idempotency
from billing.errors import BillingError, ErrorCode
from billing.idempotency import Claim, Refusal, StoredResponse

log = logging.getLogger("billing.api")

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
_VALID_KEY = re.compile(r"[\x20-\x7e]{1,255}")
#: GraphQL error codes that say the server, not the request, failed: nothing is stored.
_SERVER_FAILURES = frozenset({"INTERNAL_SERVER_ERROR", "INTERNAL", "UNAVAILABLE", "TIMEOUT"})
_REFUSALS = {
    Refusal.REUSED: (
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        "this Idempotency-Key was used for a different request; use a new key for a new "
        "request, or retry with exactly the same method, path and body",
    ),
    Refusal.IN_USE: (
        ErrorCode.IDEMPOTENCY_KEY_IN_USE,
        "the first request with this Idempotency-Key is still running; retry shortly",
    ),
}


def is_graphql_mutation(body: bytes) -> bool:
    """Whether a GraphQL request body selects a mutation (False if it cannot run at all)."""
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return False
    try:
        document = parse(payload["query"], no_location=True)
    except (GraphQLError, RecursionError):
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    name = payload.get("operationName")
    if name:
        operations = [op for op in operations if op.name and op.name.value == name]
    return len(operations) == 1 and operations[0].operation == OperationType.MUTATION


async def _applies(request: web.Request) -> bool:
    if request.method != hdrs.METH_POST or HEADER not in request.headers:
        return False
    if API_KEY_ID not in request:
        return False  # no key to scope it by (the request is refused elsewhere)
    if request.path.startswith(API_PREFIX):
        return True
    return is_graphql(request) and is_graphql_mutation(await request.read())


def _key(request: web.Request) -> str:
    values = request.headers.getall(HEADER)
    if len(values) != 1 or not _VALID_KEY.fullmatch(values[0]):
        raise BillingError(
            ErrorCode.BAD_REQUEST,
            f"send one {HEADER} header of 1 to 255 printable ASCII characters",
            HEADER,
        )
    return values[0]


def _replay(stored: StoredResponse) -> web.Response:
    response = web.Response(status=stored.status, body=stored.body)
    if stored.content_type:
        response.headers[hdrs.CONTENT_TYPE] = stored.content_type
    response.headers[REPLAYED] = "true"
    return response


async def _run(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except (BillingError, web.HTTPException) as exc:
        return render_error(request, exc)  # an expected refusal is stored like any answer


def _failed_on_the_server(body: bytes) -> bool:
    """Whether a GraphQL answer reports a server failure (GraphQL says so with HTTP 200)."""
    try:
        errors = orjson.loads(body).get("errors") or []
    except (orjson.JSONDecodeError, AttributeError):
        return False
    return any(
        isinstance(error, dict) and (error.get("extensions") or {}).get("code") in _SERVER_FAILURES
        for error in errors
    )


def _storable(request: web.Request, response: web.StreamResponse) -> StoredResponse | None:
    if not isinstance(response, web.Response) or response.prepared:
        return None  # streamed: not kept
    if response.status >= 500 or response.status == 429:
        return None
    body = response.body
    if not isinstance(body, bytes):
        return None
    if is_graphql(request) and _failed_on_the_server(body):
        return None
    return StoredResponse(response.status, response.headers.get(hdrs.CONTENT_TYPE), body)


async def _quietly(action: str, work: asyncio.Future[None]) -> None:
    """Finish `work` even if this request is cancelled; log (not raise) a failure."""
    try:
        await asyncio.shield(work)
    except Exception as exc:
        log.warning("could not %s an idempotency key: %s", action, exc)


def _rewind(request: web.Request, body: bytes) -> None:
    """Let the handler read the body again, as a stream too.

    `read()`, `json()` and url-encoded `post()` reuse the bytes aiohttp keeps, but a
    multipart `post()` reads the request's stream, which `read()` has drained: give the
    request a stream of the same bytes (aiohttp has no public way to do this).
    """
    stream = StreamReader(request.protocol, max(len(body), 2**16), loop=asyncio.get_running_loop())
    stream.feed_data(body)
    stream.feed_eof()
    request._payload = stream


@web.middleware
async def idempotency_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not await _applies(request):
        return await handler(request)
    key = _key(request)
    body = await request.read()
    _rewind(request, body)
    fingerprint = idempotency.request_hash(request.method, request.raw_path, body)
    outcome = await idempotency.claim(request[API_KEY_ID], key, fingerprint)
    if isinstance(outcome, Refusal):
        code, message = _REFUSALS[outcome]
        raise BillingError(code, message, HEADER)
    if isinstance(outcome, StoredResponse):
        return _replay(outcome)
    held: Claim = outcome
    try:
        response = await _run(request, handler)
    except BaseException:
        await _quietly("release", asyncio.ensure_future(idempotency.release(held)))
        raise
    stored = _storable(request, response)
    if stored is None:
        await _quietly("release", asyncio.ensure_future(idempotency.release(held)))
    else:
        work = asyncio.ensure_future(idempotency.store(held, stored))
        await _quietly("store the response for", work)
    return response
