"""Object types shown from the domain's records."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, Self

import strawberry
from strawberry.types.base import StrawberryOptional


@functools.cache
def _shown_fields(node: type) -> tuple[tuple[str, bool], ...]:
    """The type's data fields (not its resolvers), each with whether it is an ID."""
    fields = []
    for field in node.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        if field.base_resolver is None:
            kind = field.type
            if isinstance(kind, StrawberryOptional):
                kind = kind.of_type
            fields.append((field.python_name, kind is strawberry.ID))
    return tuple(fields)


class FromRecord:
    """Base of a type shown from a domain record: each of its fields is the record's field
    of the same name, and IDs are the text of the record's integers."""

    @classmethod
    def from_record(cls, record: Any, **shown: Any) -> Self:
        """The record as this type; `shown` gives the fields not copied as they are."""
        values = dict(shown)
        # A class is hashable; mypy does not see type[Self] as Hashable for lru_cache.
        for name, is_id in _shown_fields(cls):  # type: ignore[arg-type]
            if name not in shown:
                value = getattr(record, name)
                values[name] = str(value) if is_id and value is not None else value
        return cls(**values)

    @classmethod
    def from_records(cls, records: Iterable[Any]) -> list[Self]:
        return [cls.from_record(record) for record in records]
