"""Small helpers shared by the REST tests: create, read and request bills over real HTTP,
and check that a refused request returns the contract's error body and changes nothing."""

from __future__ import annotations

from typing import Any

from aiohttp import ClientResponse

from billing import presets
from tests.data import READY as READY  # runs created with READY can have bills requested

API = "/backend/api/v1"
RUNS = "/billingRuns/"
#: The fields of a run, in the order the contract's JSON example lists them.
FIELDS = [
    "id",
    "name",
    "status",
    "subrun",
    "invoiceMessage",
    "invoiceAmount",
    "invoiceDate",
    "cutoffDate",
    "transactionCutoffDate",
    "dueDate",
    "commencedDate",
    "completedDate",
    "createdDate",
    "updatedDate",
    # Part 2: the billing engine's progress.
    "customersInScope",
    "customersDone",
    "invoicesProduced",
    "invoicesNotProduced",
]


def run_path(run: dict[str, Any] | str | int) -> str:
    ident = run["id"] if isinstance(run, dict) else run
    return f"{RUNS}{ident}"


async def create_run(api: Any, name: str = "November 2026", **fields: Any) -> dict[str, Any]:
    return await api.rest_json("POST", RUNS, 201, json={"name": name, **fields})


async def get_run(api: Any, run: dict[str, Any] | str | int) -> dict[str, Any]:
    return await api.rest_json("GET", run_path(run))


async def list_runs(api: Any, **params: Any) -> list[dict[str, Any]]:
    return await api.rest_json("GET", RUNS, params=params)


async def patch_run(api: Any, run: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return await api.rest_json("PATCH", run_path(run), json=fields)


async def request_bills(api: Any, run: dict[str, Any]) -> dict[str, Any]:
    requested = await patch_run(api, run, status="Requested")
    assert requested["status"] == "Requested"
    return requested


async def add_preset(api: Any, kind: str, name: str) -> None:
    with api.database():
        await presets.create_preset(kind, name)


async def retire_preset(api: Any, kind: str, name: str) -> None:
    with api.database():
        await presets.update_preset(kind, name, {"retired": True})


async def error_of(
    response: ClientResponse, status: int, code: str, field: str | None = None
) -> dict[str, Any]:
    """Assert the contract's error body (and `field` when given); return `body["error"]`."""
    text = await response.text()
    assert response.status == status, text
    assert response.content_type == "application/json", text
    body = await response.json()
    assert list(body) == ["error"], body
    error = body["error"]
    assert error["code"] == code, body
    assert isinstance(error["message"], str) and error["message"], body
    assert not any(
        leak in text.lower() for leak in ("traceback", "select ", "sqlite", "asyncpg")
    ), text
    if field is not None:
        assert error.get("field") == field, body
    return error


async def refused(
    api: Any,
    method: str,
    path: str,
    status: int,
    code: str,
    field: str | None = None,
    *,
    keyless: bool = False,
    unchanged: str = RUNS,
    **kwargs: Any,
) -> dict[str, Any]:
    """Send a request that must fail, and show the list at `unchanged` (every run, by
    default) is exactly as it was before.

    `keyless` sends it without the API key (other headers are as given).
    """
    before = await api.rest_json("GET", unchanged, params={"limit": 1000})
    if keyless:
        response = await api.client.request(method, API + path, **kwargs)
    else:
        response = await api.rest(method, path, **kwargs)
    error = await error_of(response, status, code, field)
    assert await api.rest_json("GET", unchanged, params={"limit": 1000}) == before
    return error
