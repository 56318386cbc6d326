"""Who may call: API keys checked against the process's key cache, rate limits per key
and per client address, and read-only keys kept to reading."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web

from api.keys import ACCESS, DATABASE, SETTINGS
from api.rate_limits import RateLimiter
from billing import auth, notify
from billing.errors import BillingError, ErrorCode
from billing.key_cache import KeyCache
from billing.settings import Settings

log = logging.getLogger("billing.api")
#: Methods a read-only key may use on the REST shim.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Access:
    """One process's keys and rate limits (each process counts on its own)."""

    keys: KeyCache
    #: None when RATE_LIMIT_PER_SECOND is 0.
    per_key: RateLimiter | None
    #: Failed authentications per client address, at the same rate.
    per_address: RateLimiter | None

    @classmethod
    def from_settings(cls, settings: Settings) -> Access:
        rate = settings.rate_limit_per_second
        if not rate:
            return cls(KeyCache(), None, None)
        return cls(KeyCache(), RateLimiter(rate, 2 * rate), RateLimiter(rate, 2 * rate))


async def access_context(app: web.Application) -> AsyncIterator[None]:
    """Give the app its key cache and limits; write pending last-used times at the end."""
    app[ACCESS] = Access.from_settings(app[SETTINGS])
    stop_hearing = notify.on(notify.API_KEY_REVOKED, app[ACCESS].keys.forget_all)
    yield
    stop_hearing()
    try:
        with app[DATABASE]:
            await app[ACCESS].keys.flush_last_used()
    except Exception as exc:  # the database may be gone by now; stopping must go on
        log.warning("could not record when API keys were last used: %s", exc)


def _rate_limited(message: str, retry_after: int) -> BillingError:
    return BillingError(ErrorCode.RATE_LIMITED, message, retry_after=retry_after)


def bearer_key(authorization: str | None) -> str | None:
    """The key in an `Authorization: Bearer <key>` header, if that is what it holds."""
    if not authorization:
        return None
    scheme, _, key = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()


async def authenticate(request: web.Request, authorization: str | None) -> auth.KeyRecord:
    """The key an `Authorization` header carries, if it may be used now.

    Refusals are BillingErrors: UNAUTHORIZED, or RATE_LIMITED when the key is over its
    rate, or the client's address over its rate of failed authentications (then keys
    this process has not seen yet are not looked up either: keys in use keep working).
    """
    access = request.app[ACCESS]
    address = request.remote or "unknown"
    key = bearer_key(authorization)
    if key is None:
        _failed(access, address)
        raise BillingError(ErrorCode.UNAUTHORIZED, "send an API key as Authorization: Bearer <key>")
    digest = auth.key_digest(key)
    if digest is None:
        _failed(access, address)
        raise BillingError(ErrorCode.UNAUTHORIZED, "the API key is not valid")
    return await _admit(access, address, digest)


async def recheck(request: web.Request, key: auth.KeyRecord) -> None:
    """Admit one more operation on a connection opened with `key` (a websocket): the key
    must still be valid, and within its rate, as for a request of its own."""
    await _admit(request.app[ACCESS], request.remote or "unknown", key.key_hash)


async def _admit(access: Access, address: str, digest: str) -> auth.KeyRecord:
    await access.keys.refresh()
    record = access.keys.cached(digest)
    if record is None:
        # A lookup costs a query: it spends the address's allowance up front (so a flood
        # of wrong keys cannot reach the database), given back when the key exists.
        _failed(access, address)
        record = await access.keys.load(digest)
        if record is None:
            raise BillingError(ErrorCode.UNAUTHORIZED, "the API key is not valid")
        if access.per_address is not None:
            access.per_address.give_back(address)
    refusal = record.refusal(datetime.now(UTC))
    if refusal is not None:
        _failed(access, address)
        raise BillingError(ErrorCode.UNAUTHORIZED, refusal)
    if access.per_key is not None and (wait := access.per_key.take(record.id)):
        raise _rate_limited(f"more than {access.per_key.rate:g} requests a second", wait)
    access.keys.touch(record)
    return record


def _failed(access: Access, address: str) -> None:
    if access.per_address is not None and (wait := access.per_address.take(address)):
        raise _rate_limited("too many failed authentications from this address", wait)


def refuse_read_only_write(request: web.Request, record: auth.KeyRecord) -> None:
    """A read-only key may read; a write to a route that exists is FORBIDDEN."""
    if not record.read_only or request.method in READING_METHODS:
        return
    if request.match_info.http_exception is not None:
        return  # no such route or method: the usual 404 or 405 says more
    raise BillingError(ErrorCode.FORBIDDEN, "this API key is read-only")
