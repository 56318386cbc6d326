"""What each REST handler does, as the OpenAPI document describes it.

Keyed by the handler function itself: the document walks the app's router, and a route
whose handler is missing here cannot be described (the document refuses to build, and
the tests fail). List filters are the handlers' own tuples (`charges.CALL_PARAMS`, ...),
the same ones `read_page` checks a request's parameters against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from billing.errors import ErrorCode
from rest import billing_runs, charges, customers, invoices
from rest.openapi.resources import (
    BILLING_RUN,
    CALL,
    CUSTOMER,
    INVOICE,
    NOT_PRODUCED,
    TRANSACTION,
    Resource,
)


class Kind(StrEnum):
    LIST = "list"
    GET = "get"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Operation:
    summary: str
    kind: Kind
    resource: Resource | None = None
    #: Query parameters beyond rest.listing.LIST_PARAMS (the handler's own tuple).
    filters: tuple[str, ...] = ()
    #: The 409 codes the action may answer (beyond the idempotency ones on POST).
    conflicts: tuple[str, ...] = ()
    description: str = ""

    @property
    def is_collection(self) -> bool:
        """Whether the contract writes its path with a trailing slash (lists, creates)."""
        return self.kind in (Kind.LIST, Kind.CREATE)

    @property
    def reads_body(self) -> bool:
        return self.kind in (Kind.CREATE, Kind.UPDATE)


Handler = Callable[..., object]

_RUN_CONFLICTS = (ErrorCode.FIELD_LOCKED, ErrorCode.INVALID_TRANSITION, ErrorCode.RUN_IN_PROGRESS)
_BILLED = (ErrorCode.ALREADY_BILLED,)

OPERATIONS: dict[Handler, Operation] = {
    billing_runs.list_billing_runs: Operation(
        "List billing runs, by id ascending", Kind.LIST, BILLING_RUN
    ),
    billing_runs.get_billing_run: Operation("Get a billing run", Kind.GET, BILLING_RUN),
    billing_runs.create_billing_run: Operation(
        "Create a billing run (it starts Pending)",
        Kind.CREATE,
        BILLING_RUN,
        description="`name` is required; `dueDate` may not be before `invoiceDate`; "
        "`subrun` and `invoiceMessage` are preset names (422 lists the valid ones).",
    ),
    billing_runs.update_billing_run: Operation(
        "Change a billing run, or request its bills with `status: Requested`",
        Kind.UPDATE,
        BILLING_RUN,
        conflicts=tuple(_RUN_CONFLICTS),
        description="A partial update (PUT too). Once a run has left Pending its dates, "
        "`subrun` and `invoiceMessage` are locked (409 FIELD_LOCKED); Pending -> Requested "
        "is the one status change a client makes (409 INVALID_TRANSITION otherwise; "
        "409 RUN_IN_PROGRESS while another run of its subrun is Requested or Running).",
    ),
    customers.list_customers: Operation("List customers, by id ascending", Kind.LIST, CUSTOMER),
    customers.get_customer: Operation("Get a customer", Kind.GET, CUSTOMER),
    customers.create_customer: Operation(
        "Create a customer",
        Kind.CREATE,
        CUSTOMER,
        description="`accountNumber` must be unused (422 otherwise).",
    ),
    customers.update_customer: Operation(
        "Change a customer",
        Kind.UPDATE,
        CUSTOMER,
        conflicts=(ErrorCode.FIELD_LOCKED,),
        description="A partial update (PUT too). `accountNumber` cannot change once the "
        "customer has an invoice (409 FIELD_LOCKED).",
    ),
    charges.list_calls: Operation(
        "List calls, by id ascending", Kind.LIST, CALL, filters=charges.CALL_PARAMS
    ),
    charges.list_customer_calls: Operation(
        "List a customer's calls", Kind.LIST, CALL, filters=charges.CALL_PARAMS
    ),
    charges.list_invoice_calls: Operation(
        "List the calls an invoice billed", Kind.LIST, CALL, filters=charges.CALL_PARAMS
    ),
    charges.get_call: Operation("Get a call", Kind.GET, CALL),
    charges.create_calls: Operation(
        "Add one call, or an array of calls (all or nothing)",
        Kind.CREATE,
        CALL,
        description="`customerId` must name a customer. Errors in an array name the "
        "item: `[3].charge`.",
    ),
    charges.list_transactions: Operation(
        "List transactions, by id ascending",
        Kind.LIST,
        TRANSACTION,
        filters=charges.TRANSACTION_PARAMS,
    ),
    charges.list_customer_transactions: Operation(
        "List a customer's transactions",
        Kind.LIST,
        TRANSACTION,
        filters=charges.TRANSACTION_PARAMS,
    ),
    charges.list_invoice_transactions: Operation(
        "List the transactions an invoice billed",
        Kind.LIST,
        TRANSACTION,
        filters=charges.TRANSACTION_PARAMS,
    ),
    charges.get_transaction: Operation("Get a transaction", Kind.GET, TRANSACTION),
    charges.create_transactions: Operation(
        "Add one transaction, or an array of them (all or nothing)",
        Kind.CREATE,
        TRANSACTION,
        description="`customerId` must name a customer and `transactionType` a "
        "transactionType preset. Errors in an array name the item: `[3].amount`.",
    ),
    charges.update_transaction: Operation(
        "Change an unbilled transaction",
        Kind.UPDATE,
        TRANSACTION,
        conflicts=_BILLED,
        description="A partial update (PUT too); 409 ALREADY_BILLED once it is billed.",
    ),
    charges.delete_transaction: Operation(
        "Delete an unbilled transaction; answers it as it was",
        Kind.DELETE,
        TRANSACTION,
        conflicts=_BILLED,
    ),
    invoices.list_invoices: Operation("List invoices, by id ascending", Kind.LIST, INVOICE),
    invoices.get_invoice: Operation("Get an invoice", Kind.GET, INVOICE),
    invoices.list_run_invoices: Operation(
        "List the invoices a billing run produced", Kind.LIST, INVOICE
    ),
    invoices.list_customer_invoices: Operation("List a customer's invoices", Kind.LIST, INVOICE),
    invoices.list_not_produced: Operation(
        "List the customers a billing run did not invoice, and why",
        Kind.LIST,
        NOT_PRODUCED,
    ),
}


def describe(handler: Handler, operation: Operation) -> None:
    """Declare another handler's operation (the document's own route uses this)."""
    OPERATIONS[handler] = operation
