"""Idempotency-Key: a retried write runs once and gets the first answer again."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from tortoise import connections

from billing import auth, idempotency
from models import IdempotencyRecord
from tests.conftest import API

CREATE = 'mutation { createBillingRun(input: {name: "Retried"}) { billingRun { id name } } }'


def _key(value: str = "run-nov-2026") -> dict[str, str]:
    return {"Idempotency-Key": value}


async def _run_names(api) -> list[str]:
    return [run["name"] for run in await api.rest_json("GET", "/billingRuns/")]


async def test_the_same_post_twice_creates_one_run_and_answers_the_same(api):
    first = await api.rest("POST", "/billingRuns/", json={"name": "Nov"}, headers=_key())
    second = await api.rest("POST", "/billingRuns/", json={"name": "Nov"}, headers=_key())

    assert first.status == second.status == 201
    assert await first.read() == await second.read()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert second.content_type == "application/json"
    assert await _run_names(api) == ["Nov"]


@pytest.mark.parametrize("multipart", [True, False], ids=["multipart", "urlencoded"])
async def test_a_form_post_with_a_key_is_read_as_without_one(api, multipart):
    fields = {"name": "Form run", "invoiceDate": "2026-12-01"}
    form = aiohttp.FormData(fields, default_to_multipart=multipart)

    response = await api.rest("POST", "/billingRuns/", data=form, headers=_key())
    body = await response.json()

    assert response.status == 201, body
    assert (body["name"], body["invoiceDate"]) == ("Form run", "2026-12-01")
    assert response.headers["Content-Type"].startswith("application/json")


async def test_the_same_mutation_twice_creates_one_run_and_answers_the_same(api):
    first = await api.graphql(CREATE, headers=_key())
    second = await api.graphql(CREATE, headers=_key())

    assert first.status == second.status == 200
    assert await first.json() == await second.json()
    assert (await first.json())["data"]["createBillingRun"]["billingRun"]["name"] == "Retried"
    assert second.headers["Idempotent-Replayed"] == "true"
    assert await _run_names(api) == ["Retried"]


async def test_twenty_concurrent_duplicates_create_exactly_one_run(api):
    responses = await asyncio.gather(
        *(
            api.rest("POST", "/billingRuns/", json={"name": "Once"}, headers=_key())
            for _ in range(20)
        )
    )

    statuses = sorted(r.status for r in responses)
    assert set(statuses) <= {201, 409}, statuses
    fresh = [r for r in responses if r.status == 201 and "Idempotent-Replayed" not in r.headers]
    assert len(fresh) == 1
    created = await fresh[0].json()
    for response in responses:
        body = await response.json()
        if response.status == 201:
            assert body == created
        else:
            assert body["error"]["code"] == "IDEMPOTENCY_KEY_IN_USE"
    assert await _run_names(api) == ["Once"]


async def test_twenty_concurrent_duplicate_mutations_create_exactly_one_run(api):
    responses = await asyncio.gather(*(api.graphql(CREATE, headers=_key()) for _ in range(20)))

    assert {r.status for r in responses} <= {200, 409}
    fresh = [r for r in responses if r.status == 200 and "Idempotent-Replayed" not in r.headers]
    assert len(fresh) == 1
    for response in responses:
        if response.status == 409:
            body = await response.json()
            assert body["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_IN_USE"
    assert await _run_names(api) == ["Retried"]


async def test_a_key_reused_for_another_body_is_422_and_changes_nothing(api):
    await api.rest_json("POST", "/billingRuns/", 201, json={"name": "Nov"}, headers=_key())

    body = await api.rest_json("POST", "/billingRuns/", 422, json={"name": "Dec"}, headers=_key())
    mutation = await api.graphql(CREATE, headers=_key())

    assert body["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert body["error"]["field"] == "Idempotency-Key"
    assert mutation.status == 422
    assert (await mutation.json())["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await _run_names(api) == ["Nov"]


async def test_a_refusal_is_stored_and_replayed_like_any_answer(api):
    first = await api.rest("POST", "/billingRuns/", json={"nme": "typo"}, headers=_key())
    second = await api.rest("POST", "/billingRuns/", json={"nme": "typo"}, headers=_key())

    assert first.status == second.status == 422
    assert await first.read() == await second.read()
    assert second.headers["Idempotent-Replayed"] == "true"


async def test_keys_are_scoped_per_api_key(api):
    with api.database():
        other_key = await auth.create_api_key("other client")
    other = {"Authorization": f"Bearer {other_key}", **_key()}

    mine = await api.rest("POST", "/billingRuns/", json={"name": "Mine"}, headers=_key())
    theirs = await api.rest("POST", "/billingRuns/", json={"name": "Theirs"}, headers=other)

    assert mine.status == theirs.status == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert sorted(await _run_names(api)) == ["Mine", "Theirs"]


async def test_an_expired_key_may_be_used_again(api):
    await api.rest_json("POST", "/billingRuns/", 201, json={"name": "Nov"}, headers=_key())
    with api.database():
        record = await IdempotencyRecord.get(key="run-nov-2026")
        assert record.expires_date - record.created_date >= timedelta(hours=24) - timedelta(
            seconds=5
        )
        await IdempotencyRecord.filter(id=record.id).update(
            expires_date=datetime.now(UTC) - timedelta(seconds=1)
        )

    again = await api.rest("POST", "/billingRuns/", json={"name": "Dec"}, headers=_key())

    assert again.status == 201
    assert "Idempotent-Replayed" not in again.headers
    assert sorted(await _run_names(api)) == ["Dec", "Nov"]


async def test_a_retry_while_the_first_request_runs_is_409(api):
    # The first request is running in another process: its claim is in the database.
    body = json.dumps({"name": "Slow"}).encode()
    path = API + "/billingRuns/"
    with api.database():
        key_id = await auth.key_id(api.key)
        fingerprint = idempotency.request_hash("POST", path, body)
        held = await idempotency.claim(key_id, "run-nov-2026", fingerprint)
    assert isinstance(held, idempotency.Claim)

    retry = await api.client.post(
        path, data=body, headers={**api.auth, **_key(), "Content-Type": "application/json"}
    )

    assert retry.status == 409
    assert (await retry.json())["error"]["code"] == "IDEMPOTENCY_KEY_IN_USE"
    assert await _run_names(api) == []


async def test_reads_with_the_header_are_not_replayed(api):
    first = await api.rest("GET", "/billingRuns/", headers=_key())
    await api.rest_json("POST", "/billingRuns/", 201, json={"name": "Nov"})
    second = await api.rest("GET", "/billingRuns/", headers=_key())
    query = await api.graphql("{ billingRuns { totalCount } }", headers=_key())

    assert await first.json() == []
    assert [run["name"] for run in await second.json()] == ["Nov"]
    assert (await query.json())["data"]["billingRuns"]["totalCount"] == 1
    for response in (first, second, query):
        assert "Idempotent-Replayed" not in response.headers
    with api.database():
        assert await IdempotencyRecord.all().count() == 0


async def test_a_post_without_the_header_runs_every_time(api):
    for _ in range(2):
        await api.rest_json("POST", "/billingRuns/", 201, json={"name": "Nov"})

    assert await _run_names(api) == ["Nov", "Nov"]


@pytest.mark.parametrize("value", ["", " ", "x" * 256, "caf\u00e9", "tab\there"])
async def test_a_key_that_is_not_1_to_255_printable_characters_is_400(api, value):
    response = await api.client.post(
        API + "/billingRuns/",
        json={"name": "Nov"},
        headers={**api.auth, "Idempotency-Key": value},
        skip_auto_headers=(),
    )

    body = await response.json()
    assert response.status == 400, body
    assert body["error"]["code"] == "BAD_REQUEST"
    assert "Idempotency-Key" in body["error"]["message"]
    assert await _run_names(api) == []


async def test_a_key_of_255_printable_characters_is_accepted(api):
    key = "".join(chr(32 + i % 95) for i in range(255))

    first = await api.rest("POST", "/billingRuns/", json={"name": "Nov"}, headers=_key(key))
    second = await api.rest("POST", "/billingRuns/", json={"name": "Nov"}, headers=_key(key))

    assert first.status == second.status == 201
    assert second.headers["Idempotent-Replayed"] == "true"


_BREAK = {
    "sqlite": [
        "CREATE TRIGGER broken BEFORE INSERT ON billing_run BEGIN SELECT no_such_function(); END"
    ],
    "postgres": [
        "CREATE FUNCTION broken() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'the disk is on fire'; END $$",
        "CREATE TRIGGER broken BEFORE INSERT ON billing_run FOR EACH ROW EXECUTE FUNCTION broken()",
    ],
}
_MEND = {
    "sqlite": ["DROP TRIGGER broken"],
    "postgres": ["DROP TRIGGER broken ON billing_run", "DROP FUNCTION broken()"],
}


async def _create(api, transport: str):
    if transport == "rest":
        return await api.rest("POST", "/billingRuns/", json={"name": "Nov"}, headers=_key())
    create = 'mutation { createBillingRun(input: {name: "Nov"}) { billingRun { id } } }'
    return await api.graphql(create, headers=_key())


@pytest.mark.parametrize("transport", ["rest", "graphql"])
async def test_a_first_attempt_that_fails_on_the_server_frees_the_key_for_the_retry(
    api, database_kind, transport
):
    with api.database():
        for statement in _BREAK[database_kind]:
            await connections.get("default").execute_script(statement)
    failed = await _create(api, transport)
    with api.database():
        for statement in _MEND[database_kind]:
            await connections.get("default").execute_script(statement)

    retry = await _create(api, transport)

    if transport == "rest":
        assert failed.status >= 500
        assert retry.status == 201
    else:
        codes = [e["extensions"]["code"] for e in (await failed.json())["errors"]]
        assert codes == ["INTERNAL_SERVER_ERROR"]
        assert "errors" not in await retry.json()
    assert "Idempotent-Replayed" not in retry.headers
    assert await _run_names(api) == ["Nov"]
