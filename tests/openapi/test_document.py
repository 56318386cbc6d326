"""GET /backend/api/v1/openapi.json: served without a key, valid OpenAPI 3.1, and true
to the code — every route, method, path and query parameter the handlers take, and every
response a request can get (success and error, with the contract's error body)."""

from __future__ import annotations

import re

import jsonschema_rs
import pytest
import schemathesis
from aiohttp import web

from api.paths import API_PREFIX, OPENAPI_PATH
from billing import charges, customers, runs
from billing.errors import HTTP_STATUS, ErrorCode
from billing.settings import Settings
from rest.openapi import errors
from rest.openapi.document import UndocumentedRoute, build_document
from rest.openapi.operations import OPERATIONS
from rest.openapi.resources import BILLING_RUN, CALL, CUSTOMER, TRANSACTION
from server import create_app
from tests.openapi.spec import conforms, fetch_document, operations, other_spelling
from tests.rest.billing_data import (
    bill,
    call_fields,
    create_call,
    create_customer,
    create_transaction,
    transaction_fields,
)
from tests.rest.helpers import READY, add_preset, create_run, request_bills

_KNOWN = re.compile(r"known: (.*)$")
#: A small body limit, so a test can send a body over it cheaply.
SMALL_BODY_LIMIT = 4096


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, run_engine=False, max_body_bytes=SMALL_BODY_LIMIT)


async def test_the_document_needs_no_key_and_is_openapi_3_1(api):
    response = await api.client.get(OPENAPI_PATH)
    assert response.status == 200
    assert response.content_type == "application/json"
    document = await response.json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": API_PREFIX}]
    # The OpenAPI 3.1 meta-schema, and every JSON Schema in it compiles (patterns too).
    schemathesis.openapi.from_dict(document).validate()
    for name in document["components"]["schemas"]:
        jsonschema_rs.Draft202012Validator(
            {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
        )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", OPENAPI_PATH),
        ("HEAD", OPENAPI_PATH),
        ("GET", OPENAPI_PATH + "/"),
        ("GET", OPENAPI_PATH + "x"),
        ("GET", API_PREFIX + "/billingRuns/"),
    ],
)
async def test_only_get_of_the_document_itself_goes_without_a_key(api, method, path):
    response = await api.client.request(method, path)
    assert response.status == 401


async def test_every_route_is_in_the_document_with_its_methods(api):
    document = await fetch_document(api)
    documented = {(o.path, o.method.upper()) for o in operations(document)}
    routed = set()
    for route in api.client.app.router.routes():
        path = route.resource.canonical
        if not path.startswith(API_PREFIX) or route.method in ("HEAD", "OPTIONS"):
            continue
        bare = path.removeprefix(API_PREFIX)
        spellings = {(bare, route.method), (other_spelling(bare), route.method)}
        assert spellings & documented, f"{route.method} {path} is not documented"
        routed |= spellings
        found = set(re.findall(r"\{(\w+)\}", path))
        for described in operations(document):
            if (described.path, described.method.upper()) in spellings:
                assert set(described.parameters(document, "path")) == found
    assert documented <= routed, documented - routed


def test_a_route_nobody_described_stops_the_document():
    app = create_app(Settings(), migrate=False)

    async def surprise(request: web.Request) -> web.Response:
        return web.Response()

    app.router.add_get(API_PREFIX + "/surprise", surprise)
    with pytest.raises(UndocumentedRoute, match="GET /backend/api/v1/surprise"):
        build_document(app)


async def test_405_allows_exactly_the_documented_methods(api):
    document = await fetch_document(api)
    for path, methods in document["paths"].items():
        if path == "/openapi.json":
            continue
        for spelling in (path, other_spelling(path)):
            url = re.sub(r"\{\w+\}", "1", spelling)
            response = await api.rest("TRACE", url)
            assert response.status == 405, (spelling, await response.text())
            allowed = set(response.headers["Allow"].split(","))
            assert allowed - {"HEAD"} == {m.upper() for m in methods}, spelling


def test_resource_fields_are_the_actions_own():
    for resource, writable, read_only in (
        (BILLING_RUN, runs.WRITABLE, runs.READ_ONLY),
        (CUSTOMER, customers.WRITABLE, customers.READ_ONLY),
        (CALL, charges.CALL_WRITABLE, charges.READ_ONLY),
        (TRANSACTION, charges.TRANSACTION_WRITABLE, charges.READ_ONLY),
    ):
        assert set(resource.writable_names()) == set(writable), resource.name
        assert set(resource.fields) == set(writable) | set(read_only), resource.name


async def _billed_data(api) -> dict[str, str]:
    """One of everything, billed: a run with an invoice and a not-produced line, and a
    customer's unbilled call and transaction; their ids by the path's first segment."""
    await add_preset(api, "transactionType", "Rental")
    await add_preset(api, "billingSubrun", "Monthly")
    billed = await create_customer(api, subrun="Monthly")
    await create_customer(api, subrun="Monthly")  # nothing to bill: not produced
    await create_call(api, billed)
    await create_transaction(api, billed)
    run = await bill(api, subrun="Monthly")
    invoices = await api.rest_json("GET", f"/billingRuns/{run['id']}/invoices/")
    not_produced = await api.rest_json("GET", f"/billingRuns/{run['id']}/notProduced/")
    assert len(invoices) == 1 and len(not_produced) == 1
    return {
        "billingRuns": run["id"],
        "customers": billed["id"],
        "calls": (await create_call(api, billed, startTime="2027-01-01T00:00:00Z"))["id"],
        "transactions": (await create_transaction(api, billed, transactionDate="2027-01-01"))["id"],
        "invoices": invoices[0]["id"],
    }


def _filled(described, ids: dict[str, str]) -> str:
    return described.filled(ids.get(described.path.split("/")[1], ""))


async def test_list_parameters_are_the_ones_the_handlers_accept(api):
    """The handlers name every parameter they take when refusing an unknown one."""
    document = await fetch_document(api)
    ids = await _billed_data(api)
    for described in operations(document):
        if described.operation.get("operationId", "").startswith("list_"):
            response = await api.rest("GET", _filled(described, ids), params={"zzz": "1"})
            body = await conforms(document, described, response)
            assert response.status == 400, (described.label, body)
            known = _KNOWN.search(body["error"]["message"]).group(1).split(", ")
            assert described.parameters(document, "query") == known, described.label


async def test_every_read_answers_what_the_document_says(api):
    document = await fetch_document(api)
    ids = await _billed_data(api)
    for described in operations(document):
        if described.method != "get" or described.path == "/openapi.json":
            continue
        path = _filled(described, ids)
        for spelling in (path, other_spelling(path)):
            response = await api.rest("GET", spelling)
            body = await conforms(document, described, response)
            assert response.status == 200, (spelling, body)
            assert body, f"{spelling} is empty: the test data should show every field"


async def test_every_write_answers_what_the_document_says(api):
    document = await fetch_document(api)
    ids = await _billed_data(api)
    customer = ids["customers"]
    valid = {
        "/billingRuns/": {"name": "Another"},
        "/billingRuns/{id}": {"name": "Renamed"},
        "/customers/": {"accountNumber": "NEW1", "name": "New"},
        "/customers/{id}": {"name": "Renamed"},
        "/calls/": [call_fields({"id": customer})],
        "/transactions/": transaction_fields({"id": customer}),
        "/transactions/{id}": {"description": "Changed"},
    }
    for described in operations(document):
        if described.method not in ("post", "patch", "put", "delete"):
            continue
        path = _filled(described, ids)
        response = await api.rest(described.method.upper(), path, json=valid.get(described.path))
        await conforms(document, described, response)
        assert response.status < 300, (described.label, await response.text())


async def test_every_refusal_is_a_documented_response(api):
    """Without a key, an unknown id, a bad parameter or body, a body too large, of the
    wrong type or with an unknown field: each answer is documented for its operation."""
    document = await fetch_document(api)
    ids = await _billed_data(api)
    too_large = b"x" * (SMALL_BODY_LIMIT + 1)
    json_type = {"Content-Type": "application/json"}
    for described in operations(document):
        if described.path == "/openapi.json":
            continue
        method, path = described.method.upper(), _filled(described, ids)
        refusals = [({}, 401)]
        if "{" in described.path:
            refusals.append(({"path": described.filled(999999999)}, 404))
            refusals.append(({"path": described.filled("x1")}, 404))
        if "requestBody" in described.operation:
            refusals += [
                ({"data": b"{", "headers": json_type}, 400),
                ({"data": too_large, "headers": json_type}, 413),
                ({"data": b"x", "headers": {"Content-Type": "text/plain"}}, 415),
                ({"json": {"unknownField": 1}}, 422),
            ]
        for kwargs, status in refusals:
            target = kwargs.pop("path", path)
            if status == 401:
                response = await api.client.request(method, API_PREFIX + target)
            else:
                response = await api.rest(method, target, **kwargs)
            assert response.status == status, (described.label, await response.text())
            await conforms(document, described, response)


async def test_every_conflict_is_a_documented_response(api):
    document = await fetch_document(api)
    ids = await _billed_data(api)
    by_label = {d.label: d for d in operations(document)}
    billed_run = f"/billingRuns/{ids['billingRuns']}"
    billed = await api.rest_json("GET", f"/invoices/{ids['invoices']}/transactions/")
    pending = await create_run(api, "Pending", **READY)
    requested = await create_run(api, "Requested", **READY)
    await request_bills(api, requested)
    second = await create_run(api, "Second", **READY)
    cases = [
        ("PATCH /billingRuns/{id}", billed_run, {"dueDate": "2030-01-01"}, "FIELD_LOCKED"),
        ("PUT /billingRuns/{id}", billed_run, {"dueDate": "2030-01-01"}, "FIELD_LOCKED"),
        (
            "PATCH /billingRuns/{id}",
            f"/billingRuns/{pending['id']}",
            {"status": "Complete"},
            "INVALID_TRANSITION",
        ),
        (
            "PATCH /billingRuns/{id}",
            f"/billingRuns/{second['id']}",
            {"status": "Requested"},
            "RUN_IN_PROGRESS",
        ),
        (
            "PATCH /customers/{id}",
            f"/customers/{ids['customers']}",
            {"accountNumber": "CHANGED"},
            "FIELD_LOCKED",
        ),
        (
            "PATCH /transactions/{id}",
            f"/transactions/{billed[0]['id']}",
            {"amount": "1.00"},
            "ALREADY_BILLED",
        ),
        ("DELETE /transactions/{id}", f"/transactions/{billed[0]['id']}", None, "ALREADY_BILLED"),
    ]
    for label, path, body, code in cases:
        described = by_label[label]
        response = await api.rest(described.method.upper(), path, json=body)
        found = await conforms(document, described, response)
        assert (response.status, found["error"]["code"]) == (409, code), (label, found)


async def test_a_request_the_http_layer_cannot_parse_is_a_documented_400(api):
    """aiohttp answers a request line over 8190 bytes itself, before any middleware: in
    plain text, without a request id. The document says so for every operation."""
    document = await fetch_document(api)
    ids = await _billed_data(api)
    for described in operations(document):
        too_long = _filled(described, ids) + "?x=" + "y" * 9000
        response = await api.rest(described.method.upper(), too_long)
        assert response.status == 400
        await conforms(document, described, response)


async def test_the_documents_examples_are_valid_and_accepted(api):
    """Each create's example matches its schema, and the server takes it as it stands
    (given a customer 1 and a Rental transaction type)."""
    document = await fetch_document(api)
    await add_preset(api, "transactionType", "Rental")
    await create_customer(api)
    examples = 0
    for described in operations(document):
        media = described.operation.get("requestBody", {}).get("content", {})
        example = media.get("application/json", {}).get("example")
        if example is None:
            continue
        schema = {**media["application/json"]["schema"], "components": document["components"]}
        jsonschema_rs.Draft202012Validator(schema, validate_formats=True).validate(example)
        response = await api.rest(described.method.upper(), described.path, json=example)
        assert response.status == 201, (described.label, await response.text())
        examples += 1
    assert examples == 4


def test_error_codes_agree_with_billing_errors():
    """The document's codes are billing.errors' (plus the ones the rest of the safety
    work adds, at the same statuses), and every operation-specific one is declared."""
    for code, status in HTTP_STATUS.items():
        assert errors.STATUS_OF[str(code)] == status
    for code, status in errors.SAFETY_CODES.items():
        if code in ErrorCode.__members__:
            assert HTTP_STATUS[ErrorCode(code)] == status, code
    declared = {str(code) for op in OPERATIONS.values() for code in op.conflicts}
    assert declared <= errors.SPECIFIC_CODES
