"""Wire data every suite sends, whichever way it sends it (REST, GraphQL or the domain
actions directly): valid fields for a run, a call and a transaction, fresh account
numbers, and REST bodies read with their exact decimals."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from typing import Any

#: Dates that let bills be requested for a run.
READY = {"invoiceDate": "2026-12-01", "cutoffDate": "2026-12-01", "dueDate": "2026-12-15"}
_accounts = itertools.count(1)


def account_number(prefix: str = "ACC") -> str:
    """An account number no other customer of this test session has."""
    return f"{prefix}{next(_accounts)}"


def call_fields(customer: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A valid new call for `customer`, before the cutoff of `READY` runs."""
    return {
        "customerId": customer["id"],
        "startTime": "2026-11-20T10:00:00Z",
        "duration": 60,
        "numberDialled": "01234567890",
        "charge": "1.00",
        **fields,
    }


def transaction_fields(customer: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A valid new transaction for `customer` (type Rental), before the READY cutoff."""
    return {
        "customerId": customer["id"],
        "transactionType": "Rental",
        "transactionDate": "2026-11-15",
        "amount": "10.00",
        **fields,
    }


async def exact(api: Any, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
    """A REST response body with JSON numbers read as Decimal (so 12.50 keeps its places)."""
    response = await api.rest(method, path, **kwargs)
    text = await response.text()
    assert response.status == status, text
    return json.loads(text, parse_float=Decimal)
