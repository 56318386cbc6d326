"""The /graphql endpoint: strawberry's aiohttp view, brought to the GraphQL-over-HTTP spec.

On top of the stock view: `application/graphql-response+json` when the client accepts
it (with HTTP 400 and no `data` for requests that cannot execute), an
`extensions.code` on every error, unexpected errors masked with the request id, and
every HTTP-level failure in the same JSON shape.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from cross_web import HTTPException
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.aiohttp.views import GraphQLView
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from api import access
from api.errors import HTTP_CODES as _HTTP_CODES
from api.keys import API_KEY, REQUEST_ID
from api.unavailable import RETRY_AFTER_SECONDS
from billing.errors import BillingError, ErrorCode
from billing.unavailable import is_unavailable
from schema.core.context import Context
from schema.core.errors import GraphQLCode, is_unexpected
from schema.core.ide import graphiql_html
from schema.core.unavailable import UNAVAILABLE, close_unavailable, is_unavailable_error
from schema.dataloaders import Loaders

GRAPHQL_RESPONSE = "application/graphql-response+json"
_STATUS = web.RequestKey("graphql_status", int)
#: Set when an error was the database being unreachable: the answer is 503.
_UNAVAILABLE = web.RequestKey("graphql_unavailable", bool)
_REQUEST = web.ResponseKey("graphql_request", web.Request)
_KEY_PAYLOAD = '{"Authorization": "Bearer <key>"}'


def accepts_graphql_response(request: web.Request) -> bool:
    """Whether the Accept header names application/graphql-response+json (with q > 0)."""
    for part in request.headers.get("Accept", "").split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if media.lower() == GRAPHQL_RESPONSE:
            return not any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00") for p in params)
    return False


def _code(error: GraphQLError, request_failed: bool) -> str:
    if isinstance(error, GraphQLSyntaxError):
        return GraphQLCode.GRAPHQL_PARSE_FAILED
    if error.extensions and "code" in error.extensions:
        return str(error.extensions["code"])
    if request_failed:
        # Before execution: either the document breaks the schema's rules, or the
        # variables do not fit their types.
        if error.message.startswith("Variable '$"):
            return GraphQLCode.BAD_USER_INPUT
        return GraphQLCode.GRAPHQL_VALIDATION_FAILED
    return GraphQLCode.INTERNAL_SERVER_ERROR


class BillingGraphQLView(GraphQLView):
    @property
    def graphql_ide_html(self) -> str:
        # GraphiQL with its files served here (schema/core/ide.py), not from unpkg.com.
        return graphiql_html() if self.graphql_ide == "graphiql" else super().graphql_ide_html

    def decode_json(self, data: str | bytes) -> object:
        # JSON nested deeper than the interpreter's recursion limit (a variable holding
        # a list 10,000 deep) is malformed input: 400, not a RecursionError and a 500.
        try:
            return json.loads(data)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", "", 0) from None

    async def get_context(self, request: web.Request, response: Any) -> Context:  # type: ignore[override]
        return Context(request=request, response=response, loaders=Loaders())

    async def on_ws_connect(self, context: Context) -> None:  # type: ignore[override]
        """Subscriptions: the key comes in the upgrade's header or in `connection_init`."""
        params = context.connection_params if isinstance(context.connection_params, dict) else {}
        header = params.get("Authorization") or params.get("authorization")
        header = header or context.request.headers.get("Authorization")
        try:
            key = await access.authenticate(
                context.request, header if isinstance(header, str) else None
            )
        except BillingError as error:
            message = error.message
            if error.code == ErrorCode.UNAUTHORIZED:
                message += f" (send {_KEY_PAYLOAD} as the connection_init payload)"
            raise ConnectionRejectionError({"code": str(error.code), "message": message}) from None
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            await close_unavailable(context, exc)
            raise ConnectionRejectionError({"code": UNAVAILABLE}) from None
        context.request[API_KEY] = key

    async def process_result(  # type: ignore[override]
        self, request: web.Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        errors = result.errors or []
        # A request error (parse, validation, variables) stops execution: no path anywhere.
        request_failed = (
            bool(errors) and result.data is None and all(e.path is None for e in errors)
        )
        formatted = []
        for error in errors:
            body = error.formatted
            code = _code(error, request_failed)
            extensions = dict(body.get("extensions") or {}, code=code)
            if is_unexpected(error) and code == GraphQLCode.INTERNAL_SERVER_ERROR:
                request_id = request.get(REQUEST_ID, "")
                body["message"] = f"Unexpected error; quote request id {request_id}"
                extensions["requestId"] = request_id
            elif code == UNAVAILABLE:
                extensions["requestId"] = request.get(REQUEST_ID, "")
            body["extensions"] = extensions
            formatted.append(body)
        # The database could not be reached: 503 with Retry-After, and the whole request
        # is to be retried, so no `data` (GraphQL over HTTP allows it only with a 2xx).
        unavailable = any(is_unavailable_error(e) for e in errors)
        response: GraphQLHTTPResponse = {}
        if not (request_failed or unavailable):
            response["data"] = result.data
        if formatted:
            response["errors"] = formatted  # type: ignore[typeddict-item]
        if result.extensions:
            response["extensions"] = result.extensions
        if request_failed:
            request[_STATUS] = 400
            first = errors[0].extensions or {}
            if first.get("code") == ErrorCode.FORBIDDEN:  # schema/core/read_only.py
                # Answered like the other refusals of the key: HTTP 403, the error body.
                raise BillingError(ErrorCode.FORBIDDEN, errors[0].message)
        if unavailable:
            request[_UNAVAILABLE] = True
        return response

    def create_response(  # type: ignore[override]
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: web.Response,
    ) -> web.Response:
        response = super().create_response(response_data, sub_response)
        request: web.Request = sub_response[_REQUEST]
        if accepts_graphql_response(request):
            response.content_type = GRAPHQL_RESPONSE
            response.set_status(request.get(_STATUS, sub_response.status))
        if request.get(_UNAVAILABLE):
            response.set_status(503)
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    async def get_sub_response(self, request: web.Request) -> web.Response:
        response = web.Response()
        response[_REQUEST] = request  # per request, unlike the view, which is shared
        return response

    async def __call__(self, request: web.Request) -> web.StreamResponse:
        try:
            return await self.run(request=request)
        except HTTPException as exc:
            status = exc.status_code
            if exc.reason == "Unsupported content type":
                status = 415
            if isinstance(exc.__cause__, InvalidOperationTypeError) and request.method == "GET":
                status = 405  # GraphQL over HTTP: a mutation over GET is 405, not 400
            code = _HTTP_CODES.get(status, ErrorCode.BAD_REQUEST)
            response = web.json_response(
                {"errors": [{"message": exc.reason, "extensions": {"code": code}}]},
                status=status,
            )
            if status == 405:
                response.headers["Allow"] = "GET, POST"
            return response
