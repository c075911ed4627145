"""Command-line options shared by every room, declared once."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

DbOption = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        envvar="AWOL_DB",
        help="Knowledge base: a SQLite file path or a postgresql:// URL "
        "(default: awol.db in the user data folder).",
        show_envvar=True,
    ),
]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
