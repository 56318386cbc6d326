"""Idempotency keys: claim a key once, store the first response, replay it to retries.

A key is claimed by inserting its row; the unique (api_key, key) constraint makes the
claim atomic across requests and processes, so concurrent duplicates run once. While
the first request runs, its row has no status and holds the key only for CLAIM_LEASE
(a claim left by a process that died frees itself); once the response is stored, the
row is kept for RETENTION. Expired rows are deleted when their key is next used and,
every SWEEP_SECONDS, all at once.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from tortoise.exceptions import IntegrityError

from models import IdempotencyRecord

#: How long a stored response is replayed.
RETENTION = timedelta(hours=24)
#: How long a running request's claim holds its key: longer than any request may run
#: (REQUEST_TIMEOUT_SECONDS, 30 by default).
CLAIM_LEASE = timedelta(minutes=2)
SWEEP_SECONDS = 60.0
#: Content types longer than the column are stored without their parameters.
_CONTENT_TYPE_MAX = 100


@dataclass(frozen=True)
class StoredResponse:
    status: int
    content_type: str | None
    body: bytes


class Refusal(Enum):
    """Why a request may not run under its key."""

    #: The key was first used for a different request.
    REUSED = "reused"
    #: The first request with this key is still running.
    IN_USE = "in_use"


@dataclass(frozen=True)
class Claim:
    """This request holds the key: store its response or release the key."""

    record_id: int


def request_hash(method: str, path: str, body: bytes) -> str:
    """What a retry must repeat: method, path with query, and the body byte for byte."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def claim(api_key_id: int, key: str, fingerprint: str) -> Claim | StoredResponse | Refusal:
    """Claim `key` for a request, or say why not: its stored response, or a refusal."""
    await _sweep_now_and_then()
    for _ in range(3):
        now = datetime.now(UTC)
        await IdempotencyRecord.filter(
            api_key_id=api_key_id, key=key, expires_date__lte=now
        ).delete()
        try:
            record = await IdempotencyRecord.create(
                api_key_id=api_key_id,
                key=key,
                request_hash=fingerprint,
                created_date=now,
                expires_date=now + CLAIM_LEASE,
            )
        except IntegrityError:
            pass
        else:
            return Claim(record.id)
        found = await IdempotencyRecord.get_or_none(api_key_id=api_key_id, key=key)
        if found is None:
            continue  # released (or expired and deleted) since the insert: claim again
        if found.request_hash != fingerprint:
            return Refusal.REUSED
        if found.status is None:
            return Refusal.IN_USE
        return StoredResponse(found.status, found.content_type, bytes(found.body or b""))
    return Refusal.IN_USE  # others keep taking it: treat it as running


async def store(held: Claim, response: StoredResponse) -> None:
    """Keep the first response for RETENTION, for retries to replay."""
    content_type = response.content_type
    if content_type is not None and len(content_type) > _CONTENT_TYPE_MAX:
        content_type = content_type.split(";", 1)[0][:_CONTENT_TYPE_MAX]
    await IdempotencyRecord.filter(id=held.record_id, status__isnull=True).update(
        status=response.status,
        content_type=content_type,
        body=response.body,
        expires_date=datetime.now(UTC) + RETENTION,
    )


async def release(held: Claim) -> None:
    """Free the key without a stored response, so a retry runs the request afresh."""
    await IdempotencyRecord.filter(id=held.record_id, status__isnull=True).delete()


async def delete_expired() -> int:
    return await IdempotencyRecord.filter(expires_date__lte=datetime.now(UTC)).delete()


_next_sweep = 0.0


async def _sweep_now_and_then() -> None:
    global _next_sweep
    if time.monotonic() < _next_sweep:
        return
    _next_sweep = time.monotonic() + SWEEP_SECONDS
    await delete_expired()
