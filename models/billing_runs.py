from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class BillingRunStatus(StrEnum):
    """The fixed statuses of a billing run, in the order a run passes through them."""

    PENDING = "Pending"
    REQUESTED = "Requested"
    RUNNING = "Running"
    COMPLETE = "Complete"


class BillingRun(Model):
    """A billing run: which charges to invoice, and on which dates."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=255)
    status = fields.CharEnumField(BillingRunStatus, max_length=16, default=BillingRunStatus.PENDING)
    subrun = fields.ForeignKeyField(
        "models.Preset", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    invoice_message = fields.ForeignKeyField(
        "models.Preset", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    #: Total of the run's invoices; set by the billing engine.
    invoice_amount = fields.DecimalField(max_digits=16, decimal_places=2, default=0)
    invoice_date = fields.DateField(null=True)
    #: Calls starting before this date are billed.
    cutoff_date = fields.DateField(null=True)
    #: When set, other charges dated on or before it are billed.
    transaction_cutoff_date = fields.DateField(null=True)
    due_date = fields.DateField(null=True)
    commenced_date = fields.DatetimeField(null=True)
    completed_date = fields.DatetimeField(null=True)
    #: Set by the server when the run is created.
    created_date = fields.DatetimeField()
    #: Set by the server on every write that changes something.
    updated_date = fields.DatetimeField()
    #: How many customers the run bills; null until it is Running (fixed when it starts).
    customers_in_scope = fields.IntField(null=True)
    #: In-scope customers handled so far, invoiced or not.
    customers_done = fields.IntField(default=0, db_default=0)
    invoices_produced = fields.IntField(default=0, db_default=0)
    invoices_not_produced = fields.IntField(default=0, db_default=0)
    #: Bumped on every write; updates are conditional on it (optimistic concurrency).
    version = fields.IntField(default=0)
    #: The subrun group while Requested or Running, else null. Unique, so at most one
    #: run per subrun is in progress, enforced by the database on both dialects.
    active_group = fields.CharField(max_length=80, null=True, unique=True)

    class Meta:
        table = "billing_run"
        indexes = (("created_date",), ("updated_date",))
