"""What the commands print when they are done."""

from __future__ import annotations

from billing.demo import DemoSummary
from billing.runs import RunRecord


def first_key(key: str) -> str:
    """What `serve` prints when it created the database's first API key."""
    return (
        "No API key existed, so one was created. It is shown only this once:\n"
        f"  {key}\n"
        "Send it as: Authorization: Bearer <key>"
    )


def demo_data(summary: DemoSummary, base_url: str = "http://127.0.0.1:8000") -> list[str]:
    """What `demo-data` prints: what was made and how to bill it."""
    accounts = f" ({summary.first_account} to {summary.last_account})" if summary.customers else ""
    made = [
        f"created {summary.presets_created} preset(s), {summary.customers:,} customers"
        f"{accounts}, {summary.calls:,} calls and {summary.transactions:,} transactions",
    ]
    if summary.run is None:
        return made
    run = summary.run
    query = (
        f'mutation {{ requestBills(id: \\"{run.id}\\") '
        "{ billingRun { id status } userErrors { code message } } }"
    )
    watch = (
        f'{{ billingRun(id: \\"{run.id}\\") {{ status customersInScope customersDone '
        "invoicesProduced invoicesNotProduced invoiceAmount } }"
    )
    curl = (
        f'curl -s {base_url}/graphql -H "Authorization: Bearer $KEY" '
        "-H 'Content-Type: application/json' -d"
    )
    return [
        *made,
        f"created billing run {run.id} {run.name!r}: Pending, invoiceDate and cutoffDate "
        f"{run.invoice_date}; it bills the {summary.customers_in_run_scope:,} customers "
        "without a subrun",
        "",
        "To bill it: start the server (python server.py), get a key",
        "(KEY=$(python server.py create-api-key demo | tail -n 1)), then request bills:",
        f'  {curl} \'{{"query": "{query}"}}\'',
        "and watch it run (or subscribe to billingRunProgress in GraphiQL):",
        f'  {curl} \'{{"query": "{watch}"}}\'',
        f"REST: curl -s -X PATCH {base_url}/backend/api/v1/billingRuns/{run.id} "
        "-H \"Authorization: Bearer $KEY\" -H 'Content-Type: application/json' "
        '-d \'{"status": "Requested"}\'',
    ]


def billed_run(run: RunRecord) -> list[str]:
    """What `bill` prints once the run is Complete: its counts, total and duration."""
    lines = [
        f"billing run {run.id} {run.name!r} is {run.status}",
        f"invoices produced: {run.invoices_produced:,}",
        f"invoices not produced: {run.invoices_not_produced:,}",
        f"total: {run.invoice_amount:,.2f}",
    ]
    if run.commenced_date is not None and run.completed_date is not None:
        seconds = (run.completed_date - run.commenced_date).total_seconds()
        lines.append(f"duration: {seconds:.1f} s")
    return lines
