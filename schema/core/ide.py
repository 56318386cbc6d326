"""The GraphiQL page, with its scripts and styles served by this app instead of unpkg.com.

strawberry's stock page loads React, GraphiQL and the explorer plugin from unpkg.com, so
on a machine without internet it stays at "Loading..." forever. The same files, byte for
byte (the page's integrity hashes still hold), are in schema/static/graphiql/, copied
from the npm registry (see its README.md). The page is strawberry's template with
those URLs pointed here, a billingRuns example query, and the Headers editor open and
pre-filled with the Authorization header to complete with an API key.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from aiohttp import web
from strawberry.http.ides import get_graphql_ide_html

from api.middlewares import GRAPHQL_PATH

ASSET_DIR = Path(__file__).resolve().parents[1] / "static" / "graphiql"
ASSET_URL = GRAPHQL_PATH + "/static/"
ASSET_ROUTE = ASSET_URL + "{name:.+}"

# Each URL in strawberry's template, and the file under ASSET_DIR holding the same bytes.
# The directory names carry the versions, so the files can be cached for good.
UNPKG_FILES = {
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": (
        "react-18.2.0/react.production.min.js"
    ),
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js": (
        "react-dom-18.2.0/react-dom.production.min.js"
    ),
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js-cookie-3.0.5/js.cookie.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql-3.8.3/graphiql.min.css",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": (
        "graphiql-plugin-explorer-1.0.2/style.css"
    ),
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql-3.8.3/graphiql.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": (
        "graphiql-plugin-explorer-1.0.2/index.umd.js"
    ),
}

DEFAULT_HEADERS = '{\n  "Authorization": "Bearer <your API key>"\n}'

DEFAULT_QUERY = """\
# Billing runs GraphiQL
#
# Every request needs an API key: in Headers
# below, replace <your API key> with yours.
# No key yet? On the server, run
#   python server.py create-api-key NAME
#
# Then re-fetch the schema (circular arrows,
# bottom left, or Ctrl-Shift-R) for docs and
# autocompletion, and run the query below with
# Ctrl-Enter or the play button.

query BillingRuns {
  billingRuns(first: 10) {
    totalCount
    nodes {
      id
      name
      status
      invoiceDate
      invoiceAmount
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
"""

_CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
_CACHE_FOREVER = "public, max-age=31536000, immutable"
_SERVED = frozenset(UNPKG_FILES.values())  # nothing else under ASSET_DIR is served


def _replace_once(html: str, old: str, new: str) -> str:
    if html.count(old) != 1:
        raise RuntimeError(f"strawberry's GraphiQL template changed: {old!r} is not there once")
    return html.replace(old, new)


@functools.cache
def graphiql_html() -> str:
    """strawberry's GraphiQL page, loading its files from this app."""
    html = get_graphql_ide_html("graphiql")
    for url, name in UNPKG_FILES.items():
        html = _replace_once(html, f'"{url}"', f'"{ASSET_URL}{name}"')
    html = _replace_once(html, "<title>Strawberry GraphiQL</title>", "<title>Billing runs</title>")
    start = html.find("const EXAMPLE_QUERY = `")
    end = html.find("`;", start)
    if start < 0 or end < 0:
        raise RuntimeError("strawberry's GraphiQL template changed: no EXAMPLE_QUERY")
    example = f"const EXAMPLE_QUERY = {json.dumps(DEFAULT_QUERY)};"
    html = html[:start] + example + html[end + 2 :]
    html = _replace_once(
        html, "defaultEditorToolsVisibility: true,", 'defaultEditorToolsVisibility: "headers",'
    )
    # The stored headers (the key once pasted) win over these; new tabs start with them.
    return _replace_once(
        html,
        "          headers: headers,\n",
        f"          headers: headers,\n          defaultHeaders: {json.dumps(DEFAULT_HEADERS)},\n",
    )


async def serve_asset(request: web.Request) -> web.StreamResponse:
    """One of the page's files; no API key needed, cached for good (versioned paths)."""
    name = request.match_info["name"]
    if name not in _SERVED:
        raise web.HTTPNotFound()
    path = ASSET_DIR / name
    headers = {"Content-Type": _CONTENT_TYPES[path.suffix], "Cache-Control": _CACHE_FOREVER}
    return web.FileResponse(path, headers=headers)
