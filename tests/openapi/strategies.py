"""Hypothesis strategies for the wire values schemathesis cannot guess: exact money
(the REST `decimal` format and GraphQL's `Decimal` scalar), and dates and instants in
every spelling the server reads."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from billing.money import AMOUNT_LIMIT

#: The largest amount a client may send, exact to 4 places.
_LARGEST = AMOUNT_LIMIT - Decimal("0.0001")


def amounts(places: int = 4, *, negative: bool = True) -> st.SearchStrategy[Decimal]:
    """Valid amounts: at most `places` decimals, below 10**14 in size."""
    return st.decimals(
        min_value=-_LARGEST if negative else Decimal(0),
        max_value=_LARGEST,
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


def amount_texts() -> st.SearchStrategy[str]:
    """Amounts as numeric text: "12.50", "0.0001", "-3" (mostly not negative, as charges
    and customers' money must be)."""
    values = st.one_of(
        amounts(4, negative=False), amounts(2, negative=False), amounts(0), amounts(4)
    )
    return values.map(lambda value: f"{value:f}")


def dates() -> st.SearchStrategy[str]:
    return st.dates().map(lambda day: day.isoformat())


def instants() -> st.SearchStrategy[str]:
    """RFC 3339 instants with Z or any offset, and the bare dates the server also reads."""
    offsets = st.one_of(
        st.just("Z"),
        st.builds(
            lambda sign, hours, minutes: f"{sign}{hours:02d}:{minutes:02d}",
            st.sampled_from("+-"),
            st.integers(0, 23),
            st.integers(0, 59),
        ),
    )
    moments = st.datetimes().map(lambda moment: moment.isoformat(timespec="microseconds"))
    # Within a day of the ends of the calendar an offset can move the instant past them.
    safe = st.datetimes(min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31)).map(
        lambda moment: moment.isoformat(timespec="microseconds")
    )
    return st.one_of(st.builds(str.__add__, safe, offsets), moments.map(str), dates())


def ids() -> st.SearchStrategy[object]:
    """GraphQL IDs: mostly the ids of seeded rows (as text or numbers), sometimes any."""
    seeded = st.integers(1, 4)
    return st.one_of(
        seeded.map(str).map(nodes.String),
        seeded.map(nodes.Int),
        st.integers(0, 2**63 - 1).map(str).map(nodes.String),
        st.text().map(nodes.String),
    )


def register() -> None:
    """Teach schemathesis our formats and scalars (idempotent)."""
    schemathesis.openapi.format("decimal", amount_texts())
    schemathesis.openapi.format("date-time", instants())
    schemathesis.openapi.format("date", dates())
    schemathesis.graphql.scalar("Decimal", amount_texts().map(nodes.String))
    schemathesis.graphql.scalar("Date", dates().map(nodes.String))
    schemathesis.graphql.scalar("DateTime", instants().map(nodes.String))
    schemathesis.graphql.scalar("ID", ids())
