"""The loader of the lines of customers each run did not invoice."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from billing import invoices
from schema.invoices.types import NotProducedInvoice


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
