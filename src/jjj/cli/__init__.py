"""The ``jjj`` command: one sub-command per module in this package."""

from __future__ import annotations

import importlib
import sys

import click

from jjj import __version__
from jjj.cli.errors import report_and_exit
from jjj.errors import JjjError

__all__ = ["cli", "main"]


#: sub-command name -> its module in this package (imported when the command is used,
#: so that ``jjj plan`` does not load the accessibility and mapping libraries)
_COMMANDS = {
    "validate": "validate_command",
    "build": "build_command",
    "info": "info_command",
    "fare": "fare_command",
    "plan": "plan_command",
    "matrix": "matrix_command",
    "isochrone": "isochrone_command",
    "circle": "circle_command",
}


class _LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _COMMANDS and cmd_name not in self.commands:
            module = importlib.import_module(f"jjj.cli.{_COMMANDS[cmd_name]}")
            self.add_command(module.command)
            if "numba" in sys.modules:  # the command runs kernels (numba is loaded already)
                from jjj.cli.compile_notice import install_compile_notice

                install_compile_notice()
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jjj")
def cli() -> None:
    """jjj — one public-transport network for the Beijing–Tianjin–Hebei region."""


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
