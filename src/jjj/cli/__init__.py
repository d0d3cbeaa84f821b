"""The ``jjj`` command: one sub-command per module in this package."""

from __future__ import annotations

import sys

import click

from jjj import __version__
from jjj.cli.errors import report_and_exit
from jjj.errors import JjjError

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jjj")
def cli() -> None:
    """jjj — one public-transport network for the Beijing–Tianjin–Hebei region."""


def _register() -> None:
    # One import per sub-command module; each module defines a ``command``.
    from jjj.cli import build_command, info_command, validate_command

    for module in (validate_command, build_command, info_command):
        cli.add_command(module.command)
    from jjj.cli import fare_command

    cli.add_command(fare_command.command)
    from jjj.cli import plan_command

    cli.add_command(plan_command.command)
    from jjj.cli import circle_command, isochrone_command, matrix_command

    for module in (matrix_command, isochrone_command, circle_command):
        cli.add_command(module.command)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; bad input prints one line per problem and exits non-zero, no traceback."""
    try:
        # Outside standalone mode click returns (not raises) the code of a raised Exit.
        code = cli.main(args=argv, prog_name="jjj", standalone_mode=False)
        if isinstance(code, int) and code != 0:
            sys.exit(code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except JjjError as exc:
        report_and_exit(exc)
