from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class PresetKind(StrEnum):
    """The kinds of preset value a client can name."""

    BILLING_RUN_STATUS = "billingRunStatus"
    BILLING_SUBRUN = "billingSubrun"
    INVOICE_MESSAGE = "invoiceMessage"
    TRANSACTION_TYPE = "transactionType"


class Preset(Model):
    """A named value of one kind, chosen by name on the wire."""

    id = fields.BigIntField(primary_key=True)
    #: One of `PresetKind`.
    kind = fields.CharField(max_length=32)
    #: What clients write and read; unique within its kind.
    name = fields.CharField(max_length=64)
    #: For invoice messages, the text printed on invoices.
    text = fields.TextField(null=True)
    #: A retired preset stays readable on old rows but is refused on new writes.
    retired = fields.BooleanField(default=False)
    created_date = fields.DatetimeField(auto_now_add=True)
    updated_date = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "preset"
        unique_together = (("kind", "name"),)
