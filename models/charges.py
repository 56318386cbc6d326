"""Charges: calls and other transactions. Money is kept in ten-thousandths (integers),
so sums are exact on SQLite too, where a decimal column is text."""

from tortoise import fields
from tortoise.models import Model


class Call(Model):
    """A call charge."""

    id = fields.BigIntField(primary_key=True)
    customer = fields.ForeignKeyField(
        "models.Customer", related_name=False, on_delete=fields.RESTRICT, db_index=False
    )
    #: When the call started (UTC).
    start_time = fields.DatetimeField()
    #: Seconds.
    duration = fields.IntField()
    number_dialled = fields.CharField(max_length=32)
    #: Ten-thousandths; 4 places on the wire.
    charge = fields.BigIntField()
    #: The invoice that billed it; null until billed. No foreign key: it is written on
    #: the billing hot path, where a per-row key check costs more than it guards.
    invoice_id = fields.BigIntField(null=True)
    created_date = fields.DatetimeField()
    updated_date = fields.DatetimeField()

    class Meta:
        table = "call"
        # No indexes on created_date/updated_date: billing rewrites every call once, and
        # each index costs a write per row there; date-filtered call lists scan instead.
        indexes = (
            ("customer_id", "invoice_id", "start_time"),
            ("invoice_id",),
        )


class ChargeTransaction(Model):
    """A non-call charge or credit (table `charge_transaction`: TRANSACTION is a keyword)."""

    id = fields.BigIntField(primary_key=True)
    customer = fields.ForeignKeyField(
        "models.Customer", related_name=False, on_delete=fields.RESTRICT, db_index=False
    )
    #: A transactionType preset.
    transaction_type = fields.ForeignKeyField(
        "models.Preset", related_name=False, on_delete=fields.RESTRICT
    )
    transaction_date = fields.DateField()
    #: When set, the date it is billed by (unless the run has a transaction cutoff).
    bill_date = fields.DateField(null=True)
    #: Ten-thousandths; negative for a credit.
    amount = fields.BigIntField()
    description = fields.CharField(max_length=255, default="")
    #: The invoice that billed it; null until billed (no foreign key, as for calls).
    invoice_id = fields.BigIntField(null=True)
    created_date = fields.DatetimeField()
    updated_date = fields.DatetimeField()
    version = fields.IntField(default=0)

    class Meta:
        table = "charge_transaction"
        indexes = (
            ("customer_id", "invoice_id"),
            ("invoice_id",),
            ("created_date",),
            ("updated_date",),
        )
