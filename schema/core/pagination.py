"""Connections: pages in id order with opaque cursors, one implementation for every list.

A connection type is `Connection[Node]` subclassed under its own name (`CustomerConnection`)
with the prefix its cursors carry, so a cursor of one list is refused by another. The
list arguments every top-level connection takes are the aliases below.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, ClassVar, Generic, Protocol, TypeVar

import strawberry

from billing.errors import BillingError
from billing.listing import PAGE_MAX, ListFilter, build_filter
from billing.values import parse_id
from schema.core.errors import BadUserInput


class Node(Protocol):
    id: strawberry.ID


N = TypeVar("N", bound=Node)
C = TypeVar("C", bound="Connection")  # type: ignore[type-arg]
NO_FILTERS = ListFilter()
#: Reads up to `limit` nodes matching the filters, in id order.
Fetch = Callable[[ListFilter, int], Awaitable[Sequence[N]]]

IdAfter = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Only items with a higher id (a number or numeric string)."),
]
CreatedSince = Annotated[
    datetime.datetime | None,
    strawberry.argument(description="Only items created at or after this instant."),
]
UpdatedSince = Annotated[
    datetime.datetime | None,
    strawberry.argument(description="Only items updated at or after this instant."),
]
First = Annotated[int, strawberry.argument(description=f"Page size, 0 to {PAGE_MAX}.")]
After = Annotated[
    str | None, strawberry.argument(description="A cursor: continue after that item.")
]


@strawberry.type(description="Where a page stands in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item (null for an empty page)."
    )


@strawberry.type(description="One item in a page, with the cursor that points at it.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="Pass as `after` to continue after this item.")
    node: N = strawberry.field(description="The item.")


@strawberry.type(description="A page of items in id order.")
class Connection(Generic[N]):
    #: What this list's cursors start with, e.g. "billingRun".
    cursor_kind: ClassVar[str]

    edges: list[Edge[N]] = strawberry.field(description="The page's items with cursors.")
    nodes: list[N] = strawberry.field(description="The page's items.")
    page_info: PageInfo = strawberry.field(description="Whether more items follow.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items match the filters, whatever first/after are.")
    async def total_count(self) -> int:
        return await self.count()


def encode_cursor(kind: str, ident: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{ident}".encode()).decode()


def decode_cursor(kind: str, cursor: str) -> int:
    """The id a cursor of this kind points at; BAD_USER_INPUT for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    prefix = f"{kind}:"
    try:
        if not text.startswith(prefix):
            raise ValueError
        # A 64-bit id of ASCII digits only (isdigit() also takes "²", which int() refuses).
        return parse_id(text.removeprefix(prefix))
    except ValueError:
        raise BadUserInput("after is not a cursor this API gave out", "after") from None


def list_filter(
    id_after: strawberry.ID | None,
    created_since: datetime.datetime | None,
    updated_since: datetime.datetime | None,
) -> ListFilter:
    """The shared list filters; BAD_USER_INPUT naming a bad one."""
    try:
        return build_filter(id_after, created_since, updated_since)
    except BillingError as exc:
        raise BadUserInput(exc.message, exc.field) from None


async def paginate(
    connection: type[C],
    first: int,
    after: str | None,
    fetch: Fetch[N],
    count: Callable[[], Awaitable[int]],
    filters: ListFilter = NO_FILTERS,
) -> C:
    """One page of `first` nodes after the cursor `after`, among those `filters` match.

    `count` gives totalCount, and runs only when a client selects it.
    """
    if not 0 <= first <= PAGE_MAX:
        raise BadUserInput(f"first must be between 0 and {PAGE_MAX}", "first")
    page_filters = filters
    if after is not None:
        after_id = decode_cursor(connection.cursor_kind, after)
        # A cursor before `idAfter` must not widen the filter.
        if filters.id_after is None or after_id > filters.id_after:
            page_filters = dataclasses.replace(filters, id_after=after_id)
    found = await fetch(page_filters, first + 1) if first else []
    nodes = list(found[:first])
    edges = [
        Edge(cursor=encode_cursor(connection.cursor_kind, int(node.id)), node=node)
        for node in nodes
    ]
    has_next = len(found) > first if first else bool(await fetch(page_filters, 1))
    return connection(
        edges=edges,
        nodes=nodes,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
        count=count,
    )
