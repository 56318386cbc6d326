"""The DataLoader kinds nested fields read through: nodes by id, and pages of each
parent's children, each returning the API's objects in the order of its keys.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from strawberry.dataloader import DataLoader

from billing import pages
from schema.core.pagination import Connection, paginate

R = TypeVar("R")
N = TypeVar("N")
C = TypeVar("C", bound=Connection)  # type: ignore[type-arg]


class NodeByIdLoader(DataLoader[int, N | None], Generic[R, N]):
    """Nodes by id: one query per batch; None for an id with no row."""

    def __init__(
        self, read: Callable[[list[int]], Awaitable[Mapping[int, R]]], node: Callable[[R], N]
    ) -> None:
        super().__init__(load_fn=self._load)
        self._read = read
        self._node = node

    async def _load(self, ids: list[int]) -> list[N | None]:
        found = await self._read(ids)
        return [self._node(found[ident]) if ident in found else None for ident in ids]

    async def load_referenced(self, ident: int) -> N:
        """The node a foreign key names (so there is one)."""
        node = await self.load(ident)
        if node is None:
            raise LookupError(f"id {ident} is named by a foreign key but has no row")
        return node


@dataclass(frozen=True)
class ChildPageKey:
    """One parent's page: up to `limit` children with an id above `after_id`."""

    parent_id: int
    after_id: int | None
    limit: int


class ChildrenByParentLoader(DataLoader[ChildPageKey, list[N]], Generic[N, C]):
    """Pages of each parent's children (a run's invoices, an invoice's calls) in id order:
    one query for the ids of every parent's page, then the nodes through `nodes`."""

    def __init__(
        self,
        children: pages.ChildRows,
        nodes: NodeByIdLoader[R, N],
        connection: type[C],
    ) -> None:
        super().__init__(load_fn=self._load)
        self.children = children
        self.nodes = nodes
        self.connection = connection
        self.counts: DataLoader[int, int] = DataLoader(load_fn=self._count)

    async def page(self, parent_id: int, first: int, after: str | None) -> C:
        """One parent's children as a connection (totalCount read only when selected)."""
        return await paginate(
            self.connection,
            first,
            after,
            lambda filters, limit: self.load(ChildPageKey(parent_id, filters.id_after, limit)),
            lambda: self.counts.load(parent_id),
        )

    async def _load(self, keys: list[ChildPageKey]) -> list[list[N]]:
        # The keys of one nested field share `after` and `limit`: one query serves them all.
        pages_of: dict[tuple[int | None, int], list[int]] = {}
        for key in keys:
            pages_of.setdefault((key.after_id, key.limit), []).append(key.parent_id)
        child_ids: dict[ChildPageKey, list[int]] = {}
        for (after_id, limit), parent_ids in pages_of.items():
            found = await pages.first_child_ids(self.children, parent_ids, limit, after_id)
            child_ids.update(
                (ChildPageKey(parent_id, after_id, limit), ids) for parent_id, ids in found.items()
            )
        wanted = [ident for key in keys for ident in child_ids[key]]
        nodes = dict(zip(wanted, await self.nodes.load_many(wanted), strict=True))
        # A child deleted between the two reads is left out.
        return [[node for i in child_ids[key] if (node := nodes[i]) is not None] for key in keys]

    async def _count(self, parent_ids: list[int]) -> list[int]:
        counts = await pages.count_children(self.children, parent_ids)
        return [counts[parent_id] for parent_id in parent_ids]
