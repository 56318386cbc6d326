"""The body limit comes from the settings (MAX_BODY_BYTES): here a small one."""

from __future__ import annotations

import json

import pytest

from billing.settings import Settings
from tests.rest.helpers import RUNS, create_run, refused, run_path

LIMIT = 2048


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, max_body_bytes=LIMIT)


def padded(size: int) -> bytes:
    """A valid JSON body of exactly `size` bytes."""
    raw = json.dumps({"name": "Padded"}).encode()
    return raw[:-1] + b" " * (size - len(raw)) + b"}"


async def test_a_body_at_the_limit_is_accepted(api):
    response = await api.rest(
        "POST", RUNS, data=padded(LIMIT), headers={"Content-Type": "application/json"}
    )
    assert response.status == 201, await response.text()


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT"])
async def test_a_json_body_one_byte_over_the_limit_is_413(api, method):
    run = await create_run(api)
    path = RUNS if method == "POST" else run_path(run)
    error = await refused(
        api,
        method,
        path,
        413,
        "PAYLOAD_TOO_LARGE",
        data=padded(LIMIT + 1),
        headers={"Content-Type": "application/json"},
    )
    assert str(LIMIT) in error["message"]


async def test_a_form_body_over_the_limit_is_413(api):
    run = await create_run(api)
    form = {"name": "x" * LIMIT}
    await refused(api, "PATCH", run_path(run), 413, "PAYLOAD_TOO_LARGE", data=form)
    await refused(api, "POST", RUNS, 413, "PAYLOAD_TOO_LARGE", data=form)


async def test_a_chunked_body_over_the_limit_is_413(api):
    async def chunks():
        yield b'{"name": "'
        for _ in range(10):
            yield b"x" * LIMIT
        yield b'"}'

    await refused(
        api,
        "POST",
        RUNS,
        413,
        "PAYLOAD_TOO_LARGE",
        data=chunks(),
        headers={"Content-Type": "application/json"},
    )
