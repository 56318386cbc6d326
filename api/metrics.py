"""Prometheus metrics: the series, their bounded labels, and GET /metrics.

One process: the series live in this module's registry. Several processes on one port
(`serve --workers N`): when PROMETHEUS_MULTIPROC_DIR names a directory, prometheus-client
writes every process's values to files there, and /metrics in any process reads and
merges all of them (its multiprocess mode). The variable must be set before this module
is first imported (prometheus-client picks its value store at import).

Labels are bounded so no client can grow the series: `route` is the route's pattern or
"unmatched", `method` one of the methods we serve or "other", and a GraphQL operation's
`name` comes only from a document that parsed and validated, up to OPERATION_NAMES_MAX
distinct names per process ("other" past that, "anonymous" without one).
"""

from __future__ import annotations

import os

from aiohttp import web
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    multiprocess,
)
from prometheus_client.exposition import choose_encoder

from billing import observe

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED = "unmatched"
OTHER = "other"
ANONYMOUS = "anonymous"
METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
#: Distinct GraphQL operation names one process labels; later new names count as "other".
OPERATION_NAMES_MAX = 200
#: Longer operation names are labelled "other".
OPERATION_NAME_LENGTH_MAX = 100


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def prepare_multiprocess_dir(path: str) -> None:
    """Empty (or create) the directory before the first process of a server starts.

    Call it once, in the parent, before starting the processes that share it: never
    from a process joining others already running (it would drop their counts).
    """
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.remove(os.path.join(path, name))


def process_exited(pid: int) -> None:
    """Tell prometheus-client a worker process is gone (the parent calls it)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(pid)


_dir = multiprocess_dir()
if _dir:
    # Unlabelled series write their file as they are created, below.
    os.makedirs(_dir, exist_ok=True)

# No `_created` series: multiprocess mode has none, so one process shows what N show.
disable_created_metrics()

#: This process's series (in multiprocess mode, the files hold the values instead).
REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests answered, by method, route pattern and status.",
    ("method", "route", "status"),
    registry=REGISTRY,
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by route pattern.",
    ("route",),
    registry=REGISTRY,
)
GRAPHQL_OPERATIONS = Counter(
    "graphql_operations_total",
    "GraphQL operations, by type (query, mutation, subscription, unknown), operation "
    "name and outcome (success, error, invalid).",
    ("type", "name", "outcome"),
    registry=REGISTRY,
)
RUNS_COMPLETED = Counter(
    "billing_runs_completed_total",
    "Billing runs this server completed.",
    registry=REGISTRY,
)
RUN_DURATION = Histogram(
    "billing_run_duration_seconds",
    "A completed billing run's time from start to completion.",
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, float("inf")),
    registry=REGISTRY,
)
CUSTOMERS_BILLED = Counter(
    "billing_customers_billed_total",
    "Customers the billing engine has billed (invoice produced or not).",
    registry=REGISTRY,
)


def route_label(request: web.Request) -> str:
    """The matched route's pattern (`/backend/api/v1/billingRuns/{id}`), never the path."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else UNMATCHED


def method_label(method: str) -> str:
    return method if method in METHODS else OTHER


def observe_request(method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_DURATION.labels(route).observe(seconds)


_operation_names: set[str] = set()


def operation_name_label(name: str | None) -> str:
    """`name` while few enough distinct names have been seen, else "other"."""
    if not name:
        return ANONYMOUS
    if name in _operation_names:
        return name
    if len(name) > OPERATION_NAME_LENGTH_MAX or len(_operation_names) >= OPERATION_NAMES_MAX:
        return OTHER
    _operation_names.add(name)
    return name


def observe_operation(kind: str, name: str | None, outcome: str) -> None:
    GRAPHQL_OPERATIONS.labels(kind, operation_name_label(name), outcome).inc()


def _run_completed(summary: observe.RunSummary) -> None:
    RUNS_COMPLETED.inc()
    RUN_DURATION.observe(summary.seconds)


observe.on_customers_billed(CUSTOMERS_BILLED.inc)
observe.on_run_completed(_run_completed)


def exposition(accept: str = "") -> tuple[bytes, str]:
    """Every series and the content type `accept` asks for (Prometheus text by default).

    In multiprocess mode, all processes' series merged.
    """
    encode, content_type = choose_encoder(accept)
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return encode(registry), content_type
    return encode(REGISTRY), content_type


async def metrics(request: web.Request) -> web.Response:
    # Reading the processes' files is blocking I/O, but small, local and per scrape.
    body, content_type = exposition(request.headers.get("Accept", ""))
    response = web.Response(body=body)
    response.headers["Content-Type"] = content_type
    return response
