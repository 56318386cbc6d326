"""What each REST route does, as the OpenAPI document describes it.

Keyed by method and path (the path as routed, without its trailing slash): the routes
are declared by rest.routes' helpers, whose handlers are made per resource, so the
operation names its own operationId. The document walks the app's router, and a route
missing here cannot be described (the document refuses to build, and the tests fail).
List filters are the handlers' own tuples (`charges.CALL_PARAMS`, ...), the same ones
`read_page` checks a request's parameters against.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from api.paths import API_PREFIX
from billing.errors import ErrorCode
from rest import charges
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
    #: The operationId (PUT, PATCH's twin, adds `_put`): the name of the handler it had.
    name: str = ""

    @property
    def is_collection(self) -> bool:
        """Whether the contract writes its path with a trailing slash (lists, creates)."""
        return self.kind in (Kind.LIST, Kind.CREATE)

    @property
    def reads_body(self) -> bool:
        return self.kind in (Kind.CREATE, Kind.UPDATE)


#: (method, path as routed without its trailing slash).
Key = tuple[str, str]

_RUN_CONFLICTS = (ErrorCode.FIELD_LOCKED, ErrorCode.INVALID_TRANSITION, ErrorCode.RUN_IN_PROGRESS)
_BILLED = (ErrorCode.ALREADY_BILLED,)

OPERATIONS: dict[Key, Operation] = {}


def describe(methods: tuple[str, ...], path: str, operation: Operation) -> None:
    """Declare the operation of `methods` at `path` (under the API prefix, with or
    without its trailing slash); the document's own route uses this too."""
    for method in methods:
        OPERATIONS[method.upper(), path.rstrip("/")] = operation


def operation_at(method: str, path: str) -> Operation | None:
    """The operation routed at `path` (as routed, either slash) for `method`, if declared."""
    return OPERATIONS.get((method.upper(), path.rstrip("/")))


def _at(methods: tuple[str, ...], path: str, operation: Operation) -> None:
    describe(methods, API_PREFIX + path, operation)


_at(
    ("GET",),
    "/billingRuns",
    Operation(
        "List billing runs, by id ascending", Kind.LIST, BILLING_RUN, name="list_billing_runs"
    ),
)
_at(
    ("GET",),
    "/billingRuns/{id}",
    Operation("Get a billing run", Kind.GET, BILLING_RUN, name="get_billing_run"),
)
_at(
    ("POST",),
    "/billingRuns",
    Operation(
        "Create a billing run (it starts Pending)",
        Kind.CREATE,
        BILLING_RUN,
        description="`name` is required; `dueDate` may not be before `invoiceDate`; "
        "`subrun` and `invoiceMessage` are preset names (422 lists the valid ones).",
        name="create_billing_run",
    ),
)
_at(
    ("PATCH", "PUT"),
    "/billingRuns/{id}",
    Operation(
        "Change a billing run, or request its bills with `status: Requested`",
        Kind.UPDATE,
        BILLING_RUN,
        conflicts=tuple(_RUN_CONFLICTS),
        description="A partial update (PUT too). Once a run has left Pending its dates, "
        "`subrun` and `invoiceMessage` are locked (409 FIELD_LOCKED); Pending -> Requested "
        "is the one status change a client makes (409 INVALID_TRANSITION otherwise; "
        "409 RUN_IN_PROGRESS while another run of its subrun is Requested or Running).",
        name="update_billing_run",
    ),
)
_at(
    ("GET",),
    "/customers",
    Operation("List customers, by id ascending", Kind.LIST, CUSTOMER, name="list_customers"),
)
_at(
    ("GET",),
    "/customers/{id}",
    Operation("Get a customer", Kind.GET, CUSTOMER, name="get_customer"),
)
_at(
    ("POST",),
    "/customers",
    Operation(
        "Create a customer",
        Kind.CREATE,
        CUSTOMER,
        description="`accountNumber` must be unused (422 otherwise).",
        name="create_customer",
    ),
)
_at(
    ("PATCH", "PUT"),
    "/customers/{id}",
    Operation(
        "Change a customer",
        Kind.UPDATE,
        CUSTOMER,
        conflicts=(ErrorCode.FIELD_LOCKED,),
        description="A partial update (PUT too). `accountNumber` cannot change once the "
        "customer has an invoice (409 FIELD_LOCKED).",
        name="update_customer",
    ),
)
_at(
    ("GET",),
    "/calls",
    Operation(
        "List calls, by id ascending",
        Kind.LIST,
        CALL,
        filters=charges.CALL_PARAMS,
        name="list_calls",
    ),
)
_at(
    ("GET",),
    "/customers/{id}/calls",
    Operation(
        "List a customer's calls",
        Kind.LIST,
        CALL,
        filters=charges.CALL_PARAMS,
        name="list_customer_calls",
    ),
)
_at(
    ("GET",),
    "/invoices/{id}/calls",
    Operation(
        "List the calls an invoice billed",
        Kind.LIST,
        CALL,
        filters=charges.CALL_PARAMS,
        name="list_invoice_calls",
    ),
)
_at(("GET",), "/calls/{id}", Operation("Get a call", Kind.GET, CALL, name="get_call"))
_at(
    ("POST",),
    "/calls",
    Operation(
        "Add one call, or an array of calls (all or nothing)",
        Kind.CREATE,
        CALL,
        description="`customerId` must name a customer. Errors in an array name the "
        "item: `[3].charge`.",
        name="create_calls",
    ),
)
_at(
    ("GET",),
    "/transactions",
    Operation(
        "List transactions, by id ascending",
        Kind.LIST,
        TRANSACTION,
        filters=charges.TRANSACTION_PARAMS,
        name="list_transactions",
    ),
)
_at(
    ("GET",),
    "/customers/{id}/transactions",
    Operation(
        "List a customer's transactions",
        Kind.LIST,
        TRANSACTION,
        filters=charges.TRANSACTION_PARAMS,
        name="list_customer_transactions",
    ),
)
_at(
    ("GET",),
    "/invoices/{id}/transactions",
    Operation(
        "List the transactions an invoice billed",
        Kind.LIST,
        TRANSACTION,
        filters=charges.TRANSACTION_PARAMS,
        name="list_invoice_transactions",
    ),
)
_at(
    ("GET",),
    "/transactions/{id}",
    Operation("Get a transaction", Kind.GET, TRANSACTION, name="get_transaction"),
)
_at(
    ("POST",),
    "/transactions",
    Operation(
        "Add one transaction, or an array of them (all or nothing)",
        Kind.CREATE,
        TRANSACTION,
        description="`customerId` must name a customer and `transactionType` a "
        "transactionType preset. Errors in an array name the item: `[3].amount`.",
        name="create_transactions",
    ),
)
_at(
    ("PATCH", "PUT"),
    "/transactions/{id}",
    Operation(
        "Change an unbilled transaction",
        Kind.UPDATE,
        TRANSACTION,
        conflicts=_BILLED,
        description="A partial update (PUT too); 409 ALREADY_BILLED once it is billed.",
        name="update_transaction",
    ),
)
_at(
    ("DELETE",),
    "/transactions/{id}",
    Operation(
        "Delete an unbilled transaction; answers it as it was",
        Kind.DELETE,
        TRANSACTION,
        conflicts=_BILLED,
        name="delete_transaction",
    ),
)
_at(
    ("GET",),
    "/invoices",
    Operation("List invoices, by id ascending", Kind.LIST, INVOICE, name="list_invoices"),
)
_at(("GET",), "/invoices/{id}", Operation("Get an invoice", Kind.GET, INVOICE, name="get_invoice"))
_at(
    ("GET",),
    "/billingRuns/{id}/invoices",
    Operation(
        "List the invoices a billing run produced", Kind.LIST, INVOICE, name="list_run_invoices"
    ),
)
_at(
    ("GET",),
    "/customers/{id}/invoices",
    Operation("List a customer's invoices", Kind.LIST, INVOICE, name="list_customer_invoices"),
)
_at(
    ("GET",),
    "/billingRuns/{id}/notProduced",
    Operation(
        "List the customers a billing run did not invoice, and why",
        Kind.LIST,
        NOT_PRODUCED,
        name="list_not_produced",
    ),
)
