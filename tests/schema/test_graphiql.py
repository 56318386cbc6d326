"""The GraphiQL page works offline: everything it loads comes from the app itself."""

from __future__ import annotations

import base64
import hashlib
import json
from html.parser import HTMLParser

from schema.core import ide

HTML = {"Accept": "text/html"}
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css"}


class _Assets(HTMLParser):
    """The scripts and stylesheets a page loads, with their integrity attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.found[attributes["src"]] = attributes.get("integrity")
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.found[attributes["href"] or ""] = attributes.get("integrity")


async def _page(api) -> str:
    response = await api.client.get("/graphql", headers=HTML)
    assert response.status == 200
    assert response.content_type == "text/html"
    return await response.text()


def _assets(page: str) -> dict[str, str | None]:
    parser = _Assets()
    parser.feed(page)
    return parser.found


async def test_the_ide_page_opens_without_a_key_and_loads_nothing_from_the_internet(api):
    page = await _page(api)
    assets = _assets(page)
    assert len(assets) == len(ide.UNPKG_FILES) == 7
    for url in assets:
        assert url.startswith("/graphql/static/"), url
    assert "unpkg.com" not in page


async def test_every_file_the_page_loads_is_served_without_a_key_and_matches_its_hash(api):
    for url, integrity in _assets(await _page(api)).items():
        response = await api.client.get(url)
        assert response.status == 200, url
        assert response.content_type == CONTENT_TYPES["." + url.rsplit(".", 1)[1]], url
        assert "immutable" in response.headers["Cache-Control"]
        body = await response.read()
        assert integrity == "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()


async def test_the_page_opens_the_headers_editor_asking_for_an_api_key(api):
    page = await _page(api)
    assert 'defaultEditorToolsVisibility: "headers"' in page
    assert f"defaultHeaders: {json.dumps(ide.DEFAULT_HEADERS)}" in page
    assert json.loads(ide.DEFAULT_HEADERS) == {"Authorization": "Bearer <your API key>"}


async def test_the_example_query_on_the_page_runs_against_the_api(api):
    assert json.dumps(ide.DEFAULT_QUERY) in await _page(api)
    await api.rest_json("POST", "/billingRuns/", 201, json={"name": "November 2026"})
    data = await api.gql(ide.DEFAULT_QUERY)
    assert data["billingRuns"]["totalCount"] == 1
    assert data["billingRuns"]["nodes"][0]["name"] == "November 2026"


async def test_nothing_but_the_page_files_is_served_from_the_static_path(api):
    for name in ("graphiql-3.8.3/LICENSE", "../ide.py", "%2e%2e/ide.py", "nope.js"):
        response = await api.client.get("/graphql/static/" + name)
        assert response.status == 404, name
