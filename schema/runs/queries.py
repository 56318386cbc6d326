"""Query fields: billing runs."""

from __future__ import annotations

import strawberry

from billing.runs import count_runs, get_run, list_runs
from schema.core.fields import connection_field, node_field
from schema.runs.types import BillingRun, BillingRunConnection, RunId


@strawberry.type(description="Read billing runs.")
class RunQueries:
    billing_run = node_field(BillingRun, get_run, RunId, "billing run")
    billing_runs = connection_field(BillingRunConnection, list_runs, count_runs, "Billing runs")
