"""API key commands: create-api-key, list-api-keys, revoke-api-key."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from billing import auth
from billing.settings import Settings
from cli.database import with_database

T = TypeVar("T")
HEADINGS = ("NAME", "PREFIX", "READ-ONLY", "CREATED", "LAST USED", "EXPIRES", "REVOKED")


def create_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="who or what the key is for")
    parser.add_argument("--read-only", action="store_true", help="the key may read, never write")
    parser.add_argument(
        "--expires-in",
        type=_days,
        metavar="DAYS",
        help=f"refuse the key after this many days (1 to {auth.MAX_EXPIRY_DAYS})",
    )


def revoke_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "key",
        metavar="NAME_OR_PREFIX",
        help="the key's name, its prefix (list-api-keys shows it) or the key itself",
    )


def create_api_key(args: argparse.Namespace) -> int:
    key = _run(
        lambda: auth.create_api_key(
            args.name, read_only=args.read_only, expires_in_days=args.expires_in
        )
    )
    print(
        f"API key for {args.name} (prefix {auth.key_prefix(key)}"
        + (", read-only" if args.read_only else "")
        + (f", expires in {args.expires_in} days" if args.expires_in else "")
        + "; shown only once):"
    )
    print(key)
    return 0


def list_api_keys(args: argparse.Namespace) -> int:
    print("\n".join(key_table(_run(auth.list_api_keys))))
    return 0


def revoke_api_key(args: argparse.Namespace) -> int:
    key, revoked = _run(lambda: auth.revoke_api_key(args.key))
    if revoked:
        print(f"revoked API key {key.label}")
    else:
        print(f"API key {key.label} was already revoked on {when(key.revoked_date)}")
    return 0


def _run(action: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(with_database(Settings.from_env(), action))


def key_table(keys: Sequence[auth.KeyListing]) -> list[str]:
    """The keys as a table of aligned columns (times in UTC, '-' for none)."""
    if not keys:
        return ["no API keys"]
    rows = [HEADINGS] + [
        (
            key.name,
            key.prefix or "-",
            "yes" if key.read_only else "no",
            when(key.created_date),
            when(key.last_used_date),
            when(key.expires_date),
            when(key.revoked_date),
        )
        for key in keys
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 1 <= days <= auth.MAX_EXPIRY_DAYS:
        raise argparse.ArgumentTypeError(f"a key expires in 1 to {auth.MAX_EXPIRY_DAYS} days")
    return days
