"""Several processes, one PROMETHEUS_MULTIPROC_DIR: /metrics in any shows them all merged."""

from __future__ import annotations

import aiohttp

from api.metrics import prepare_multiprocess_dir
from billing import auth, db
from tests.conftest import API
from tests.ops.helpers import parse_metrics, serving, value


async def test_metrics_of_one_process_show_the_sum_of_two(database_url, tmp_path):
    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_99999.db").write_bytes(b"left by a server stopped earlier")
    prepare_multiprocess_dir(str(directory))  # as the parent of the processes does
    assert list(directory.iterdir()) == []
    ctx = await db.open_database(database_url)
    with ctx:
        key = await auth.create_api_key("scraper")
        await ctx.close_connections()
    env = {"DATABASE_URL": database_url, "PROMETHEUS_MULTIPROC_DIR": str(directory)}

    async with serving(env) as a, serving(env) as b, aiohttp.ClientSession() as session:
        for server, times in ((a, 3), (b, 5)):
            for _ in range(times):
                async with session.get(f"{server.base}/livez") as response:
                    assert response.status == 200
        async with session.get(
            f"{b.base}{API}/billingRuns/", headers={"Authorization": f"Bearer {key}"}
        ) as response:
            assert response.status == 200
        pages = []
        for server in (a, b):
            async with session.get(f"{server.base}/metrics") as response:
                pages.append(parse_metrics(await response.text()))

    for page in pages:
        assert value(page, "http_requests_total", method="GET", route="/livez", status="200") == 8
        assert value(page, "http_request_duration_seconds_count", route="/livez") == 8
        runs = {"method": "GET", "route": f"{API}/billingRuns/", "status": "200"}
        assert value(page, "http_requests_total", **runs) == 1
