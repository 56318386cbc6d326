"""API keys: issued once in clear, stored only as a SHA-256 hash; named, listed by prefix,
read-only or not, expiring, revoked."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

from billing import notify
from billing.values import storable_text
from models import ApiKey

KEY_PREFIX = "br_"
#: How many characters after `br_` name a key in listings and in revoke-api-key.
PREFIX_LENGTH = 8
MAX_EXPIRY_DAYS = 36_500
#: The columns a request needs to judge its key, and the hash to find it again by.
RECORD_FIELDS = ("id", "name", "prefix", "read_only", "expires_date", "revoked_date", "key_hash")
_LISTING_FIELDS = (*RECORD_FIELDS, "created_date", "last_used_date")


@dataclass(frozen=True)
class KeyRecord:
    """What the server knows about a key once it has found it."""

    id: int
    name: str
    prefix: str | None
    read_only: bool
    expires_date: datetime | None
    revoked_date: datetime | None
    #: What the key is found by again (a hash; the key itself is never kept).
    key_hash: str = field(repr=False)

    def refusal(self, now: datetime) -> str | None:
        """Why the key may not be used at `now`, or None when it may."""
        if self.revoked_date is not None:
            return "the API key has been revoked"
        if self.expires_date is not None and now >= self.expires_date:
            return "the API key has expired"
        return None

    @property
    def label(self) -> str:
        return f"{self.name!r} (prefix {self.prefix or 'none'})"


@dataclass(frozen=True)
class KeyListing(KeyRecord):
    """A key as list-api-keys shows it."""

    created_date: datetime
    last_used_date: datetime | None


class KeyNotFound(ValueError):
    """No key has that name, prefix or value."""


class AmbiguousKey(ValueError):
    """More than one key that is still in use matches: the caller must be more precise."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str:
    return key.removeprefix(KEY_PREFIX)[:PREFIX_LENGTH]


_key_ids: dict[str, int] = {}


async def key_id(key: str) -> int | None:
    """The stored key's id (for what is scoped per key), or None if there is no such key.

    Ask only after the key was accepted: this says nothing about revocation or expiry.
    A hash always names the same row, so the answer is kept for the process's life.
    """
    digest = hash_key(key)
    found = _key_ids.get(digest)
    if found is None:
        row = await ApiKey.get_or_none(key_hash=digest).only("id")
        if row is not None:
            found = row.id
            if len(_key_ids) > 10_000:
                _key_ids.clear()
            _key_ids[digest] = found
    return found


def key_digest(key: str) -> str | None:
    """The hash a key is stored under, or None for text no key can be."""
    if not storable_text(key):
        # Header bytes that are not UTF-8 arrive as lone surrogates, which cannot be
        # hashed (and no key holds them, or NUL): an invalid key, not an internal error.
        return None
    return hash_key(key)


async def create_api_key(
    name: str, *, read_only: bool = False, expires_in_days: int | None = None
) -> str:
    """Store a new key under `name` and return it; it cannot be read back later."""
    if not name.strip() or len(name) > 255 or not name.isprintable():
        raise ValueError("the key's name must be 1 to 255 printable characters")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise ValueError(f"a key expires in 1 to {MAX_EXPIRY_DAYS} days")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    expires = None
    if expires_in_days is not None:
        expires = datetime.now(UTC) + timedelta(days=expires_in_days)
    await ApiKey.create(
        name=name,
        key_hash=hash_key(key),
        prefix=key_prefix(key),
        read_only=read_only,
        expires_date=expires,
    )
    return key


async def ensure_first_key() -> str | None:
    """On a database with no key, create one and return it; otherwise return None."""
    if await ApiKey.exists():
        return None
    return await create_api_key("initial")


async def find_key(digest: str) -> KeyRecord | None:
    """The key stored under `digest`, revoked and expired ones included."""
    rows = await ApiKey.filter(key_hash=digest).values(*RECORD_FIELDS)
    return KeyRecord(**rows[0]) if rows else None


async def list_api_keys() -> list[KeyListing]:
    """Every key, oldest first."""
    rows = await ApiKey.all().order_by("id").values(*_LISTING_FIELDS)
    return [KeyListing(**row) for row in rows]


async def revoke_api_key(name_or_prefix: str) -> tuple[KeyListing, bool]:
    """Revoke the one key in use that has this name or prefix (or is this key).

    Returns the key and whether this call revoked it (False: it already was). Several
    keys in use matching is AmbiguousKey and revokes none: a name is not unique, so the
    caller names one by its prefix. Keys already revoked are passed over when another
    match is still in use.
    """
    wanted = name_or_prefix.strip()
    if not wanted or not storable_text(wanted):
        raise KeyNotFound("give the name or the prefix of the key to revoke")
    # Each column is only compared with text that fits it (Tortoise refuses longer).
    match = Q(key_hash=hash_key(wanted))
    if len(wanted) <= 255:
        match |= Q(name=wanted)
    if len(wanted) == PREFIX_LENGTH:
        match |= Q(prefix=wanted)
    rows = await ApiKey.filter(match).order_by("id").values(*_LISTING_FIELDS)
    matches = [KeyListing(**row) for row in rows]
    if not matches:
        raise KeyNotFound(f"no API key is named {wanted!r} or has the prefix {wanted!r}")
    in_use = [key for key in matches if key.revoked_date is None]
    if len(in_use) > 1:
        raise AmbiguousKey(
            f"{len(in_use)} keys in use match {wanted!r}: "
            + ", ".join(key.label for key in in_use)
            + "; revoke one at a time by its prefix"
        )
    if not in_use:
        return matches[-1], False
    key = in_use[0]
    now = datetime.now(UTC)
    # Conditional, so a revocation racing another keeps the first date.
    revoked = await ApiKey.filter(id=key.id, revoked_date__isnull=True).update(revoked_date=now)
    if revoked:  # every process drops its cached keys now (the 1 s check is the backstop)
        await notify.publish(notify.API_KEY_REVOKED, key.prefix or "")
    current = await ApiKey.filter(id=key.id).values(*_LISTING_FIELDS)
    return KeyListing(**current[0]), bool(revoked)


async def record_last_used(used: dict[int, datetime]) -> None:
    """Write when keys were last accepted; a later time already stored is kept."""
    for key_id, when in used.items():
        await ApiKey.filter(
            Q(id=key_id) & (Q(last_used_date__isnull=True) | Q(last_used_date__lt=when))
        ).update(last_used_date=when)
