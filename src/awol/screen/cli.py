"""`awol watchlist import|ls`, `awol screen` and `awol xref`.

The names screened are printed only as the command's own output (never logged).
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from awol.errors import AwolError
from awol.options import DbOption

console = Console()
err_console = Console(stderr=True)


watchlist_app = typer.Typer(
    help="Watchlists to screen names against (FollowTheMoney JSON lines or CSV).",
    no_args_is_help=True,
)


class Engine(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


def register(app: typer.Typer) -> None:
    app.add_typer(watchlist_app, name="watchlist")
    app.command("screen")(screen_command)
    app.command("xref")(xref_command)


@watchlist_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A .jsonl file of FollowTheMoney entities, or a .csv.")],
    list_name: Annotated[str, typer.Option("--list", help="The list's name, e.g. opensanctions.")],
    db: DbOption = None,
) -> None:
    """Import a watchlist; a newer file under the same --list replaces it atomically.

    Lines that cannot be read are reported by number and skipped. CSV header:
    id,name,aliases,birth_date,nationality,position,topics (several values separated by ';').
    """
    from awol.screen.watchlists import import_watchlist
    from awol.store.db import open_store

    store = open_store(db)
    try:
        report = import_watchlist(store, file, list_name)
    finally:
        store.dispose()
    for line, reason in report.rejected:
        err_console.print(f"[red]skipped[/red]  {file}:{line}: {reason}", highlight=False)
    if report.unchanged:
        console.print(
            f"{report.name}: unchanged (this file is version {report.version}, "
            f"{report.imported} entries)"
        )
        return
    summary = f"{report.name}: version {report.version}, {report.imported} entries imported"
    if report.replaced is not None:
        summary += f" (replacing {report.replaced})"
    if report.rejected:
        summary += f", {len(report.rejected)} lines skipped"
    if report.other_schemata:
        summary += f", {report.other_schemata} non-person entities ignored"
    console.print(summary)


@watchlist_app.command("ls")
def ls_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
) -> None:
    """Show the imported lists: name, entries, version, import date, source file."""
    from awol.screen.watchlists import list_watchlists
    from awol.store.db import open_store

    store = open_store(db)
    try:
        lists = list_watchlists(store)
    finally:
        store.dispose()
    if as_json:
        typer.echo(json.dumps([
            {"name": l.name, "entries": l.entries, "version": l.version,
             "imported_at": l.imported_at.isoformat(), "source_file": l.source_file,
             "sha256": l.sha256}
            for l in lists
        ], ensure_ascii=False, indent=2))
        return
    if not lists:
        console.print("No watchlists yet: `awol watchlist import FILE --list NAME`.")
        return
    table = Table("list", "entries", "version", "imported (UTC)", "source file")
    for l in lists:
        table.add_row(l.name, str(l.entries), str(l.version),
                      l.imported_at.strftime("%Y-%m-%d %H:%M"), l.source_file or "")
    console.print(table)


def screen_command(
    name: Annotated[Optional[str], typer.Argument(help="The name to screen (any script).")] = None,
    dob: Annotated[Optional[str], typer.Option("--dob", help="Birth date: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    lists: Annotated[Optional[list[str]], typer.Option("--list", help="Screen against this list only (repeatable).")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, max=100, help="Most candidates per name (default 10; 3 with --bulk).")] = None,
    min_score: Annotated[float, typer.Option("--min-score", min=0.0, max=1.0, help="Lowest score shown (a match needs the matcher's threshold).")] = 0.25,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    bulk: Annotated[Optional[Path], typer.Option("--bulk", help="A CSV of names to screen (columns id,name,birth_date).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="With --bulk: the CSV of results to write.")] = None,
    db: DbOption = None,
) -> None:
    """Screen a name against the watchlists: candidates ranked by score, each explained."""
    from awol.screen.screening import check_query, screen
    from awol.store.db import open_store

    if bulk is not None:
        if name is not None:
            raise AwolError("give either a NAME or --bulk FILE, not both")
        if out is None:
            raise AwolError("--bulk needs --out FILE.csv for the results")
        _bulk(bulk, out, lists, limit or 3, min_score, db)
        return
    if name is None:
        raise AwolError("give a NAME to screen, or --bulk FILE.csv --out RESULTS.csv")
    check_query(name, dob)  # clear error before the knowledge base is opened
    store = open_store(db)
    try:
        result = screen(store, name, dob, lists=lists, limit=limit or 10, min_score=min_score)
    finally:
        store.dispose()
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if not result.candidates:
        console.print(f"No candidate at or above {min_score} in {', '.join(result.lists)}.")
        return
    for rank, c in enumerate(result.candidates, start=1):
        e = c.entry
        flag = "[bold red]MATCH[/bold red]" if c.match else "possible"
        dobs = ", ".join(e.get("birth_dates", [])) or "no birth date"
        console.print(
            f"{rank}. {c.score:.2f} {flag}  {e.get('name')}  ({dobs})  "
            f"[{e.get('list')}:{e.get('entity_id')}]", highlight=False,
        )
        for line in c.explanation:
            console.print(f"     - {line}", highlight=False)


def _bulk(in_path: Path, out_path: Path, lists, limit: int, min_score: float, db) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from awol.screen.screening import bulk_screen
    from awol.store.db import open_store

    store = open_store(db)
    try:
        with Progress(
            TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
            console=err_console, transient=True,
        ) as progress:
            task = progress.add_task("screen", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = bulk_screen(store, in_path, out_path, lists=lists, limit=limit,
                                 min_score=min_score, progress=advance)
    finally:
        store.dispose()
    for line, reason in report.rejected:
        err_console.print(f"[red]not screened[/red]  {in_path}:{line}: {reason}", highlight=False)
    console.print(
        f"{report.queries} screened: {report.matches} with a match, "
        f"{report.with_candidates} with candidates, {len(report.rejected)} not screened "
        f"— results in {out_path}"
    )


def xref_command(
    list_a: Annotated[str, typer.Argument(help="A watchlist name, or a .csv/.jsonl file (not stored).")],
    list_b: Annotated[str, typer.Argument(help="A watchlist name, or a .csv/.jsonl file (not stored).")],
    out: Annotated[Path, typer.Option("--out", help="CSV of the pairs found.")],
    engine: Annotated[Engine, typer.Option("--engine", help="duckdb (one machine) or spark (local mode or a cluster).")] = Engine.duckdb,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0, help="Lowest Splink match probability kept.")] = 0.5,
    db: DbOption = None,
) -> None:
    """Link two whole lists with Splink, blocking and comparing on AWOL's name keys."""
    from awol.screen.xref import load_records, xref, write_matches
    from awol.store.db import open_store

    store = open_store(db)
    try:
        left = load_records(store, list_a)
        right = load_records(store, list_b)
    finally:
        store.dispose()
    with console.status(f"linking {len(left)} × {len(right)} records on {engine.value}…"):
        result = xref(left, right, engine=engine.value, threshold=threshold)
    write_matches(result, out)
    console.print(
        f"{len(result.pairs)} pairs at match probability ≥ {threshold} "
        f"({sum(1 for p in result.pairs if p.awol_match)} also a match by AWOL's scorer) "
        f"— {out}"
    )
