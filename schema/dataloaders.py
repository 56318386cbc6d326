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
