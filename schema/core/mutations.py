"""What every mutation returns: the action's result, or its expected failures as
userErrors (saleor's core/mutations.py; strawberry's payload pattern)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Self

import strawberry

from billing.errors import BillingError


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


def result_field(what: str) -> Any:
    """A payload's result: `what` the action gave, or null when it failed."""
    return strawberry.field(description=f"{what}; null when the mutation failed.")


def user_errors_field(
    description: str = "Why the mutation failed; empty on success.",
) -> list[UserError]:
    """A payload's `userErrors`, declared after its result field."""
    return strawberry.field(description=description)


class Payload:
    """Base of a mutation's payload: one result field, then `user_errors`.

    A payload names how it shows the action's result:
    `class CustomerPayload(Payload, result=Customer.from_record)`.
    """

    _result: ClassVar[Callable[[Any], Any]]

    def __init_subclass__(cls, result: Callable[[Any], Any], **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._result = staticmethod(result)

    @classmethod
    async def attempt(cls, action: Awaitable[Any]) -> Self:
        """Await a domain action: the payload of its result, or of its expected failure."""
        field = _result_name(cls)  # type: ignore[arg-type]  # a class is hashable (lru_cache)
        try:
            result = await action
        except BillingError as error:
            # strawberry writes each payload's __init__, with user_errors and its result field
            return cls(**{field: None}, user_errors=UserError.from_error(error))  # type: ignore[call-arg]
        return cls(**{field: cls._result(result)}, user_errors=[])  # type: ignore[call-arg]


@functools.cache
def _result_name(payload: type) -> str:
    return next(f.name for f in dataclasses.fields(payload) if f.name != "user_errors")
