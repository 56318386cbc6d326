"""Tortoise models: one module per table family."""

from models.api_keys import ApiKey
from models.billing_runs import BillingRun, BillingRunStatus
from models.presets import Preset, PresetKind

__all__ = ["ApiKey", "BillingRun", "BillingRunStatus", "Preset", "PresetKind"]
