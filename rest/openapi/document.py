"""The OpenAPI 3.1 document of the REST shim, built from the app's own router.

Paths, methods and path parameters come from the routes themselves; each route (its
method and path) must be declared in rest.openapi.operations (its resource, filters,
conflicts and operationId), or the document refuses to build. Every GET route also answers HEAD, and
every path works with and without its trailing slash: the document writes each path
once, the way the contract does (`/billingRuns/`, `/billingRuns/{id}`).
"""

from __future__ import annotations

import re

from aiohttp import web

from api.paths import API_PREFIX
from billing.listing import PAGE_MAX
from billing.values import MAX_ID
from rest.listing import DEFAULT_LIMIT, LIST_PARAMS
from rest.openapi import errors
from rest.openapi import values as v
from rest.openapi.operations import Kind, Operation, operation_at
from rest.openapi.resources import RESOURCES, Resource, request_schema, response_schema
from rest.openapi.values import Schema

VERSION = "1.0.0"
_PATH_PARAMETER = re.compile(r"\{(\w+)\}")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")

#: Every query parameter a list handler knows, by name.
QUERY_PARAMETERS: dict[str, tuple[Schema, str]] = {
    "idAfter": (
        {"type": "integer", "minimum": 0, "maximum": MAX_ID},
        "Only items with a higher id.",
    ),
    "createdSince": (v.datetime_value(), "Only items created at or after this instant."),
    "updatedSince": (v.datetime_value(), "Only items changed at or after this instant."),
    "limit": (
        {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": DEFAULT_LIMIT},
        "Page size.",
    ),
    "offset": (
        {"type": "integer", "minimum": 0, "maximum": MAX_ID, "default": 0},
        "Items to skip.",
    ),
    "billed": ({"type": "boolean"}, "true: only billed charges; false: only unbilled ones."),
    "unbilled": ({"type": "boolean"}, "The opposite of `billed`."),
    "minDate": (v.date_value(), "Only calls that started on or after this day (UTC)."),
    "maxDate": (v.date_value(), "Only calls that started on or before this day (UTC)."),
}
#: Rules on parameters that a schema cannot state: breaking one is a 400 naming it.
QUERY_RULES = {
    "unbilled": "Giving both `billed` and `unbilled`, contradicting each other, is a 400."
}
IDEMPOTENCY_KEY: Schema = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes a retried POST safe: the first response is stored for 24 hours "
    "per API key and replayed (with `Idempotent-Replayed: true`) for the same key and "
    "body; the same key with another body is 422 IDEMPOTENCY_KEY_REUSED, and while the "
    "first request runs, 409 IDEMPOTENCY_KEY_IN_USE.",
    # Printable ASCII; spaces only inside (HTTP drops them around a header's value).
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": "^[\\x21-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?$",
    },
}
_REPLAYED = {
    "description": "`true` when this is the stored response to an earlier request with the "
    "same Idempotency-Key.",
    "required": False,
    "schema": {"type": "string", "const": "true"},
}
_REQUEST_ID = {"$ref": "#/components/headers/X-Request-Id"}
_INFO_DESCRIPTION = (
    "The REST shim over the billing-run API. Bodies are JSON; forms are accepted too (an "
    "empty value is null). Money is an exact JSON number. Every request needs "
    "`Authorization: Bearer <api key>` (this document excepted). Every path works with "
    "and without a trailing slash; every GET also answers HEAD; other methods are 405 "
    "with an `Allow` header. Errors have one body: "
    '`{"error": {"code", "message", "field"?, "details"?}}`.'
)


class UndocumentedRoute(LookupError):
    """A route (or a query parameter its handler takes) the document cannot describe."""


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _public_path(path: str, operation: Operation) -> str:
    bare = path.removeprefix(API_PREFIX).rstrip("/")
    return bare + "/" if operation.is_collection else bare


def _parameters(path: str, operation: Operation) -> list[Schema]:
    found: list[Schema] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": "An id; a non-numeric or unknown one is 404.",
            "schema": {"type": "string", "pattern": "^[0-9]{1,19}$"},
        }
        for name in _PATH_PARAMETER.findall(path)
    ]
    if operation.kind == Kind.LIST:
        for name in (*LIST_PARAMS, *operation.filters):
            if name not in QUERY_PARAMETERS:
                raise UndocumentedRoute(f"query parameter {name} of {path}")
            found.append({"$ref": f"#/components/parameters/{name}"})
    return found


def _query_parameters() -> Schema:
    parameters = {}
    for name, (schema, description) in QUERY_PARAMETERS.items():
        parameter: Schema = {"name": name, "in": "query", "required": False, "schema": schema}
        parameter["description"] = description
        if name in QUERY_RULES:
            parameter["description"] = f"{description} {QUERY_RULES[name]}"
            parameter["x-rule"] = QUERY_RULES[name]
        parameters[name] = parameter
    return parameters


def _success(operation: Operation, method: str) -> tuple[str, Schema]:
    resource = operation.resource
    assert resource is not None
    item = _ref(resource.name)
    status = "201" if operation.kind == Kind.CREATE else "200"
    if operation.kind == Kind.LIST:
        schema: Schema = {"type": "array", "items": item}
    elif operation.kind == Kind.CREATE and resource.many:
        schema = {"anyOf": [item, {"type": "array", "items": item}]}
    else:
        schema = item
    headers: Schema = {"X-Request-Id": _REQUEST_ID}
    if method == "post":
        headers["Idempotent-Replayed"] = _REPLAYED
    described = {
        Kind.LIST: "The page, a bare JSON array.",
        Kind.GET: "The item.",
        Kind.CREATE: "Created: the new item (an array when an array was sent).",
        Kind.UPDATE: "The item as changed.",
        Kind.DELETE: "Deleted: the item as it was.",
    }[operation.kind]
    response = {
        "description": described,
        "headers": headers,
        "content": {"application/json": {"schema": schema}},
    }
    return status, response


def _error_statuses(path: str, operation: Operation, method: str) -> dict[int, list[str]]:
    """Each error status the operation can answer, with its operation-specific codes."""
    writes = method in ("post", "patch", "put", "delete")
    statuses: dict[int, list[str]] = {}
    if operation.kind == Kind.LIST or operation.reads_body:
        statuses[400] = []
    statuses[401] = []
    if writes:
        statuses[403] = []
    if "{" in path:
        statuses[404] = []
    conflicts = [*operation.conflicts] + (["IDEMPOTENCY_KEY_IN_USE"] if method == "post" else [])
    if conflicts:
        statuses[409] = conflicts
    if operation.reads_body:
        statuses[413] = []
        statuses[415] = []
        statuses[422] = ["IDEMPOTENCY_KEY_REUSED"] if method == "post" else []
    statuses |= {429: [], 500: [], 503: []}
    return statuses


def _request_body(resource: Resource, *, creating: bool) -> Schema:
    name = resource.name + ("Create" if creating else "Update")
    json = _ref(name)
    if creating and resource.many:
        json = {"anyOf": [json, {"type": "array", "items": json}]}
    content: Schema = {"application/json": {"schema": json}}
    if creating and resource.example is not None:
        content["application/json"]["example"] = dict(resource.example)
    content |= {form: {"schema": _ref(name + "Form")} for form in _FORMS}
    return {"required": creating, "content": content}


def operation_object(path: str, method: str, operation: Operation, shared: Schema) -> Schema:
    """One operation: parameters, body and every response it can give (error responses
    go into `shared`, the document's components/responses, and are referred to)."""
    # PUT is PATCH's twin (a partial update too): operation ids must differ.
    described: Schema = {
        "operationId": operation.name + ("_put" if method == "put" else ""),
        "summary": operation.summary,
    }
    if operation.description:
        described["description"] = operation.description
    if operation.resource is not None:
        described["tags"] = [operation.resource.name]
    parameters = _parameters(path, operation)
    if method == "post":
        parameters.append({"$ref": "#/components/parameters/Idempotency-Key"})
    if parameters:
        described["parameters"] = parameters
    if operation.reads_body:
        assert operation.resource is not None
        described["requestBody"] = _request_body(
            operation.resource, creating=operation.kind == Kind.CREATE
        )
    responses: Schema = {}
    if operation.kind == Kind.DOCUMENT:
        responses["200"] = {
            "description": "This document.",
            "headers": {"X-Request-Id": _REQUEST_ID},
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
        described["security"] = []
        statuses: dict[int, list[str]] = {429: [], 500: [], 503: []}
    else:
        status, success = _success(operation, method)
        responses[status] = success
        statuses = _error_statuses(path, operation, method)
    for error_status, codes in statuses.items():
        name, response = errors.error_response(error_status, codes)
        shared[name] = response
        responses[str(error_status)] = {"$ref": f"#/components/responses/{name}"}
    if "400" not in responses:  # the HTTP layer's own refusal, which any request can get
        shared["Unparsable400"] = errors.UNPARSABLE_RESPONSE
        responses["400"] = {"$ref": "#/components/responses/Unparsable400"}
    described["responses"] = dict(sorted(responses.items()))
    return described


def _paths(app: web.Application, shared: Schema) -> dict[str, dict[str, Schema]]:
    routes = [
        route
        for route in app.router.routes()
        if route.resource is not None and route.resource.canonical.startswith(API_PREFIX)
    ]
    with_get = {route.resource for route in routes if route.method == "GET"}
    paths: dict[str, dict[str, Schema]] = {}
    for route in routes:
        assert route.resource is not None  # kept above only with a resource
        if route.method == "OPTIONS":
            continue  # CORS preflights, answered without a key (see the CORS settings)
        if route.method == "HEAD" and route.resource in with_get:
            continue  # aiohttp answers HEAD for every GET route
        operation = operation_at(route.method, route.resource.canonical)
        if operation is None:
            raise UndocumentedRoute(f"{route.method} {route.resource.canonical}")
        path = _public_path(route.resource.canonical, operation)
        method = route.method.lower()
        described = operation_object(path, method, operation, shared)
        paths.setdefault(path, {})[method] = described
    return dict(sorted(paths.items()))


def _links(paths: dict[str, dict[str, Schema]]) -> None:
    """Link each create to the operations on the item it made (for clients and fuzzers)."""
    for path, methods in paths.items():
        created = methods.get("post", {}).get("responses", {}).get("201")
        if created is None or "anyOf" in created["content"]["application/json"]["schema"]:
            continue
        links = {}
        for other_path, other in paths.items():
            if not other_path.startswith(path + "{id}"):
                continue
            for described in other.values():
                links[described["operationId"]] = {
                    "operationId": described["operationId"],
                    "parameters": {"id": "$response.body#/id"},
                }
        if links:
            created["links"] = links


def components(responses: Schema) -> Schema:
    schemas: Schema = {"FieldError": errors.FIELD_ERROR}
    for resource in RESOURCES:
        schemas[resource.name] = response_schema(resource)
        if resource.writable_names():
            for creating, suffix in ((True, "Create"), (False, "Update")):
                for form in (False, True):
                    name = resource.name + suffix + ("Form" if form else "")
                    schemas[name] = request_schema(resource, creating=creating, form=form)
    return {
        "schemas": schemas,
        "parameters": _query_parameters() | {"Idempotency-Key": IDEMPOTENCY_KEY},
        "headers": {"X-Request-Id": errors.REQUEST_ID_HEADER},
        "responses": dict(sorted(responses.items())),
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "An API key: `python server.py create-api-key NAME` prints one.",
            }
        },
    }


def build_document(app: web.Application) -> Schema:
    """The OpenAPI 3.1 document for the app's REST routes; UndocumentedRoute if a route
    (its method and path) is not described."""
    responses: Schema = {}
    paths = _paths(app, responses)
    _links(paths)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Billing runs REST API",
            "version": VERSION,
            "description": _INFO_DESCRIPTION,
        },
        "servers": [{"url": API_PREFIX}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": components(responses),
    }
