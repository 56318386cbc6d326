"""The first page of child rows under many parents at once, and the children's counts.

Nested GraphQL lists (a page of runs, each with its first invoices) read every parent's
page in one query, whatever the number of parents: `ROW_NUMBER()` over each parent's
rows (both databases have window functions) picks the first `limit` ids of each. The
rows themselves are then read by id through their resource's own batch read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from billing.sql import Sql, marks
from billing.tables import batches


@dataclass(frozen=True)
class ChildRows:
    """A table's rows listed under a parent, through the column holding the parent's id.

    Only the constants below exist: their names go into SQL, never a client's text.
    """

    table: str
    parent_column: str


INVOICES_OF_RUN = ChildRows("invoice", "billing_run_id")
INVOICES_OF_CUSTOMER = ChildRows("invoice", "customer_id")
CALLS_OF_INVOICE = ChildRows("call", "invoice_id")
CALLS_OF_CUSTOMER = ChildRows("call", "customer_id")
TRANSACTIONS_OF_INVOICE = ChildRows("charge_transaction", "invoice_id")
TRANSACTIONS_OF_CUSTOMER = ChildRows("charge_transaction", "customer_id")


async def first_child_ids(
    children: ChildRows, parent_ids: Iterable[int], limit: int, after_id: int | None = None
) -> dict[int, list[int]]:
    """Each parent's first `limit` child ids above `after_id`, in id order (an empty list
    for a parent with none)."""
    wanted = sorted(set(parent_ids))
    found: dict[int, list[int]] = {parent: [] for parent in wanted}
    column = children.parent_column
    after = "" if after_id is None else " AND id > ?"
    sql = Sql()
    for batch in batches(wanted):
        rows = await sql.rows(
            f"SELECT id, parent FROM (SELECT id, {column} AS parent, ROW_NUMBER() OVER "
            f"(PARTITION BY {column} ORDER BY id) AS position FROM {children.table} "
            f"WHERE {column} IN ({marks(len(batch))}){after}) ranked "
            "WHERE position <= ? ORDER BY id",
            *batch,
            *([] if after_id is None else [after_id]),
            limit,
        )
        for row in rows:
            found[row["parent"]].append(row["id"])
    return found


async def count_children(children: ChildRows, parent_ids: Iterable[int]) -> dict[int, int]:
    """How many children each parent has (0 for a parent with none)."""
    wanted = sorted(set(parent_ids))
    counts = dict.fromkeys(wanted, 0)
    column = children.parent_column
    sql = Sql()
    for batch in batches(wanted):
        rows = await sql.rows(
            f"SELECT {column} AS parent, COUNT(*) AS n FROM {children.table} "
            f"WHERE {column} IN ({marks(len(batch))}) GROUP BY {column}",
            *batch,
        )
        counts.update((row["parent"], int(row["n"])) for row in rows)
    return counts
