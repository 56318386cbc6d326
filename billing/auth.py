"""API keys: issued once in clear, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

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


async def is_valid_key(key: str) -> bool:
    return await ApiKey.exists(key_hash=hash_key(key))


def bearer_key(authorization: str | None) -> str | None:
    """The key in an `Authorization: Bearer <key>` header, if that is what it holds."""
    if not authorization:
        return None
    scheme, _, key = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()
