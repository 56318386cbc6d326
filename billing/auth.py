"""API keys: issued once in clear, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
import time

from billing.values import storable_text
from models import ApiKey

KEY_PREFIX = "br_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def create_api_key(name: str) -> str:
    """Store a new key under `name` and return it; it cannot be read back later."""
    if not name.strip() or len(name) > 255:
        raise ValueError("the key's name must be 1 to 255 characters")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    await ApiKey.create(name=name, key_hash=hash_key(key))
    return key


async def ensure_first_key() -> str | None:
    """On a database with no key, create one and return it; otherwise return None."""
    if await ApiKey.exists():
        return None
    return await create_api_key("initial")


#: How long a key, once found, is trusted without asking the database again. Keys are
#: never changed in place, so this only bounds how long a deleted key keeps working.
KEY_CACHE_SECONDS = 30.0
_known_keys: dict[str, float] = {}


async def is_valid_key(key: str) -> bool:
    if not storable_text(key):
        # Header bytes that are not UTF-8 arrive as lone surrogates, which cannot be
        # hashed (and no key holds them, or NUL): an invalid key, not an internal error.
        return False
    digest = hash_key(key)
    now = time.monotonic()
    if _known_keys.get(digest, 0.0) > now:
        return True
    if not await ApiKey.exists(key_hash=digest):
        return False
    if len(_known_keys) > 10_000:
        _known_keys.clear()
    _known_keys[digest] = now + KEY_CACHE_SECONDS
    return True


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


_key_identities: dict[str, tuple[int, str]] = {}


async def key_identity(key: str) -> tuple[int, str] | None:
    """The stored key's id and name (the name is what logs show), or None if no such key.

    As `key_id`: ask only after the key was accepted; kept for the process's life.
    """
    digest = hash_key(key)
    found = _key_identities.get(digest)
    if found is None:
        row = await ApiKey.get_or_none(key_hash=digest).only("id", "name")
        if row is not None:
            found = (row.id, row.name)
            if len(_key_identities) > 10_000:
                _key_identities.clear()
            _key_identities[digest] = found
    return found
