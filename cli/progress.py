"""A progress bar for imports, drawn on a terminal."""

from __future__ import annotations

import time
from typing import TextIO

from billing.importing import Progress


class ProgressBar:
    """A one-line progress bar on a terminal; silent when `stream` is not one."""

    WIDTH = 30
    EVERY = 0.1  # seconds between redraws

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.active = stream.isatty()
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.drawn = False

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        done = progress.bytes_read >= progress.bytes_total
        if not self.active or (now - self.drawn_at < self.EVERY and not done):
            return
        share = progress.bytes_read / progress.bytes_total if progress.bytes_total else 1.0
        filled = round(share * self.WIDTH)
        rate = progress.rows / max(now - self.started, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {share:4.0%} "
            f"{progress.rows:,} calls, {rate:,.0f}/s\x1b[K"
        )
        self.stream.flush()
        self.drawn_at = now
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
