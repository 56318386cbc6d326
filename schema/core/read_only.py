"""The key's say over each GraphQL operation: read-only keys run queries and
subscriptions, never mutations; on a websocket, every operation re-checks the key."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from api import access
from api.keys import API_KEY
from billing.errors import BillingError, ErrorCode

READ_ONLY_MESSAGE = "this API key is read-only: it cannot run mutations"


class KeyChecks(SchemaExtension):
    """Refuse an operation the key may not run, after validation and before execution.

    The operation is the one the document and `operationName` select, whatever the
    transport. Over HTTP the middleware has just checked the key; a websocket checked
    it once, at `connection_init`, so each operation on it checks it again (revoked,
    expired, over its rate). The view answers FORBIDDEN over HTTP as a 403.
    """

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        request: web.Request | None = getattr(context.context, "request", None)
        key = request.get(API_KEY) if request is not None else None
        if request is None or key is None:  # no key was checked for this request: nothing may run
            raise _refusal(BillingError(ErrorCode.UNAUTHORIZED, "the API key is not valid"))
        if isinstance(getattr(context.context, "response", None), web.WebSocketResponse):
            try:
                await access.recheck(request, key)
            except BillingError as error:
                raise _refusal(error) from None
        if key.read_only and context.operation_type is OperationType.MUTATION:
            raise _refusal(BillingError(ErrorCode.FORBIDDEN, READ_ONLY_MESSAGE))
        yield


def _refusal(error: BillingError) -> GraphQLError:
    return GraphQLError(error.message, extensions={"code": str(error.code)})
