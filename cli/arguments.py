"""Argument types for argparse."""

from __future__ import annotations

import argparse

from billing.numbers import parse_whole


def count_argument(text: str) -> int:
    """A whole number, 0 or more."""
    try:
        return parse_whole(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number, 0 or more (not {text!r})"
        ) from None
