"""Declaring the shim's routes: each path with and without its trailing slash, and the
handlers resources share (a page of a list, one record, a create, an update) made
from the `billing` action and the render function they call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from aiohttp import web

from api.responses import json_response
from rest.bodies import read_object
from rest.listing import read_page

R = TypeVar("R")
Handler = Callable[[web.Request], Awaitable[web.Response]]
#: Answers a list request, narrowed to a parent when one is named (`customer_id=7`).
ListAnswer = Callable[..., Awaitable[web.Response]]
Render = Callable[[R], dict[str, Any]]


class Identified(Protocol):
    @property
    def id(self) -> int: ...


def on(routes: web.RouteTableDef, *methods: str, path: str) -> Callable[[Handler], Handler]:
    """Register the decorated handler for each of `methods` at `path` and `path/`."""

    def register(handler: Handler) -> Handler:
        for method in methods:
            for each in (path, path + "/"):
                routes.route(method, each)(handler)
        return handler

    return register


def page_answer(list_page: Callable[..., Awaitable[Sequence[R]]], render: Render[R]) -> ListAnswer:
    """Answer a list with the page `list_page(filters, limit, offset, **parent)` finds."""

    async def answer(request: web.Request, **parent: int) -> web.Response:
        page = read_page(request.query)
        found = await list_page(page.filters, page.limit, page.offset, **parent)
        return json_response([render(record) for record in found])

    return answer


def lists(routes: web.RouteTableDef, path: str, answer: ListAnswer) -> None:
    """GET `path`: the whole list."""
    on(routes, "GET", path=path)(answer)


def nested_lists(
    routes: web.RouteTableDef,
    path: str,
    parent: Callable[[object], Awaitable[Identified]],
    key: str,
    answer: ListAnswer,
) -> None:
    """GET `path`, whose `{id}` names a parent: the list narrowed to it (`key=parent.id`);
    NOT_FOUND for an unknown parent."""

    @on(routes, "GET", path=path)
    async def handler(request: web.Request) -> web.Response:
        found = await parent(request.match_info["id"])
        return await answer(request, **{key: found.id})


def reads(
    routes: web.RouteTableDef, base: str, get: Callable[[object], Awaitable[R]], render: Render[R]
) -> None:
    """GET `base/{id}`: one record."""

    @on(routes, "GET", path=base + "/{id}")
    async def handler(request: web.Request) -> web.Response:
        return json_response(render(await get(request.match_info["id"])))


def creates(
    routes: web.RouteTableDef,
    base: str,
    create: Callable[[Mapping[str, Any]], Awaitable[R]],
    render: Render[R],
) -> None:
    """POST `base`: 201 with the record made from the body."""

    @on(routes, "POST", path=base)
    async def handler(request: web.Request) -> web.Response:
        return json_response(render(await create(await read_object(request))), status=201)


def updates(
    routes: web.RouteTableDef,
    base: str,
    update: Callable[[object, Mapping[str, Any]], Awaitable[R]],
    render: Render[R],
) -> None:
    """PATCH or PUT `base/{id}` (both partial): the record after the update."""

    @on(routes, "PATCH", "PUT", path=base + "/{id}")
    async def handler(request: web.Request) -> web.Response:
        updated = await update(request.match_info["id"], await read_object(request))
        return json_response(render(updated))
