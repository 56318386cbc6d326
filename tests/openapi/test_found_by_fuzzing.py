"""Bugs the fuzz tests found, each pinned by a test of its own."""

from __future__ import annotations

from tests.rest.billing_data import create_customer, raw
from tests.rest.helpers import create_run, error_of, run_path


def _call_text(customer_id: str, duration: str) -> str:
    """A new call as JSON text, with `customerId` and `duration` written as given."""
    return (
        f'{{"customerId": {customer_id}, "startTime": "2026-11-20T10:00:00Z", '
        f'"duration": {duration}, "numberDialled": "0123", "charge": 1.5}}'
    )


async def test_a_whole_number_written_with_a_point_is_that_whole_number(api):
    """JSON (like JSON Schema's `integer`) counts 60.0 and 6E1 as the number 60: a call's
    duration and an id may be written either way (they were refused as not whole)."""
    customer = await create_customer(api)
    text = _call_text(customer["id"] + ".0", "6E1")
    created = await api.rest_json("POST", "/calls/", 201, **raw(text))
    assert (created["customerId"], created["duration"]) == (customer["id"], 60)


async def test_a_whole_number_with_a_fraction_is_still_refused(api):
    customer = await create_customer(api)
    error = await api.rest_json("POST", "/calls/", 422, **raw(_call_text(customer["id"], "60.5")))
    assert error["error"]["field"] == "duration"


async def test_a_form_part_with_a_malformed_header_is_a_bad_request(api):
    """A multipart part whose header aiohttp cannot parse (a control character in the
    field's name) was a 500."""
    run = await create_run(api)
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="\x0b\x01"\r\n\r\nx\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    for method, path in (("PATCH", run_path(run)), ("POST", "/billingRuns/")):
        response = await api.rest(method, path, data=body, headers=headers)
        await error_of(response, 400, "BAD_REQUEST")
