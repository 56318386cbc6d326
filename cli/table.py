"""A table of commands: the parser it gives, and running the command a user named."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cli.database import DatabaseUnavailable

Handler = Callable[[argparse.Namespace], int]


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    pass


@dataclass(frozen=True)
class Command:
    name: str
    #: What it does, one line for `--help`.
    help: str
    #: Runs the command with the parsed arguments; returns the exit code.
    handler: Handler
    #: Adds the command's own arguments to its parser.
    arguments: Callable[[argparse.ArgumentParser], None] = _no_arguments


@dataclass(frozen=True)
class Program:
    name: str
    description: str
    epilog: str
    commands: Sequence[Command]
    #: The command run when none is named.
    default: str

    def parser(self) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(
            prog=self.name, description=self.description, epilog=self.epilog
        )
        subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
        for command in self.commands:
            command.arguments(subparsers.add_parser(command.name, help=command.help))
        return parser

    def run(self, argv: Sequence[str] | None = None) -> int:
        """Parse `argv`, run the command; an expected failure is one `error:` line, exit 2."""
        args = self.parser().parse_args(argv)
        name = args.command or self.default
        # A server logs what it does; a one-shot command's stderr is for its own messages.
        level = logging.INFO if name == self.default else logging.WARNING
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
        logging.getLogger("tortoise").setLevel(logging.WARNING)
        command = next(command for command in self.commands if command.name == name)
        try:
            return command.handler(args)
        except (DatabaseUnavailable, ValueError) as exc:
            return fail(str(exc))


def fail(message: str) -> int:
    """Say what went wrong on stderr; the exit code for it."""
    print(f"error: {message}", file=sys.stderr)
    return 2
