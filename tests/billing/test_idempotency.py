"""Claiming, storing and releasing idempotency keys in the database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from billing import auth, idempotency
from billing.idempotency import Claim, Refusal, StoredResponse
from models import ApiKey, IdempotencyRecord

ANSWER = StoredResponse(201, "application/json", b'{"id": "1"}')


async def _key_id() -> int:
    await auth.create_api_key("client")
    return (await ApiKey.get(name="client")).id


async def test_one_claim_wins_and_the_others_see_it_running(database):
    with database:
        key_id = await _key_id()
        outcomes = await asyncio.gather(
            *(idempotency.claim(key_id, "k", "hash") for _ in range(10))
        )

    assert sum(isinstance(o, Claim) for o in outcomes) == 1
    assert [o for o in outcomes if not isinstance(o, Claim)] == [Refusal.IN_USE] * 9


async def test_a_stored_answer_is_replayed_only_to_the_same_request(database):
    with database:
        key_id = await _key_id()
        held = await idempotency.claim(key_id, "k", "hash")
        await idempotency.store(held, ANSWER)

        assert await idempotency.claim(key_id, "k", "hash") == ANSWER
        assert await idempotency.claim(key_id, "k", "other") == Refusal.REUSED


async def test_a_released_key_runs_again(database):
    with database:
        key_id = await _key_id()
        held = await idempotency.claim(key_id, "k", "hash")
        await idempotency.release(held)

        assert isinstance(await idempotency.claim(key_id, "k", "hash"), Claim)


async def test_a_claim_left_behind_frees_its_key_after_the_lease(database):
    with database:
        key_id = await _key_id()
        held = await idempotency.claim(key_id, "k", "hash")
        record = await IdempotencyRecord.get(id=held.record_id)
        assert record.expires_date - record.created_date == idempotency.CLAIM_LEASE
        await IdempotencyRecord.filter(id=held.record_id).update(
            expires_date=datetime.now(UTC) - timedelta(seconds=1)
        )

        again = await idempotency.claim(key_id, "k", "another request")

    assert isinstance(again, Claim) and again != held


async def test_the_sweep_deletes_only_expired_records(database):
    with database:
        key_id = await _key_id()
        for key in ("old", "new"):
            await idempotency.store(await idempotency.claim(key_id, key, "hash"), ANSWER)
        await IdempotencyRecord.filter(key="old").update(
            expires_date=datetime.now(UTC) - timedelta(seconds=1)
        )

        assert await idempotency.delete_expired() == 1
        assert await IdempotencyRecord.all().values_list("key", flat=True) == ["new"]


def test_the_request_hash_tells_method_path_and_body_apart():
    hashes = {
        idempotency.request_hash("POST", "/a", b"{}"),
        idempotency.request_hash("PUT", "/a", b"{}"),
        idempotency.request_hash("POST", "/a/", b"{}"),
        idempotency.request_hash("POST", "/a", b"{ }"),
        idempotency.request_hash("POST", "/a{", b"}"),
    }

    assert len(hashes) == 5
