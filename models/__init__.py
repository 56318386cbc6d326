"""Tortoise models: one module per table family."""

from models.api_keys import ApiKey, IdempotencyRecord
from models.billing_runs import BillingRun, BillingRunStatus
from models.charges import Call, ChargeTransaction
from models.customers import Customer, LowValuePolicy
from models.invoices import (
    BillingRunChunk,
    BillingRunCustomer,
    Invoice,
    InvoiceNotProduced,
    NotProducedReason,
)
from models.presets import Preset, PresetKind

__all__ = [
    "ApiKey",
    "BillingRun",
    "BillingRunChunk",
    "BillingRunCustomer",
    "BillingRunStatus",
    "Call",
    "ChargeTransaction",
    "Customer",
    "IdempotencyRecord",
    "Invoice",
    "InvoiceNotProduced",
    "LowValuePolicy",
    "NotProducedReason",
    "Preset",
    "PresetKind",
]
