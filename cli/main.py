"""Entry point of the ``stackwise`` console script."""

from __future__ import annotations

import sys

import typer

# Each import registers its commands on `app` (one module a topic).
from cli import evaluate as _evaluate  # noqa: F401  (registers commands)
from cli import importing as _importing  # noqa: F401
from cli import keys as _keys  # noqa: F401
from cli import recommend as _recommend  # noqa: F401
from cli import render as _render  # noqa: F401
from cli import replay as _replay  # noqa: F401
from cli import serve as _serve  # noqa: F401
from cli import validate as _validate  # noqa: F401
from cli import verify as _verify  # noqa: F401
from cli.app import app
from pathways.errors import StackwiseError
from rules.linear import SolverFailure


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; bad input exits 2 with a message on stderr and no traceback."""
    try:
        # standalone_mode=False makes click return (not raise) a typer.Exit code
        code = app(args=argv, standalone_mode=False)
        if isinstance(code, int):
            return code
    except StackwiseError as exc:
        typer.echo(f"error: {exc}", err=True)
        for extra in getattr(exc, "errors", [])[1:]:
            typer.echo(f"error: {extra}", err=True)
        return 2
    except SolverFailure as exc:
        # not bad input (exit 2) but no answer either: HiGHS stopped at its time limit or in
        # numerical trouble; nothing was written
        typer.echo(f"error: no decision could be made: {exc}", err=True)
        return 1
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except Exception as exc:
        # usage errors from click (or the copy of click that typer vendors) know how to
        # show themselves; anything else is a bug and keeps its traceback
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code"):
            show()
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
