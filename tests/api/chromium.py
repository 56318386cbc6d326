"""Headless Chromium driven over the DevTools protocol, for tests that need a real browser."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

#: Where the browser is, or None (Debian: `apt-get install chromium`).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--no-first-run",
    "--remote-debugging-port=0",
)


class DevTools:
    """One DevTools websocket: commands matched to their answers, events kept in order."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self._ws = ws
        self._next_id = 0
        self._answers: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._events: list[dict[str, Any]] = []
        self._event_arrived = asyncio.Event()

    async def read(self) -> None:
        async for message in self._ws:
            data = json.loads(message.data)
            if "id" in data:
                self._answers.pop(data["id"]).set_result(data)
            else:
                self._events.append(data)
                self._event_arrived.set()

    async def send(self, method: str, session: str | None = None, **params: Any) -> Any:
        self._next_id += 1
        answer = self._answers[self._next_id] = asyncio.get_running_loop().create_future()
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        await self._ws.send_json(message)
        data = await answer
        if "error" in data:
            raise RuntimeError(f"{method}: {data['error']}")
        return data["result"]

    async def event(self, method: str, session: str) -> dict[str, Any]:
        while True:
            for event in self._events:
                if event["method"] == method and event.get("sessionId") == session:
                    self._events.remove(event)
                    return event
            self._event_arrived.clear()
            await self._event_arrived.wait()


class Page:
    def __init__(self, devtools: DevTools, session: str) -> None:
        self._devtools = devtools
        self._session = session

    async def evaluate(self, expression: str) -> Any:
        """Run JavaScript in the page; a promise is awaited; the value comes back as JSON."""
        result = await self._devtools.send(
            "Runtime.evaluate",
            self._session,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")


class Browser:
    def __init__(self, devtools: DevTools) -> None:
        self._devtools = devtools

    async def open(self, url: str) -> Page:
        """A new tab showing `url`, once its load event fired."""
        target = await self._devtools.send("Target.createTarget", url="about:blank")
        attached = await self._devtools.send(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True
        )
        session = attached["sessionId"]
        await self._devtools.send("Page.enable", session)
        await self._devtools.send("Page.navigate", session, url=url)
        await self._devtools.event("Page.loadEventFired", session)
        return Page(self._devtools, session)


@contextlib.asynccontextmanager
async def chromium(profile: Path) -> AsyncIterator[Browser]:
    """Start headless Chromium with a fresh profile in `profile`; stop it afterwards."""
    assert CHROMIUM is not None
    process = await asyncio.create_subprocess_exec(
        CHROMIUM,
        *FLAGS,
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    output: list[str] = []
    background: list[asyncio.Task[Any]] = []
    try:
        while not output or "DevTools listening on " not in output[-1]:
            line = await process.stderr.readline()
            assert line, f"chromium exited before listening: {output}"
            output.append(line.decode(errors="replace").strip())
        endpoint = output[-1].split("DevTools listening on ", 1)[1]
        # Keep reading, so a chatty browser never blocks on a full pipe.
        background.append(asyncio.create_task(process.stderr.read()))
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(endpoint, max_msg_size=0) as ws,
        ):
            devtools = DevTools(ws)
            background.append(asyncio.create_task(devtools.read()))
            yield Browser(devtools)
    finally:
        for task in background:
            task.cancel()
        if process.returncode is None:
            process.kill()
        await process.wait()
        await asyncio.gather(*background, return_exceptions=True)
