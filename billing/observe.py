"""What the engine reports as it bills, for whoever watches (metrics, logs).

Plain callbacks, so the domain names no metrics library and no HTTP: `api.metrics`
subscribes its counters at import. A watcher that raises is logged and skipped; it never
fails a chunk that has already committed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

log = logging.getLogger("billing.engine")
T = TypeVar("T")


@dataclass(frozen=True)
class RunSummary:
    """A run that has just become Complete, as the engine that completed it saw it."""

    run_id: int
    customers: int
    invoices_produced: int
    invoices_not_produced: int
    #: From the run's start (commencedDate) to its completion, in seconds.
    seconds: float


CustomersBilled = Callable[[int], None]
RunCompleted = Callable[[RunSummary], None]

_customers_billed: list[CustomersBilled] = []
_runs_completed: list[RunCompleted] = []


def on_customers_billed(callback: CustomersBilled) -> None:
    """Call `callback(count)` after each chunk commits, with its customer count."""
    if callback not in _customers_billed:
        _customers_billed.append(callback)


def on_run_completed(callback: RunCompleted) -> None:
    """Call `callback(summary)` once per run, in the process that completes it."""
    if callback not in _runs_completed:
        _runs_completed.append(callback)


def customers_billed(count: int) -> None:
    for callback in _customers_billed:
        _safely(callback, count)


def run_completed(summary: RunSummary) -> None:
    for callback in _runs_completed:
        _safely(callback, summary)


def _safely(callback: Callable[[T], None], value: T) -> None:
    try:
        callback(value)
    except Exception:
        log.exception("a billing observer failed")


class Every:
    """Say yes at most once per `seconds`, the first time `seconds` after creation.

    Rate-limits a progress line: a run shorter than that logs only its start and end.
    """

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._next = clock() + seconds

    def due(self) -> bool:
        now = self._clock()
        if now < self._next:
            return False
        self._next = now + self.seconds
        return True
