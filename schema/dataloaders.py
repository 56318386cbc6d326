"""Every DataLoader of one request: nested fields read in batches, so a query costs a
fixed number of SQL queries per level however long its lists are.

Each loader returns the API's objects, in the order of its keys. `get_context` makes a
fresh `Loaders` for every request, so nothing is cached from one request to the next.
"""

from __future__ import annotations

from billing import charges, customers, invoices, pages, runs
from schema.charges.types import Call, CallConnection, Transaction, TransactionConnection
from schema.core.dataloaders import ChildrenByParentLoader, NodeByIdLoader
from schema.customers.types import Customer
from schema.invoices.dataloaders import NotProducedByRunLoader
from schema.invoices.types import Invoice, InvoiceConnection
from schema.runs.types import BillingRun


class Loaders:
    """Every loader of one request, named for what they give by which key. The page
    loaders read their nodes through the by-id loaders, so the two share one cache."""

    def __init__(self) -> None:
        self.billing_run_by_id = NodeByIdLoader(runs.get_runs, BillingRun.from_record)
        self.customer_by_id = NodeByIdLoader(customers.get_customers, Customer.from_record)
        self.invoice_by_id = NodeByIdLoader(invoices.get_invoices, Invoice.from_record)
        self.call_by_id = NodeByIdLoader(charges.get_calls, Call.from_record)
        self.transaction_by_id = NodeByIdLoader(charges.get_transactions, Transaction.from_record)
        self.not_produced_by_run = NotProducedByRunLoader()
        self.invoices_by_run = self._invoices(pages.INVOICES_OF_RUN)
        self.invoices_by_customer = self._invoices(pages.INVOICES_OF_CUSTOMER)
        self.calls_by_invoice = self._calls(pages.CALLS_OF_INVOICE)
        self.calls_by_customer = self._calls(pages.CALLS_OF_CUSTOMER)
        self.transactions_by_invoice = self._transactions(pages.TRANSACTIONS_OF_INVOICE)
        self.transactions_by_customer = self._transactions(pages.TRANSACTIONS_OF_CUSTOMER)

    def _invoices(
        self, children: pages.ChildRows
    ) -> ChildrenByParentLoader[Invoice, InvoiceConnection]:
        return ChildrenByParentLoader(children, self.invoice_by_id, InvoiceConnection)

    def _calls(self, children: pages.ChildRows) -> ChildrenByParentLoader[Call, CallConnection]:
        return ChildrenByParentLoader(children, self.call_by_id, CallConnection)

    def _transactions(
        self, children: pages.ChildRows
    ) -> ChildrenByParentLoader[Transaction, TransactionConnection]:
        return ChildrenByParentLoader(children, self.transaction_by_id, TransactionConnection)
