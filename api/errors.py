"""Error bodies, and the one map from an HTTP status to an error code."""

from __future__ import annotations

from aiohttp import web

from api.keys import REQUEST_ID
from api.limits import too_large_message
from api.paths import is_graphql
from api.request_ids import HEADER
from api.responses import error_response, json_response
from billing.errors import BillingError, ErrorCode

#: The code an HTTP-level failure reports (both transports; others are BAD_REQUEST).
HTTP_CODES = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.UNAUTHORIZED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
}
_HTTP_MESSAGES = {
    404: "no such resource",
    405: "method not allowed",
}


def error_body(request: web.Request, error: BillingError) -> web.Response:
    """The contract's error body; GraphQL clients get the GraphQL shape instead."""
    headers = {HEADER: request[REQUEST_ID]}
    if error.code == ErrorCode.UNAUTHORIZED:
        headers["WWW-Authenticate"] = "Bearer"
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    if is_graphql(request):
        extensions = {"code": str(error.code), "requestId": request[REQUEST_ID]}
        response = json_response(
            {"errors": [{"message": error.message, "extensions": extensions}]}, error.http_status
        )
        response.headers.update(headers)
        return response
    return error_response(error, headers)


def http_error_body(request: web.Request, exc: web.HTTPException) -> web.Response:
    """An HTTP-level failure (no route, wrong method, body too large) as an error body."""
    code = HTTP_CODES.get(exc.status, ErrorCode.BAD_REQUEST)
    if exc.status == 413:
        message = too_large_message(request.app)
    else:
        message = _HTTP_MESSAGES.get(exc.status) or exc.reason
    response = error_body(request, BillingError(code, message))
    if exc.status == 405 and "Allow" in exc.headers:
        response.headers["Allow"] = exc.headers["Allow"]
    return response


def render_error(request: web.Request, exc: BillingError | web.HTTPException) -> web.Response:
    """The error body for an expected failure (an HTTPException under 400 is re-raised)."""
    if isinstance(exc, BillingError):
        return error_body(request, exc)
    if exc.status < 400:
        raise exc
    return http_error_body(request, exc)


def unexpected_error_body(request: web.Request) -> web.Response:
    """A bare 500 that names the request id, and nothing of what went wrong."""
    message = f"an unexpected error occurred; quote request id {request[REQUEST_ID]}"
    return error_body(request, BillingError(ErrorCode.INTERNAL, message))
