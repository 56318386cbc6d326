"""Nested fields are read through per-request DataLoaders: a page of runs with their
invoices and each invoice's customer costs the same number of SQL queries whatever its
size. Queries are counted on Tortoise's `tortoise.db_client` logger, which logs every
statement once at DEBUG (the first test checks that)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from tortoise.transactions import in_transaction

from billing import charges, customers, engine, presets, runs
from billing.sql import Sql
from schema.dataloaders import Loaders
from tests.schema.billing_data import READY, add_calls, call_input, create_customer

RUNS = 100

RUNS_WITH_INVOICES_AND_CUSTOMERS = """
query Runs($first: Int!) {
  billingRuns(first: $first) {
    nodes {
      id
      invoices { nodes { id number customer { id accountNumber } } }
    }
  }
}
"""

# Nested pages of 10: at the default of 100 a page of 100 runs would cost 70,901, over
# MAX_QUERY_COST (schema/core/cost.py); this costs 25,901.
EVERY_NESTED_FIELD = """
query Runs($first: Int!) {
  billingRuns(first: $first) {
    totalCount
    nodes {
      id
      notProduced { reason customer { id } }
      invoices(first: 1) {
        totalCount
        pageInfo { hasNextPage }
        nodes {
          number
          billingRun { id }
          customer { accountNumber invoices(first: 10) { totalCount nodes { id } } }
          calls(first: 10) { totalCount nodes { charge customer { id } invoice { id } } }
          transactions(first: 10) { totalCount nodes { amount } }
        }
      }
    }
  }
}
"""

CALLERS = "query { calls { nodes { customer { name } } } }"
RENAME = """
mutation Rename($id: ID!) {
  updateCustomer(id: $id, input: {name: "Renamed"}) { userErrors { code } }
}
"""


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sql: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.sql.append(record.getMessage())


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements executed inside the block, as Tortoise logs them."""
    logger = logging.getLogger("tortoise.db_client")
    handler = _Statements()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.sql
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def _billed_runs(api, count: int) -> None:
    """`count` complete runs, each billing its own subrun: two customers with a call each
    and one with a transaction (so every run's invoices have customers of their own)."""
    with api.database():
        await presets.create_preset("transactionType", "Rental")
        for n in range(count):
            subrun = f"Subrun{n}"
            await presets.create_preset("billingSubrun", subrun)
            pair = [
                await customers.create_customer(
                    {"accountNumber": f"R{n}C{k}", "name": f"Customer {k}", "subrun": subrun}
                )
                for k in range(2)
            ]
            await customers.create_customer(
                {"accountNumber": f"R{n}E", "name": "E", "subrun": subrun}
            )
            await charges.create_calls(
                [
                    {
                        "customerId": customer.id,
                        "startTime": "2026-11-20T10:00:00Z",
                        "duration": 60,
                        "numberDialled": "01234567890",
                        "charge": "1.25",
                    }
                    for customer in pair
                ]
            )
            await charges.create_transactions(
                [
                    {
                        "customerId": pair[0].id,
                        "transactionType": "Rental",
                        "transactionDate": "2026-11-15",
                        "amount": "5.00",
                    }
                ]
            )
            run = await runs.create_run({"name": f"Run {n}", "subrun": subrun, **READY})
            await runs.request_bills(run.id)
            await engine.bill(run.id, "UTC")


async def _statements_of(api, query: str, first: int) -> list[str]:
    await api.gql(query, {"first": first})  # the API key is then cached: not counted
    with statements() as sql:
        data = await api.gql(query, {"first": first})
    assert len(data["billingRuns"]["nodes"]) == first
    # Nor is the key cache's once-a-second look at the key table (billing/key_cache.py).
    return [statement for statement in sql if "api_key" not in statement]


async def test_tortoise_logs_each_statement_it_executes_once(api):
    with api.database(), statements() as sql:
        await Sql().rows("SELECT 1 AS one")
        async with in_transaction() as conn:
            await Sql(conn).rows("SELECT 2 AS two")
            await Sql(conn).rows("SELECT 3 AS three")

    assert [statement.split(":")[0] for statement in sql] == [
        "SELECT 1 AS one",
        "SELECT 2 AS two",
        "SELECT 3 AS three",
    ]


async def test_a_page_of_runs_with_nested_fields_costs_the_same_queries_whatever_its_size(api):
    await _billed_runs(api, RUNS)

    costs = {
        name: [len(await _statements_of(api, query, first)) for first in (1, 10, RUNS)]
        for name, query in (
            ("runs, invoices, customers", RUNS_WITH_INVOICES_AND_CUSTOMERS),
            ("every nested field", EVERY_NESTED_FIELD),
        )
    }

    # One query per level: the runs, their invoices' ids, the invoices, their customers.
    assert costs == {"runs, invoices, customers": [4] * 3, "every nested field": [17] * 3}


async def test_a_page_of_runs_reads_the_customers_of_all_its_invoices_in_one_query(api):
    await _billed_runs(api, 20)

    with statements() as sql:
        data = await api.gql(RUNS_WITH_INVOICES_AND_CUSTOMERS, {"first": 20})

    accounts = {
        invoice["customer"]["accountNumber"]
        for run in data["billingRuns"]["nodes"]
        for invoice in run["invoices"]["nodes"]
    }
    assert len(accounts) == 40
    assert len([s for s in sql if s.startswith("SELECT c.id, c.account_number")]) == 1


async def test_loaders_answer_in_the_order_of_their_keys_with_none_for_a_missing_id(api):
    first, second, third = [(await create_customer(api))["id"] for _ in range(3)]

    with api.database():
        found = await Loaders().customer_by_id.load_many([int(third), 999999, int(first)])

    assert [customer.id if customer else None for customer in found] == [third, None, first]
    assert second not in [customer.id for customer in found if customer]


async def test_each_request_has_its_own_loaders_so_a_change_shows_at_once(api):
    customer = await create_customer(api, name="Before")
    await add_calls(api, call_input(customer))
    before = await api.gql(CALLERS)

    await api.gql(RENAME, {"id": customer["id"]})

    assert before["calls"]["nodes"] == [{"customer": {"name": "Before"}}]
    assert (await api.gql(CALLERS))["calls"]["nodes"] == [{"customer": {"name": "Renamed"}}]
