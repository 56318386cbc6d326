"""Input helpers. Absent fields are left alone; null clears a field."""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry
from strawberry.utils.str_converters import to_camel_case


def wire_fields(data: object) -> dict[str, Any]:
    """The fields a client sent, by their wire (camelCase) names; UNSET ones left out."""
    return {
        to_camel_case(f.name): getattr(data, f.name)
        for f in dataclasses.fields(data)  # type: ignore[arg-type]
        if getattr(data, f.name) is not strawberry.UNSET
    }
