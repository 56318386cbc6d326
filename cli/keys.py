"""API key commands: create-api-key, list-api-keys, revoke-api-key."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime

from billing import auth

COMMANDS = ("create-api-key", "list-api-keys", "revoke-api-key")
HEADINGS = ("NAME", "PREFIX", "READ-ONLY", "CREATED", "LAST USED", "EXPIRES", "REVOKED")


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    create = commands.add_parser("create-api-key", help="create an API key and print it last")
    create.add_argument("name", help="who or what the key is for")
    create.add_argument("--read-only", action="store_true", help="the key may read, never write")
    create.add_argument(
        "--expires-in",
        type=_days,
        metavar="DAYS",
        help=f"refuse the key after this many days (1 to {auth.MAX_EXPIRY_DAYS})",
    )
    commands.add_parser("list-api-keys", help="list API keys (never the keys themselves)")
    revoke = commands.add_parser(
        "revoke-api-key", help="refuse a key from now on, in every server process"
    )
    revoke.add_argument(
        "key",
        metavar="NAME_OR_PREFIX",
        help="the key's name, its prefix (list-api-keys shows it) or the key itself",
    )


async def run(args: argparse.Namespace) -> int:
    """Run one key command (with the database open); errors are ValueErrors."""
    if args.command == "create-api-key":
        key = await auth.create_api_key(
            args.name, read_only=args.read_only, expires_in_days=args.expires_in
        )
        print(
            f"API key for {args.name} (prefix {auth.key_prefix(key)}"
            + (", read-only" if args.read_only else "")
            + (f", expires in {args.expires_in} days" if args.expires_in else "")
            + "; shown only once):"
        )
        print(key)
    elif args.command == "list-api-keys":
        print("\n".join(key_table(await auth.list_api_keys())))
    else:
        key, revoked = await auth.revoke_api_key(args.key)
        if revoked:
            print(f"revoked API key {key.label}")
        else:
            print(f"API key {key.label} was already revoked on {when(key.revoked_date)}")
    return 0


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
