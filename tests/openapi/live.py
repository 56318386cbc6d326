"""The real app served on a real local port from a thread with its own event loop, for
clients that block (schemathesis sends its requests with `requests`)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

from api.keys import DATABASE
from billing import auth
from billing.settings import Settings
from server import create_app

T = TypeVar("T")
#: Generous guard for starting, stopping and setup calls: never reached when things work.
GUARD_SECONDS = 60


@dataclass
class LiveServer:
    app: web.Application
    loop: asyncio.AbstractEventLoop
    url: str
    key: str = ""

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the server's loop, with its database context current."""

        async def in_context() -> T:
            with self.app[DATABASE]:
                return await coroutine

        return asyncio.run_coroutine_threadsafe(in_context(), self.loop).result(GUARD_SECONDS)


@contextmanager
def serving(settings: Settings) -> Iterator[LiveServer]:
    """Serve the app (migrated on start) until the block ends; yield it with a new API key."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(create_app(settings))
    ready: dict[str, Any] = {}
    started = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            ready["port"] = runner.addresses[0][1]
        except BaseException as exc:  # reported to the test below
            ready["error"] = exc
            started.set()
            return
        started.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())

    thread = threading.Thread(target=serve, name="live-server", daemon=True)
    thread.start()
    try:
        if not started.wait(GUARD_SECONDS):
            raise TimeoutError("the server did not start")
        if "error" in ready:
            raise ready["error"]
        server = LiveServer(runner.app, loop, f"http://127.0.0.1:{ready['port']}")
        server.key = server.run(auth.create_api_key("fuzz"))
        yield server
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(GUARD_SECONDS)
        loop.close()
