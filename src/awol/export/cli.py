"""`awol export`: write the knowledge base out as FollowTheMoney entities, CSV or JSON."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from awol.options import DbOption

from awol.errors import AwolError


class Format(str, Enum):
    ftm = "ftm"
    csv = "csv"
    json = "json"


class Table(str, Enum):
    figures = "figures"
    documents = "documents"
    units = "units"
    verdicts = "verdicts"
    persons = "persons"


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)


def export_command(
    format: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="ftm: FollowTheMoney entities (JSON lines) for Aleph/OpenSanctions tools; "
            "csv: one table; json: the whole knowledge base as one document.",
            case_sensitive=False,
        ),
    ],
    table: Annotated[
        Optional[Table],
        typer.Option("--table", help="With --format csv: the table to write (default figures)."),
    ] = None,
    out: Annotated[
        Optional[Path],
        typer.Option("--out", "-o", help="File to write (default: standard output)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the knowledge base out: FollowTheMoney entities, a CSV table, or JSON.

    A file named with --out appears whole or not at all.

    The same knowledge base always exports the same (ids come from stable keys).
    """
    from awol.export import export
    from awol.settings import database_url
    from awol.store.db import open_store

    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.split("///", 1)[1]).exists():
        raise AwolError(
            f"no knowledge base at {url.split('///', 1)[1]}: run `awol init` and `awol ingest` first"
        )
    store = open_store(db)
    try:
        count = export(store, format.value, out, table=table.value if table else None)
    except BrokenPipeError:
        # `awol export … | head`: the reader has gone; that is not an error. Point stdout
        # at /dev/null so that flushing it at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    finally:
        store.dispose()
    if out is not None:
        what = {"ftm": "entities", "csv": "rows", "json": "records"}[format.value]
        typer.echo(f"wrote {count} {what} to {out}", err=True)
