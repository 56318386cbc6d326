"""Input fields: a field left out is UNSET and leaves the value alone; null clears it."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.utils.str_converters import to_camel_case

T = TypeVar("T")

#: The `input` argument of a mutation that changes something.
Changes = Annotated[T, strawberry.argument(description="What to change.")]


def optional_field(description: str) -> Any:
    """An input field a client may leave out."""
    return strawberry.field(default=strawberry.UNSET, description=description)


def wire_fields(data: object) -> dict[str, Any]:
    """The fields a client sent, by their wire (camelCase) names; UNSET ones left out."""
    return {
        to_camel_case(f.name): getattr(data, f.name)
        for f in dataclasses.fields(data)  # type: ignore[arg-type]
        if getattr(data, f.name) is not strawberry.UNSET
    }
