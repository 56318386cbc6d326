from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class LowValuePolicy(StrEnum):
    """What happens to an invoice whose subtotal is at least 0 but below the minimum."""

    NONE = "NONE"  #: produce it anyway
    SKIP = "SKIP"  #: do not produce it; its charges wait for a later run
    PAD = "PAD"  #: add an adjustment that brings it up to the minimum
    FEE = "FEE"  #: add the customer's low-usage fee


class Customer(Model):
    """A billed account."""

    id = fields.BigIntField(primary_key=True)
    #: Unique; 1 to 32 of A-Z a-z 0-9 and -. Invoice numbers start with it.
    account_number = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=255)
    #: The billingSubrun preset whose runs bill this customer; null for runs without one.
    subrun = fields.ForeignKeyField(
        "models.Preset", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    #: The default invoiceMessage preset (a run's own message overrides it).
    invoice_message = fields.ForeignKeyField(
        "models.Preset", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    low_value_policy = fields.CharEnumField(LowValuePolicy, max_length=8, default="NONE")
    #: Money in ten-thousandths (exact integer sums on every database); 2 places.
    minimum_amount = fields.BigIntField(default=0)
    #: Money in ten-thousandths; 2 places.
    low_usage_fee = fields.BigIntField(default=0)
    #: How many invoices this customer has had: the last invoice number used.
    invoice_count = fields.IntField(default=0)
    created_date = fields.DatetimeField()
    updated_date = fields.DatetimeField()
    version = fields.IntField(default=0)

    class Meta:
        table = "customer"
        indexes = (("subrun_id", "id"), ("created_date",), ("updated_date",))
