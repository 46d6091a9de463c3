"""The Typer application object shared by every command module.

Command modules (``cli/<topic>.py``) import :data:`app` and decorate their commands with
``@app.command()``; :mod:`cli.main` imports them all and runs the app with one error policy:
a :class:`~pathways.errors.StackwiseError` becomes a message on stderr and exit status 2,
never a traceback.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="stackwise",
    help="Stackwise: exact, explainable credential stacking and learning pathways.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
