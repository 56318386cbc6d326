"""GET /metrics counts what happened, by route pattern, with bounded labels."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from api import metrics
from tests.billing.builders import billed_run, call, customer
from tests.conftest import API
from tests.ops.helpers import parse_metrics, value

RUN_ROUTE = "/backend/api/v1/billingRuns/{id}"
NAMED_X = "query X($id: ID!) { billingRun(id: $id) { id name } }"


async def scrape(api) -> dict:
    response = await api.client.get("/metrics")  # no key
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    return parse_metrics(await response.text())


async def test_metrics_count_a_known_sequence_of_requests_exactly(api):
    run = await api.rest_json(
        "POST",
        "/billingRuns/",
        status=201,
        json={"name": "Counted", "invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01"},
    )
    before = await scrape(api)

    for _ in range(3):
        await api.rest_json("GET", f"/billingRuns/{run['id']}")
    await api.rest_json("GET", "/billingRuns/999999", status=404)
    for _ in range(2):
        await api.gql(NAMED_X, {"id": str(run["id"])})
    after = await scrape(api)

    def delta(metric: str, /, **labels: str) -> float:
        return value(after, metric, **labels) - value(before, metric, **labels)

    assert delta("http_requests_total", method="GET", route=RUN_ROUTE, status="200") == 3
    assert delta("http_requests_total", method="GET", route=RUN_ROUTE, status="404") == 1
    assert delta("http_requests_total", method="POST", route="/graphql", status="200") == 2
    assert delta("http_request_duration_seconds_count", route=RUN_ROUTE) == 4
    assert delta("http_request_duration_seconds_count", route="/graphql") == 2
    assert delta("graphql_operations_total", type="query", name="X", outcome="success") == 2
    # The raw paths never became labels.
    labels = {v for _, pairs in after for _, v in pairs}
    assert f"{API}/billingRuns/{run['id']}" not in labels
    assert f"{API}/billingRuns/999999" not in labels


async def test_a_burst_of_random_paths_adds_no_series(api):
    async def burst() -> None:
        for _ in range(20):
            token = uuid.uuid4().hex
            await api.client.get(f"/{token}")
            await api.client.get(f"{API}/{token}/x", headers=api.auth)
            await api.client.request("PROPFIND", f"/livez?{token}")

    await burst()
    first = await api.client.get("/metrics")
    await burst()
    second = await api.client.get("/metrics")
    text = await second.text()

    assert set(parse_metrics(await first.text())) == set(parse_metrics(text))
    assert (
        value(
            parse_metrics(text),
            "http_requests_total",
            method="GET",
            route="unmatched",
            status="404",
        )
        >= 40
    )
    assert (
        value(
            parse_metrics(text),
            "http_requests_total",
            method="other",
            route="unmatched",
            status="405",
        )
        >= 20
    )


async def test_graphql_names_come_only_from_valid_documents(api):
    before = await scrape(api)
    token = uuid.uuid4().hex
    for _ in range(2):  # the second time from the validation cache
        await api.graphql(f"query Q{token} {{ nosuchField }}")  # fails validation
    await api.graphql(f"query Q{token} {{")  # does not parse
    after = await scrape(api)

    names = {
        v
        for (n, pairs) in after
        for k, v in pairs
        if n == "graphql_operations_total" and k == "name"
    }
    assert f"Q{token}" not in names
    invalid = {"type": "unknown", "name": "unknown", "outcome": "invalid"}
    assert (
        value(after, "graphql_operations_total", **invalid)
        - value(before, "graphql_operations_total", **invalid)
    ) == 3


async def test_operation_names_past_the_cap_count_as_other(api, monkeypatch):
    monkeypatch.setattr(metrics, "OPERATION_NAMES_MAX", 3)
    monkeypatch.setattr(metrics, "_operation_names", set())
    before = await scrape(api)
    names = [f"N{uuid.uuid4().hex}" for _ in range(6)]
    for name in names:
        await api.gql(f"query {name} {{ __typename }}")
    await api.gql("{ __typename }")
    after = await scrape(api)

    def delta(name: str) -> float:
        labels = {"type": "query", "name": name, "outcome": "success"}
        return value(after, "graphql_operations_total", **labels) - value(
            before, "graphql_operations_total", **labels
        )

    assert [delta(name) for name in names[:3]] == [1, 1, 1]
    assert [delta(name) for name in names[3:]] == [0, 0, 0]
    assert delta("other") == 3
    assert delta("anonymous") == 1


async def test_a_completed_run_counts_its_customers_and_itself(api):
    before = await scrape(api)
    with api.database():
        for _ in range(5):
            await call(await customer(), datetime(2026, 11, 2, tzinfo=UTC), "1.00")
        await billed_run(chunk_size=2)
    after = await scrape(api)

    def delta(name: str) -> float:
        return value(after, name) - value(before, name)

    assert delta("billing_customers_billed_total") == 5
    assert delta("billing_runs_completed_total") == 1
    assert delta("billing_run_duration_seconds_count") == 1
