"""`awol extract FILE… [--json]` and `awol eval extraction GOLD_DIR`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from awol.errors import AwolError

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # paths are not wrapped mid-word

eval_app = typer.Typer(help="Score AWOL's components against gold sets.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
    # Another room may have opened the `eval` group already: add to it rather than shadow it.
    for group in app.registered_groups:
        if group.name == "eval" and group.typer_instance is not None:
            group.typer_instance.command("extraction")(eval_extraction)
            return
    app.add_typer(eval_app, name="eval")


def extract(
    files: Annotated[list[Path], typer.Argument(help="Documents: .txt .md .html .pdf")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per document (JSON lines).")] = False,
    encoding: Annotated[
        Optional[str], typer.Option(help="Text encoding of plain-text files when not UTF-8 (e.g. cp1251).")
    ] = None,
) -> None:
    """Show the figures, units, persons and cited sources found in documents (nothing is stored).

    A file that cannot be read is reported on stderr with the reason; the others are shown.
    """
    from awol.extract import extract_document
    from awol.ingest.readers import UnreadableFile, read_document

    failed = 0
    for path in files:
        try:
            document = read_document(path, encoding=encoding)
        except UnreadableFile as exc:
            err_console.print(f"[red]failed[/red]  {path}: {exc}", highlight=False)
            failed += 1
            continue
        extraction = extract_document(document)
        if as_json:
            payload = {
                "document": {"path": str(path), "language": document.language, "published": document.published},
                **extraction.to_dict(),
            }
            typer.echo(json.dumps(payload, ensure_ascii=False))
        else:
            _show(path, document, extraction)
    if failed:
        raise typer.Exit(1)


def _show(path: Path, document, extraction) -> None:
    console.print(
        f"[bold]{path}[/bold]  language {document.language or '?'}, published {document.published or '?'}",
        highlight=False,
    )
    if extraction.figures:
        table = Table("figure", "unit", "period")
        for f in extraction.figures:
            what = f"{f.category} {'' if f.qualifier == 'exact' else f.qualifier + ' '}{f.value}"
            if f.measure != "people":
                what += f" ({f.measure})"
            if f.army != "ru":
                what += f" [army {f.army}]"
            unit = (f.unit_name_en or "—") + (" (sub-unit)" if f.subunit else "")
            period = (f.period_start + (f"…{f.period_end}" if f.period_end and f.period_end != f.period_start else "")) if f.period_start else "—"
            table.add_row(what, unit, period)
        console.print(table)
    else:
        console.print("no figures")
    if extraction.units:
        console.print("units:   " + "; ".join(f"{u.name_en} («{u.mention}»)" for u in extraction.units), highlight=False)
    if extraction.persons:
        console.print("persons: " + "; ".join(f"{p.name} ({p.role})" for p in extraction.persons), highlight=False)
    if extraction.sources_cited:
        console.print("sources: " + "; ".join(extraction.sources_cited), highlight=False)
    console.print()


def eval_extraction(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files (docs/annotation.md).")],
    as_json: Annotated[bool, typer.Option("--json", help="Scores as JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="List missed and extra items per document.")] = False,
) -> None:
    """Precision, recall and F1 for figures, units and persons, per language and overall."""
    from awol.extract.evaluate import KINDS, evaluate

    report = evaluate(gold_dir)
    if not report.documents:
        raise AwolError(f"{gold_dir}: no gold files (*.json) in it")
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    if errors:
        for doc in report.documents:
            lines = [
                f"  {kind}: missed {doc.missed[kind]} extra {doc.extra[kind]}"
                for kind in KINDS
                if doc.missed.get(kind) or doc.extra.get(kind)
            ]
            if lines:
                console.print(f"[bold]{doc.path}[/bold]", highlight=False)
                for line in lines:
                    console.print(line, highlight=False, markup=False)
    table = Table(title=f"Extraction vs gold ({len(report.documents)} documents)")
    for column in ("language", "docs", "kind", "P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="left" if column in ("language", "kind") else "right")
    rows = report.by_language()
    for lang in sorted(k for k in rows if k != "all") + ["all"]:
        docs = len(report.documents) if lang == "all" else sum(1 for d in report.documents if d.language == lang)
        for i, kind in enumerate(KINDS):
            c = rows[lang][kind]
            table.add_row(
                lang if i == 0 else "", str(docs) if i == 0 else "", kind,
                f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}", str(c.tp), str(c.fp), str(c.fn),
                style="bold" if lang == "all" else None, end_section=i == len(KINDS) - 1,
            )
    console.print(table)


eval_app.command("extraction")(eval_extraction)
