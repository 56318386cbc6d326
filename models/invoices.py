from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class NotProducedReason(StrEnum):
    EMPTY = "EMPTY"  #: "Invoice would be empty"
    TOO_LOW = "TOO_LOW"  #: "Invoice would be too low"


class Invoice(Model):
    """One customer's invoice from one billing run. Money in ten-thousandths."""

    id = fields.BigIntField(primary_key=True)
    #: The account number, a slash, then n: the customer's invoices counted from 1.
    number = fields.CharField(max_length=48, unique=True)
    customer = fields.ForeignKeyField("models.Customer", related_name=False, db_index=False)
    billing_run = fields.ForeignKeyField("models.BillingRun", related_name=False, db_index=False)
    invoice_date = fields.DateField()
    due_date = fields.DateField(null=True)
    #: The day before the run's cutoff date.
    period_ended = fields.DateField()
    #: The text printed on the invoice (the run's message, else the customer's).
    message = fields.TextField(null=True)
    call_total = fields.BigIntField()
    transaction_total = fields.BigIntField()
    #: Padding up to the minimum, or the low-usage fee.
    adjustment = fields.BigIntField()
    #: Rounded half-up to 2 places, once, here.
    total = fields.BigIntField()
    call_count = fields.IntField()
    transaction_count = fields.IntField()
    created_date = fields.DatetimeField()

    class Meta:
        table = "invoice"
        unique_together = (("billing_run_id", "customer_id"),)
        indexes = (("customer_id", "id"), ("created_date",))


class InvoiceNotProduced(Model):
    """A customer in a run's scope who got no invoice, and why."""

    id = fields.BigIntField(primary_key=True)
    billing_run = fields.ForeignKeyField("models.BillingRun", related_name=False, db_index=False)
    customer = fields.ForeignKeyField("models.Customer", related_name=False, db_index=False)
    reason = fields.CharEnumField(NotProducedReason, max_length=8)
    #: 0 when EMPTY; the rounded subtotal when TOO_LOW (ten-thousandths).
    amount = fields.BigIntField()
    created_date = fields.DatetimeField()

    class Meta:
        table = "invoice_not_produced"
        unique_together = (("billing_run_id", "customer_id"),)


class BillingRunCustomer(Model):
    """The customers a run bills, fixed when it starts, in numbered chunks."""

    id = fields.BigIntField(primary_key=True)
    billing_run = fields.ForeignKeyField("models.BillingRun", related_name=False, db_index=False)
    customer = fields.ForeignKeyField("models.Customer", related_name=False, db_index=False)
    chunk = fields.IntField()

    class Meta:
        table = "billing_run_customer"
        unique_together = (("billing_run_id", "customer_id"),)
        indexes = (("billing_run_id", "chunk"),)


class BillingRunChunk(Model):
    """A unit of work: claimed and finished inside one transaction, so a crash loses none."""

    id = fields.BigIntField(primary_key=True)
    billing_run = fields.ForeignKeyField("models.BillingRun", related_name=False, db_index=False)
    chunk = fields.IntField()
    done = fields.BooleanField(default=False)

    class Meta:
        table = "billing_run_chunk"
        unique_together = (("billing_run_id", "chunk"),)
