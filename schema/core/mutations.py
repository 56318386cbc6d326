"""What every mutation returns: the action's result, or its expected failures as userErrors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

from billing.errors import BillingError

R = TypeVar("R")
N = TypeVar("N")


@strawberry.type(description="An expected failure of a mutation.")
class UserError:
    field: str | None = strawberry.field(description="The input field at fault, if one is.")
    code: str = strawberry.field(
        description="The error code, the same as the REST shim's (e.g. FIELD_LOCKED)."
    )
    message: str = strawberry.field(description="What went wrong, for people.")

    @classmethod
    def from_error(cls, error: BillingError) -> list[UserError]:
        return [cls(field=e.field, code=str(e.code), message=e.message) for e in error.errors]


async def attempt(action: Awaitable[R], node: Callable[[R], N]) -> tuple[N | None, list[UserError]]:
    """Await a billing action: its result as `node` makes it, or None and its expected
    failure as userErrors."""
    try:
        result = await action
    except BillingError as error:
        return None, UserError.from_error(error)
    return node(result), []
