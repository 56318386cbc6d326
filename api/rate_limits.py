"""Token buckets: so many requests a second per API key or per client address."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

#: Buckets kept at most; past it the least recently used is dropped (which only forgets
#: how much of its burst that client had spent).
MAX_BUCKETS = 100_000


class RateLimiter:
    """One bucket per client: it holds up to `burst` tokens and refills at `rate` a second.

    A request takes a token; with none left it is refused and told how long to wait.
    Buckets live in least-recently-used order, so an idle one (refilled, so no different
    from a new one) is dropped as soon as it reaches the front: memory follows the number
    of clients seen in the last `burst / rate` seconds, capped at `max_buckets`.
    """

    def __init__(
        self,
        rate: float,
        burst: float,
        *,
        max_buckets: int = MAX_BUCKETS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("a rate limit needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self._refill_seconds = burst / rate
        self._max_buckets = max_buckets
        self._clock = clock
        #: client -> [tokens, when they were counted]
        self._buckets: OrderedDict[Hashable, list[float]] = OrderedDict()

    def take(self, client: Hashable) -> int:
        """Take a token: 0 when the request may go ahead, else whole seconds to wait (≥ 1)."""
        now = self._clock()
        self._drop_idle(now)
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= self._max_buckets:
                self._buckets.popitem(last=False)
            bucket = self._buckets[client] = [self.burst, now]
        else:
            self._buckets.move_to_end(client)
            bucket[0] = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
            bucket[1] = now
        if bucket[0] >= 1:
            bucket[0] -= 1
            return 0
        return max(1, math.ceil((1 - bucket[0]) / self.rate))

    def give_back(self, client: Hashable) -> None:
        """Return the token a request took (it turned out not to count)."""
        bucket = self._buckets.get(client)
        if bucket is not None:
            bucket[0] = min(self.burst, bucket[0] + 1)

    @property
    def clients(self) -> int:
        """How many buckets are kept (a limiter is never falsy for being empty)."""
        return len(self._buckets)

    def _drop_idle(self, now: float) -> None:
        while self._buckets:
            _, (_, counted) = next(iter(self._buckets.items()))
            if now - counted < self._refill_seconds:
                return
            self._buckets.popitem(last=False)
