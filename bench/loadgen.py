"""A small aiohttp-client load generator, used when `wrk` is not installed.

Same inputs and output as the wrk scripts: a method, a path and a body where `{id}`
stands for a random run id in 1..max_id, an Authorization header; it prints one line
`BENCH_JSON {...}` with the request count, duration, p50/p99/max latency (µs) and
error counts. `--processes` plays the part of wrk's threads.

    python bench/loadgen.py --url http://127.0.0.1:8000 --method GET \
        --path '/backend/api/v1/billingRuns/{id}' --duration 10 --connections 32
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass
class Tally:
    requests: int = 0
    status_errors: int = 0
    socket_errors: int = 0
    timeouts: int = 0
    bytes: int = 0
    latencies_us: list[int] = field(default_factory=list)


async def _worker(
    session: aiohttp.ClientSession,
    args: argparse.Namespace,
    tally: Tally,
    deadline: float,
    rng: random.Random,
) -> None:
    headers = {"Authorization": args.authorization} if args.authorization else {}
    if args.body is not None:
        headers["Content-Type"] = "application/json"
    while time.monotonic() < deadline:
        ident = str(rng.randint(1, args.max_id))
        path = args.path.replace("{id}", ident)
        body = args.body.replace("{id}", ident) if args.body is not None else None
        started = time.perf_counter()
        try:
            async with session.request(
                args.method, args.url + path, data=body, headers=headers
            ) as response:
                payload = await response.read()
        except TimeoutError:
            tally.timeouts += 1
            continue
        except aiohttp.ClientError:
            tally.socket_errors += 1
            continue
        tally.latencies_us.append(int((time.perf_counter() - started) * 1e6))
        tally.requests += 1
        tally.bytes += len(payload)
        if response.status > 399:
            tally.status_errors += 1


async def _run(args: argparse.Namespace, seed: int) -> dict[str, Any]:
    tally = Tally()
    connector = aiohttp.TCPConnector(limit=args.connections)
    timeout = aiohttp.ClientTimeout(total=2)
    rng = random.Random(seed)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.monotonic()
        deadline = started + args.duration
        await asyncio.gather(
            *(_worker(session, args, tally, deadline, rng) for _ in range(args.connections))
        )
        elapsed = time.monotonic() - started
    return {
        "requests": tally.requests,
        "duration_us": int(elapsed * 1e6),
        "latencies_us": tally.latencies_us,
        "status": tally.status_errors,
        "read": tally.socket_errors,
        "timeout": tally.timeouts,
        "bytes": tally.bytes,
    }


def _process(job: tuple[argparse.Namespace, int]) -> dict[str, Any]:
    args, seed = job
    return asyncio.run(_run(args, seed))


def _percentile(values: list[int], fraction: float) -> int:
    if not values:
        return 0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Drive the target from `args.processes` processes; combine their tallies."""
    per_process = max(1, args.connections // args.processes)
    worker_args = argparse.Namespace(**{**vars(args), "connections": per_process})
    jobs = [(worker_args, 7919 * (index + 1)) for index in range(args.processes)]
    with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
        parts = pool.map(_process, jobs)
    latencies = [value for part in parts for value in part["latencies_us"]]
    return {
        "requests": sum(part["requests"] for part in parts),
        "duration_us": max(part["duration_us"] for part in parts),
        "p50_us": _percentile(latencies, 0.50),
        "p99_us": _percentile(latencies, 0.99),
        "max_us": max(latencies, default=0),
        "connect": 0,
        "read": sum(part["read"] for part in parts),
        "write": 0,
        "status": sum(part["status"] for part in parts),
        "timeout": sum(part["timeout"] for part in parts),
        "bytes": sum(part["bytes"] for part in parts),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="aiohttp-client load generator")
    parser.add_argument("--url", required=True, help="scheme, host and port")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--path", required=True, help="may hold {id}")
    parser.add_argument("--body", default=None, help="may hold {id}")
    parser.add_argument("--authorization", default=None)
    parser.add_argument("--max-id", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args(argv)
    print("BENCH_JSON " + json.dumps(measure(args)), flush=True)


if __name__ == "__main__":
    main()
