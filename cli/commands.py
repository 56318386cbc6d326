"""The commands other than `serve`: each a handler and the arguments it takes."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from billing import demo, importing
from billing.settings import Settings
from cli import migrations, summaries
from cli.arguments import count_argument
from cli.database import database_ready, with_database
from cli.progress import ImportBar, RowsBar
from schema.schema import schema

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "schema.graphql"


def migrate(args: argparse.Namespace) -> int:
    applied = asyncio.run(database_ready(Settings.from_env()))
    print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")
    return 0


def schema_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", nargs="?", default=str(SCHEMA_FILE), help="where to write it ('-' for stdout)"
    )


def export_schema(args: argparse.Namespace) -> int:
    sdl = schema.as_str() + "\n"
    if args.path == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.path).write_text(sdl)
        print(f"wrote {args.path}")
    return 0


def migration_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help="a short name for the change")


def make_migrations(args: argparse.Namespace) -> int:
    for line in asyncio.run(migrations.make_migrations(args.name)) or ["no changes"]:
        print(line)
    return 0


def import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", help="CSV with the header " + ",".join(importing.HEADER) + " (RFC 3339 times)"
    )


def import_calls(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    count = asyncio.run(with_database(settings, lambda: _import_with_bar(args.file)))
    print(f"imported {count} calls")
    return 0


async def _import_with_bar(path: str) -> int:
    """Import with a progress bar on stderr (when it is a terminal)."""
    bar = ImportBar(sys.stderr)
    try:
        return await importing.import_calls(path, progress=bar)
    finally:
        bar.close()


def demo_arguments(parser: argparse.ArgumentParser) -> None:
    for flag, default in (
        ("--customers", demo.DemoPlan.customers),
        ("--calls-per-customer", demo.DemoPlan.calls_per_customer),
        ("--transactions-per-customer", demo.DemoPlan.transactions_per_customer),
        ("--seed", demo.DemoPlan.seed),
    ):
        parser.add_argument(
            flag, type=count_argument, default=default, metavar="N", help=f"(default {default})"
        )


def demo_data(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    plan = demo.DemoPlan(
        customers=args.customers,
        calls_per_customer=args.calls_per_customer,
        transactions_per_customer=args.transactions_per_customer,
        seed=args.seed,
    )
    summary = asyncio.run(with_database(settings, lambda: _demo_with_bar(plan)))
    print("\n".join(summaries.demo_data(summary, f"http://{settings.host}:{settings.port}")))
    return 0


async def _demo_with_bar(plan: demo.DemoPlan) -> demo.DemoSummary:
    """Create the demo data with a progress bar on stderr (when it is a terminal)."""
    bar = RowsBar(sys.stderr)
    try:
        return await demo.create_demo_data(plan, progress=bar)
    finally:
        bar.close()
