"""How the CLI reports bad input: one line per problem on stderr, then a non-zero exit."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from jjj.errors import FeedError, JjjError

__all__ = ["EXIT_BAD_REQUEST", "EXIT_INVALID", "report_and_exit"]

#: The input was read but is invalid (a feed with errors, a build that failed).
EXIT_INVALID = 1
#: The request itself is bad (unknown stop, malformed time, missing file).
EXIT_BAD_REQUEST = 2


def report_and_exit(error: JjjError, *, exit_code: int | None = None) -> NoReturn:
    """Print ``error`` (and each of its problems) as single lines and exit."""
    problems = error.problems if isinstance(error, FeedError) else []
    if problems:
        from jjj.gtfs.notices import Notice, format_notice

        for problem in problems:
            text = format_notice(problem) if isinstance(problem, Notice) else str(problem)
            click.echo(f"jjj: {text}", err=True)
    click.echo(f"jjj: error: {error}", err=True)
    code = exit_code
    if code is None:
        code = EXIT_INVALID if isinstance(error, FeedError) else EXIT_BAD_REQUEST
    sys.exit(code)
