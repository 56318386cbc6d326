"""Declared fields: a node by id, a page of a list, a nested page and a referenced node.

Each is one resolver here, given its GraphQL types through its signature (which is
what strawberry reads), so a resource declares what it reads rather than how.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import strawberry

from billing.errors import BillingError
from billing.listing import ListFilter
from schema.core.context import Info
from schema.core.dataloaders import ChildrenByParentLoader, NodeByIdLoader
from schema.core.nodes import FromRecord
from schema.core.pagination import (
    After,
    Connection,
    CreatedSince,
    First,
    IdAfter,
    UpdatedSince,
    list_filter,
    paginate,
)

#: Reads up to `limit` records matching the filters (and the list's own arguments).
ListRecords = Callable[..., Awaitable[Sequence[Any]]]


def _declare(resolve: Callable[..., Any], description: str, returns: Any, **types: Any) -> Any:
    """A field resolved by `resolve`, returning `returns`; `types` are the annotations of
    arguments it takes by name, or of extra keyword-only ones it takes in `**kwargs`."""
    signature = inspect.signature(resolve)
    parameters = [
        parameter.replace(annotation=types.pop(parameter.name, parameter.annotation))
        for parameter in signature.parameters.values()
        if parameter.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    parameters += [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=None)
        for name, kind in types.items()
    ]
    resolve.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=parameters, return_annotation=returns
    )
    return strawberry.field(resolver=resolve, description=description)


def node_field(
    node: type[FromRecord],
    get: Callable[[strawberry.ID], Awaitable[Any]],
    id_argument: Any,
    noun: str,
) -> Any:
    """The node `get` reads by the id a client names (the argument `id`, declared by
    `id_argument`), or null if there is none."""

    async def resolve(id: strawberry.ID) -> Any:
        try:
            return node.from_record(await get(id))
        except BillingError:
            return None

    description = f"The {noun} with this id, or null if there is none."
    return _declare(resolve, description, node | None, id=id_argument)


@dataclass(frozen=True)
class ListArgument:
    """An argument a list takes besides the shared ones: `read` makes its value, which
    the list's read and count functions are given by the same name."""

    annotation: Any
    read: Callable[[Any], Any] = lambda value: value


def connection_field(
    connection: type[Connection[Any]],
    list_records: ListRecords,
    count: Callable[..., Awaitable[int]],
    plural: str,
    *,
    note: str = "",
    **arguments: ListArgument,
) -> Any:
    """A page of `plural` in id order, filtered by the shared arguments and `arguments`
    (each passed to `list_records` and `count` by name); `note` ends the description."""
    # The node type the connection is a page of: `CustomerConnection(Connection[Customer])`.
    node: type[FromRecord] = typing.get_args(connection.__orig_bases__[0])[0]  # type: ignore[attr-defined]

    async def resolve(
        id_after: IdAfter = None,
        created_since: CreatedSince = None,
        updated_since: UpdatedSince = None,
        first: First = 100,
        after: After = None,
        **given: Any,
    ) -> Any:
        filters = list_filter(id_after, created_since, updated_since)
        extra = {name: argument.read(given.get(name)) for name, argument in arguments.items()}

        async def fetch(page_filters: ListFilter, limit: int) -> list[Any]:
            return node.from_records(await list_records(page_filters, limit, **extra))

        return await paginate(
            connection, first, after, fetch, lambda: count(filters, **extra), filters
        )

    description = f"{plural} in id order, filtered (filters combine with AND)."
    if note:
        description += " " + note
    types = {name: argument.annotation for name, argument in arguments.items()}
    return _declare(resolve, description, connection, **types)


def page_field(connection: Any, loader: str, what: str) -> Any:
    """A page of `what` (a node's children, such as a customer's invoices) in id order,
    read through the request's loader of that name. `connection` may be lazy."""

    async def resolve(root: Any, info: Info, first: First = 100, after: After = None) -> Any:
        pages: ChildrenByParentLoader[Any, Any] = getattr(info.context.loaders, loader)
        return await pages.page(int(root.id), first, after)

    return _declare(resolve, f"{what}, in id order.", connection)


def reference_field(
    node: type[FromRecord], key: str, loader: str, description: str, *, optional: bool = False
) -> Any:
    """The node this one's foreign key `key` names, read through the request's by-id
    loader of that name; null for a null key if `optional`."""

    async def resolve(root: Any, info: Info) -> Any:
        ident = getattr(root, key)
        by_id: NodeByIdLoader[Any, Any] = getattr(info.context.loaders, loader)
        if not optional:
            return await by_id.load_referenced(int(ident))
        return None if ident is None else await by_id.load(int(ident))

    return _declare(resolve, description, node | None if optional else node)
