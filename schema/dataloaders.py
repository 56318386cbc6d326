"""Per-request DataLoaders: nested fields read in batches, so a query costs a fixed number
of SQL queries per level however long its lists are.

Each loader returns the API's objects, in the order of its keys. `get_context` makes a
fresh `Loaders` for every request, so nothing is cached from one request to the next.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from strawberry.dataloader import DataLoader

from billing import charges, customers, invoices, pages, runs
from schema.charges import Call, CallConnection, Transaction, TransactionConnection
from schema.customers import Customer
from schema.invoices import Invoice, InvoiceConnection, NotProducedInvoice
from schema.pagination import Connection, paginate
from schema.types import BillingRun

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


class BillingRunByIdLoader(NodeByIdLoader[runs.RunRecord, BillingRun]):
    def __init__(self) -> None:
        super().__init__(runs.get_runs, BillingRun.from_record)


class CustomerByIdLoader(NodeByIdLoader[customers.CustomerRecord, Customer]):
    def __init__(self) -> None:
        super().__init__(customers.get_customers, Customer.from_record)


class InvoiceByIdLoader(NodeByIdLoader[invoices.InvoiceRecord, Invoice]):
    def __init__(self) -> None:
        super().__init__(invoices.get_invoices, Invoice.from_record)


class CallByIdLoader(NodeByIdLoader[charges.CallRecord, Call]):
    def __init__(self) -> None:
        super().__init__(charges.get_calls, Call.from_record)


class TransactionByIdLoader(NodeByIdLoader[charges.TransactionRecord, Transaction]):
    def __init__(self) -> None:
        super().__init__(charges.get_transactions, Transaction.from_record)


class InvoicesByParentLoader(ChildrenByParentLoader[Invoice, InvoiceConnection]):
    def __init__(self, children: pages.ChildRows, invoice_by_id: InvoiceByIdLoader) -> None:
        super().__init__(children, invoice_by_id, InvoiceConnection)


class CallsByParentLoader(ChildrenByParentLoader[Call, CallConnection]):
    def __init__(self, children: pages.ChildRows, call_by_id: CallByIdLoader) -> None:
        super().__init__(children, call_by_id, CallConnection)


class TransactionsByParentLoader(ChildrenByParentLoader[Transaction, TransactionConnection]):
    def __init__(self, children: pages.ChildRows, transaction_by_id: TransactionByIdLoader) -> None:
        super().__init__(children, transaction_by_id, TransactionConnection)


class NotProducedByRunLoader(DataLoader[int, list[NotProducedInvoice]]):
    """Each run's not-produced lines, by customer id (as REST lists them)."""

    def __init__(self) -> None:
        super().__init__(load_fn=self._load)

    async def _load(self, run_ids: list[int]) -> list[list[NotProducedInvoice]]:
        found = await invoices.not_produced_by_run(run_ids)
        return [
            [
                NotProducedInvoice.from_record(line)
                for line in sorted(found[run_id], key=lambda line: line.customer_id)
            ]
            for run_id in run_ids
        ]


class Loaders:
    """Every loader of one request, named for what they give by which key. The page
    loaders read their nodes through the by-id loaders, so the two share one cache."""

    def __init__(self) -> None:
        self.billing_run_by_id = BillingRunByIdLoader()
        self.customer_by_id = CustomerByIdLoader()
        self.invoice_by_id = InvoiceByIdLoader()
        self.call_by_id = CallByIdLoader()
        self.transaction_by_id = TransactionByIdLoader()
        self.not_produced_by_run = NotProducedByRunLoader()
        self.invoices_by_run = InvoicesByParentLoader(pages.INVOICES_OF_RUN, self.invoice_by_id)
        self.invoices_by_customer = InvoicesByParentLoader(
            pages.INVOICES_OF_CUSTOMER, self.invoice_by_id
        )
        self.calls_by_invoice = CallsByParentLoader(pages.CALLS_OF_INVOICE, self.call_by_id)
        self.calls_by_customer = CallsByParentLoader(pages.CALLS_OF_CUSTOMER, self.call_by_id)
        self.transactions_by_invoice = TransactionsByParentLoader(
            pages.TRANSACTIONS_OF_INVOICE, self.transaction_by_id
        )
        self.transactions_by_customer = TransactionsByParentLoader(
            pages.TRANSACTIONS_OF_CUSTOMER, self.transaction_by_id
        )
