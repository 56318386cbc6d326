"""Progress bars (tqdm) for long command-line work, drawn on a terminal only.

On a pipe or a file they draw nothing, so a command's output stays what scripts read.
"""

from __future__ import annotations

import os
from typing import Never, TextIO

from tqdm import tqdm

from billing.importing import Progress
from billing.runs import RunRecord

#: The size used when the terminal does not say its own.
FALLBACK_SIZE = os.terminal_size((80, 24))


def terminal_bar(
    stream: TextIO, desc: str, unit: str, *, unit_scale: bool = False, unit_divisor: int = 1000
) -> tqdm[Never]:
    """A tqdm bar on `stream` if it is a terminal; a silent one otherwise."""
    return tqdm(
        file=stream,
        disable=not stream.isatty(),
        desc=desc,
        unit=unit,
        unit_scale=unit_scale,
        unit_divisor=unit_divisor,
        # Given, not measured by tqdm: a new pseudo-terminal says 0 x 0, and tqdm then
        # draws nothing.
        ncols=_size(stream).columns or FALLBACK_SIZE.columns,
        nrows=_size(stream).lines or FALLBACK_SIZE.lines,
        mininterval=0.1,
    )


def _size(stream: TextIO) -> os.terminal_size:
    try:
        return os.get_terminal_size(stream.fileno())
    except (OSError, ValueError):
        return FALLBACK_SIZE


class ImportBar:
    """`import-calls`: bytes of the file read, and calls imported so far."""

    def __init__(self, stream: TextIO) -> None:
        self.bar = terminal_bar(
            stream, desc="importing", unit="B", unit_scale=True, unit_divisor=1024
        )

    def __call__(self, progress: Progress) -> None:
        self.bar.total = progress.bytes_total
        self.bar.set_postfix_str(f"{progress.rows:,} calls", refresh=False)
        self.bar.update(progress.bytes_read - self.bar.n)

    def close(self) -> None:
        self.bar.close()


class RowsBar:
    """`demo-data`: rows written of the rows to write."""

    def __init__(self, stream: TextIO) -> None:
        self.bar = terminal_bar(stream, desc="writing", unit=" rows", unit_scale=True)

    def __call__(self, done: int, total: int) -> None:
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


class RunBar:
    """`bill`: customers of the run billed, by any process."""

    def __init__(self, stream: TextIO) -> None:
        self.bar = terminal_bar(stream, desc="billing", unit=" customers")

    def __call__(self, run: RunRecord) -> None:
        if run.customers_in_scope is not None:
            self.bar.total = run.customers_in_scope
        self.bar.set_postfix_str(run.status, refresh=False)
        self.bar.update(run.customers_done - self.bar.n)

    def close(self) -> None:
        self.bar.close()
