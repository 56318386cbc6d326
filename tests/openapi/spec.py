"""Reading the served OpenAPI document in tests: its operations, and checking a real
response against what the document says that operation answers with that status."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
from aiohttp import ClientResponse

from api.paths import OPENAPI_PATH

Document = dict[str, Any]
_PATH_PARAMETER = re.compile(r"\{(\w+)\}")


async def fetch_document(api: Any) -> Document:
    response = await api.client.get(OPENAPI_PATH)
    assert response.status == 200, await response.text()
    return await response.json()


def resolve(document: Document, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


@dataclass(frozen=True)
class Described:
    path: str
    method: str
    operation: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def parameters(self, document: Document, where: str) -> list[str]:
        found = [resolve(document, p) for p in self.operation.get("parameters", [])]
        return [p["name"] for p in found if p["in"] == where]

    def filled(self, ident: object) -> str:
        """The path with every parameter set to `ident`."""
        return _PATH_PARAMETER.sub(str(ident), self.path)


def operations(document: Document) -> Iterator[Described]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield Described(path, method, operation)


def other_spelling(path: str) -> str:
    """The same path with its trailing slash added or removed."""
    return path.rstrip("/") if path.endswith("/") else path + "/"


async def conforms(
    document: Document, described: Described, response: ClientResponse
) -> dict[str, Any] | list[Any]:
    """Assert the response's status, headers and body are what the document gives for
    this operation; return the body."""
    text = await response.text()
    responses = described.operation["responses"]
    status = str(response.status)
    assert status in responses, f"{described.label} answered {status}, undocumented: {text}"
    documented = resolve(document, responses[status])
    for name, header in documented.get("headers", {}).items():
        header = resolve(document, header)
        if header.get("required"):
            assert name in response.headers, f"{described.label} {status} lacks {name}"
    content = documented["content"]
    assert response.content_type in content, f"{described.label}: {response.content_type}"
    schema = content[response.content_type]["schema"]
    validator = jsonschema_rs.Draft202012Validator(
        {**schema, "components": document["components"]}, validate_formats=True
    )
    body = text if response.content_type == "text/plain" else json.loads(text)
    problems = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(body)]
    assert not problems, f"{described.label} {status}: {problems} in {text}"
    return body
