"""A page on another origin calls the API with fetch, in a real (headless) Chromium.

The page is served from http://localhost:PORT, listed in CORS_ORIGINS; the same page at
http://127.0.0.1:PORT is another origin, not listed. The API is on a third port.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from billing.settings import Settings
from tests.api.chromium import CHROMIUM, Page, chromium
from tests.conftest import API

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on this machine (Debian: apt-get install chromium); .ci/run installs it",
)
#: Only a guard against a hung browser: every step waits for an event, not for time.
GUARD_SECONDS = 60


@pytest.fixture
async def page_server() -> AsyncIterator[TestServer]:
    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<!doctype html><title>frontend</title>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    async with TestServer(app, host="127.0.0.1") as server:
        yield server


@pytest.fixture
def settings(database_url: str, page_server: TestServer) -> Settings:
    return Settings(
        database_url=database_url,
        run_engine=False,
        cors_origins=(f"http://localhost:{page_server.port}",),
    )


def _fetch(url: str, **init: Any) -> str:
    """JavaScript that calls fetch and returns what the page can see of the answer."""
    return f"""
    (async () => {{
      try {{
        const response = await fetch({json.dumps(url)}, {json.dumps(init)});
        return {{
          status: response.status,
          requestId: response.headers.get("X-Request-Id"),
          replayed: response.headers.get("Idempotent-Replayed"),
          body: await response.json(),
        }};
      }} catch (error) {{
        return {{blocked: String(error)}};
      }}
    }})()
    """


def _subscribe(url: str, key: str) -> str:
    """JavaScript that opens the GraphQL websocket and returns the server's first answer."""
    return f"""
    new Promise(resolve => {{
      const ws = new WebSocket({json.dumps(url)}, "graphql-transport-ws");
      ws.onopen = () => ws.send(JSON.stringify(
        {{type: "connection_init", payload: {{Authorization: "Bearer {key}"}}}}));
      ws.onmessage = message => {{ resolve(JSON.parse(message.data).type); ws.close(); }};
      ws.onerror = () => resolve("refused");
    }})
    """


async def _pages(browser, port: int) -> tuple[Page, Page]:
    listed = await browser.open(f"http://localhost:{port}/")
    other = await browser.open(f"http://127.0.0.1:{port}/")
    return listed, other


async def test_a_page_on_a_listed_origin_calls_the_api_and_others_are_blocked(
    api, page_server, tmp_path: Path
):
    base = str(api.client.make_url("/")).rstrip("/")
    auth = {"Authorization": f"Bearer {api.key}"}
    json_auth = {**auth, "Content-Type": "application/json"}
    create = 'mutation { createBillingRun(input: {name: "From a page"}) { billingRun { id } } }'
    mutation = json.dumps({"query": create})
    async with asyncio.timeout(GUARD_SECONDS), chromium(tmp_path / "profile") as browser:
        listed, other = await _pages(browser, page_server.port)

        runs = await listed.evaluate(_fetch(base + API + "/billingRuns/", headers=auth))
        created = [
            await listed.evaluate(
                _fetch(
                    base + "/graphql",
                    method="POST",
                    headers={**json_auth, "Idempotency-Key": "page-1"},
                    body=mutation,
                )
            )
            for _ in range(2)
        ]
        refused_key = await listed.evaluate(
            _fetch(base + API + "/billingRuns/", headers={"Authorization": "Bearer wrong"})
        )
        blocked = await other.evaluate(_fetch(base + API + "/billingRuns/", headers=auth))
        socket_listed = await listed.evaluate(
            _subscribe(base.replace("http", "ws") + "/graphql", api.key)
        )
        socket_other = await other.evaluate(
            _subscribe(base.replace("http", "ws") + "/graphql", api.key)
        )

    assert runs["status"] == 200 and runs["body"] == []
    assert runs["requestId"]  # exposed to the page
    assert created[0]["status"] == 200 and created[0]["replayed"] is None
    assert created[1]["replayed"] == "true" and created[1]["body"] == created[0]["body"]
    assert refused_key["status"] == 401
    assert refused_key["body"]["error"]["code"] == "UNAUTHORIZED"
    assert "blocked" in blocked, blocked
    assert socket_listed == "connection_ack"
    assert socket_other == "refused"
    assert [run["name"] for run in await api.rest_json("GET", "/billingRuns/")] == ["From a page"]
