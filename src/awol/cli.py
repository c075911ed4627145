"""`awol`: the command line. Each room adds its commands through `register(app)`."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.exceptions import TyperException
from rich.console import Console
from typer.core import TyperGroup

from awol.errors import AwolError
from awol.options import DbOption

console = Console()
err_console = Console(stderr=True)

# Rooms that add commands, in the order they appear in `awol --help`.
ROOMS = (
    "awol.units.cli",
    "awol.stats.cli",
    "awol.export.cli",
    "awol.names.cli",
    "awol.screen.cli",
    "awol.extract.cli",
)

_debug = False


class AwolGroup(TyperGroup):
    """Turns errors into one clear line (exit 1); `--debug` shows the traceback instead."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (TyperException, typer.Exit, typer.Abort):
            raise
        except AwolError as exc:
            if _debug:
                raise
            _fail(str(exc))
        except BrokenPipeError:
            # `awol … | head`: the reader has gone; stop quietly.
            import os
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0)
        except Exception as exc:
            if _debug:
                raise
            # The message may carry case data; only the kind of failure is shown.
            _fail(f"unexpected {type(exc).__name__}; run `awol --debug …` to see the traceback")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


app = typer.Typer(
    cls=AwolGroup,
    help="AWOL: figures on desertion from the Russian army, per unit and traceable to their "
    "sentence; name screening and vetting of deserters' cases.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
) -> None:
    global _debug
    _debug = debug


@app.command()
def init(db: DbOption = None) -> None:
    """Create (or upgrade) the knowledge base and load the unit gazetteer."""
    from awol.store.db import open_store
    from awol.units.loading import load_gazetteer

    store = open_store(db)
    units = load_gazetteer(store)
    console.print(f"Knowledge base: [bold]{store.display_url}[/bold]")
    console.print(f"Schema up to date; {units} units in the gazetteer.")
    store.dispose()


@app.command()
def ingest(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(help="Files or folders (read recursively): .txt .md .html .pdf"),
    ] = None,
    verdicts: Annotated[
        Optional[Path],
        typer.Option("--verdicts", help="A CSV table of court verdicts (see docs/verdicts.md)."),
    ] = None,
    encoding: Annotated[
        Optional[str],
        typer.Option(help="Text encoding of plain-text files when not UTF-8 (e.g. cp1251)."),
    ] = None,
    max_size: Annotated[int, typer.Option("--max-size", help="Largest file to read, in MB.")] = 50,
    db: DbOption = None,
) -> None:
    """Store documents (and what is extracted from them) in the knowledge base.

    Re-ingesting a file changes nothing. A file that cannot be read is reported with the
    reason; the rest of the batch is stored.
    """
    from awol.store.db import open_store

    if not paths and not verdicts:
        raise AwolError("name files or folders to ingest, or --verdicts FILE.csv")
    store = open_store(db)
    failed = 0
    if paths:
        failed += _ingest_documents(store, paths, encoding, max_size)
    if verdicts:
        failed += _ingest_verdicts(store, verdicts)
    store.dispose()
    if failed:
        raise typer.Exit(1)


def _ingest_documents(store, paths: list[Path], encoding: str | None, max_size: int) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from awol.ingest.pipeline import IngestReport, collect_files, ingest_files
    from awol.units.loading import load_gazetteer

    load_gazetteer(store)
    report = IngestReport()
    files = collect_files(paths, report)
    extractor = _extractor()
    with Progress(
        TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err_console, transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=len(files))
        for _ in ingest_files(
            store, files, report, extractor=extractor, encoding=encoding,
            max_bytes=max_size * 1024 * 1024,
        ):
            progress.advance(task)
    for path, figures in report.stored:
        console.print(f"stored     {path}" + (f"  ({figures} figures)" if extractor else ""))
    for path in report.unchanged:
        console.print(f"unchanged  {path}  (already in the knowledge base)")
    for path, reason in report.failed:
        err_console.print(f"[red]failed[/red]     {path}: {reason}")
    summary = f"{len(report.stored)} stored, {len(report.unchanged)} unchanged, {len(report.failed)} failed"
    if report.skipped:
        summary += f", {len(report.skipped)} skipped (not .txt/.md/.html/.pdf)"
    console.print(summary + f" — {store.display_url}")
    return len(report.failed)


def _extractor():
    """The figure extractor, once the extraction room is installed."""
    try:
        module = importlib.import_module("awol.extract")
    except ModuleNotFoundError:
        return None
    return getattr(module, "extract_document", None)


def _ingest_verdicts(store, path: Path) -> int:
    from awol.ingest.verdicts import import_verdicts
    from awol.units.loading import load_gazetteer

    load_gazetteer(store)
    report = import_verdicts(store, path)
    for line, reason in report.rejected:
        err_console.print(f"[red]rejected[/red]   {path}:{line}: {reason}")
    if report.unresolved_units:
        names = ", ".join(f"{name} ({rows} rows)" for name, rows in sorted(report.unresolved_units.items()))
        err_console.print(f"units not in the gazetteer (stored without a unit): {names}")
    console.print(
        f"verdicts: {report.stored} stored, {report.already_present} already present, "
        f"{len(report.rejected)} rejected"
    )
    return len(report.rejected)


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its parent package is absent
        return False


for _room in ROOMS:
    # A room is a plugin: an installation without one (e.g. a slim server) still runs.
    if _installed(_room):
        importlib.import_module(_room).register(app)


def main() -> None:
    app()
