"""Commands: `awol figures`, `awol unit`, `awol chart`, `awol outlets …`, `awol units top`."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from awol.errors import AwolError
from awol.options import DbOption, JsonOption



def _console() -> Console:
    """Made per command, so that the terminal width (or ``COLUMNS``) in force is used."""
    return Console()


SinceOption = Annotated[
    Optional[str],
    typer.Option("--since", help="Only figures about this date or later: YYYY, YYYY-MM or YYYY-MM-DD."),
]
CategoryOption = Annotated[
    Optional[str],
    typer.Option("--category", "-c", help="deserted, awol, killed, wounded, captured, returned, "
                 "refused, convicted, asylum_granted."),
]
MeasureOption = Annotated[
    Optional[str],
    typer.Option("--measure", help="people, cases, verdicts, persons_charged, wanted, help_requests."),
]
ArmyOption = Annotated[Optional[str], typer.Option("--army", help="ru, ua…")]

outlets_app = typer.Typer(
    help="Outlets and organisations with their reliability grade (Admiralty code A–F).",
    no_args_is_help=True,
)

QUOTE_WIDTH = 160


def _open(db: str | None):
    from awol.stats.outlets import seed_outlets
    from awol.store.db import open_store

    store = open_store(db)
    seed_outlets(store)
    return store


@contextmanager
def _working(message: str):
    """A spinner on stderr while a long read runs (only on a terminal: pipes stay clean)."""
    err = Console(stderr=True)
    if err.is_terminal:
        with err.status(message):
            yield
    else:
        yield


def _add_row(table: Table, *cells) -> None:
    """Add a row whose text comes from documents: shown as written, never read as markup."""
    table.add_row(*(escape(c) if isinstance(c, str) else c for c in cells))


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _check_choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    if value is not None and value not in allowed:
        raise AwolError(f"unknown {what} {value!r}: use one of {', '.join(allowed)}")
    return value


def shorten(text: str, width: int = QUOTE_WIDTH) -> str:
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut + " …"


# ---------------------------------------------------------------- awol figures


def figures(
    unit: Annotated[Optional[str], typer.Option("--unit", "-u", help="A unit (id, name, or number); "
                                                "its sub-units are included.")] = None,
    category: CategoryOption = None,
    since: SinceOption = None,
    measure: MeasureOption = None,
    army: ArmyOption = None,
    limit: Annotated[Optional[int], typer.Option("--limit", help="Show at most N figures.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List stored figures with their unit, source and grade, quote and document."""
    from awol.model import CATEGORIES, MEASURES
    from awol.stats.series import UnitTree, load_figures, parse_since, period_label, resolve_unit

    _check_choice(category, CATEGORIES, "category")
    _check_choice(measure, MEASURES, "measure")
    parse_since(since)
    store = _open(db)
    try:
        with _working("reading figures…"):
            tree = UnitTree.from_store(store)
            unit_ids = None
            if unit:
                unit_ids = tree.descendants(resolve_unit(store, unit, tree).id)
            found = load_figures(store, unit_ids=unit_ids, category=category,
                                 measure=measure, army=army, since=since, tree=tree)
    finally:
        store.dispose()
    if limit:
        found = found[:limit]
    if as_json:
        _print_json([f.to_dict() for f in found])
        return
    if not found:
        _console().print("No figures match.")
        return
    table = Table(show_lines=True, title=f"{len(found)} figure(s)")
    table.add_column("unit", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("category")
    table.add_column("period", no_wrap=True)
    table.add_column("source [grade]", overflow="fold")
    table.add_column("quote", ratio=3, overflow="fold")
    table.add_column("document", overflow="fold")
    for f in found:
        unit_name = f.unit_name or "—"
        if f.subunit:
            unit_name = f"sub-unit of {unit_name}"
        measure_army = "" if (f.measure, f.army) == ("people", "ru") else f"\n{f.measure}, {f.army}"
        _add_row(
            table,
            unit_name, f.value_label, f.category + measure_army, period_label(f.period),
            f.sources_label, shorten(f.quote), f.document_label,
        )
    _console().print(table)


# ---------------------------------------------------------------- awol unit


def unit(
    name: Annotated[str, typer.Argument(help="A unit id, a name in any language, or a military "
                                        "unit number (e.g. 'в/ч 58550').")],
    category: CategoryOption = None,
    measure: MeasureOption = None,
    army: ArmyOption = None,
    since: SinceOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """One unit's series: every figure by period, sources side by side, disagreements shown."""
    from awol.stats.series import parse_since, unit_series

    parse_since(since)
    store = _open(db)
    try:
        with _working("reading figures…"):
            data = unit_series(
                store, name, category=category, measure=measure, army=army, since=since
            )
    finally:
        store.dispose()
    if as_json:
        _print_json(data.to_dict())
        return
    print_unit_series(data)


def print_unit_series(data) -> None:
    unit = data.unit
    heading = f"[bold]{escape(unit.name_en)}[/bold] ({escape(unit.id)})"
    if unit.name_ru:
        heading += f" — {escape(unit.name_ru)}"
    _console().print(heading)
    if data.subunits:
        _console().print(f"Includes {len(data.subunits)} sub-unit(s): "
                      + escape(", ".join(u.name_en for u in data.subunits[:8]))
                      + (" …" if len(data.subunits) > 8 else ""))
    if not data.series:
        _console().print("No figures for this unit.")
        return
    for series in data.series:
        table = Table(title=series.title, show_lines=True, title_justify="left")
        table.add_column("period", no_wrap=True)
        table.add_column("unit", overflow="fold")
        table.add_column("value", justify="right", no_wrap=True)
        table.add_column("source(s) [grade]", overflow="fold")
        table.add_column("quote", ratio=3, overflow="fold")
        table.add_column("", no_wrap=True)
        for row in series.rows:
            unit_label = ("  " * row.depth + "↳ " if row.depth else "") + row.unit_label
            for i, event in enumerate(row.events):
                quotes = "\n".join(
                    f"“{shorten(q)}”" for q in dict.fromkeys(f.quote for f in event.figures)
                )
                _add_row(
                    table,
                    row.period_label if i == 0 else "",
                    unit_label if i == 0 else "",
                    event.value_label,
                    "\n".join(s.label for s in event.sources),
                    quotes,
                    Text("disagree", style="bold red") if row.disagree else "",
                )
        _console().print(table)
        periods = ", ".join(
            f"{p}: {v:,}" for p, v in ((_plabel(p), v) for p, v in series.rollup.periods)
        )
        _console().print(
            f"  roll-up ({series.category}, {series.measure}, {series.army}), each event once: "
            f"[bold]{series.rollup.label}[/bold]" + (escape(f"  [{periods}]") if periods else "")
        )
        _console().print()


def _plabel(period) -> str:
    from awol.stats.series import period_label

    return period_label(period)


# ---------------------------------------------------------------- awol chart


def chart(
    name: Annotated[str, typer.Argument(help="A unit id, name or military unit number.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The chart file: .png or .svg.")],
    category: Annotated[
        Optional[list[str]], typer.Option("--category", "-c", help="Only these categories (repeatable).")
    ] = None,
    measure: MeasureOption = None,
    army: ArmyOption = None,
    since: SinceOption = None,
    db: DbOption = None,
) -> None:
    """Draw a unit's series (title, labelled axes, sources with grades in the caption)."""
    from awol.model import CATEGORIES
    from awol.stats.charts import FORMATS, draw_chart
    from awol.stats.series import parse_since, unit_series

    if out.suffix.lower() not in FORMATS:
        raise AwolError(f"cannot draw {out.name}: name the output .png or .svg")
    for c in category or ():
        _check_choice(c, CATEGORIES, "category")
    parse_since(since)
    store = _open(db)
    try:
        with _working("reading figures…"):
            data = unit_series(store, name, measure=measure, army=army, since=since)
    finally:
        store.dispose()
    if category:
        data.series = [s for s in data.series if s.category in category]
    with _working(f"drawing {out.name}…"):
        draw_chart(data, out)
    _console().print(f"chart of {escape(data.unit.name_en)}: {escape(str(out))}")


# ---------------------------------------------------------------- awol outlets


@outlets_app.command("ls")
def outlets_ls(as_json: JsonOption = False, db: DbOption = None) -> None:
    """List outlets and organisations with their grade (ungraded ones met in documents: F)."""
    from awol.stats.outlets import GRADES, list_outlets

    store = _open(db)
    try:
        outlets = list_outlets(store)
    finally:
        store.dispose()
    if as_json:
        _print_json([o.to_dict() for o in outlets])
        return
    table = Table(title="Outlets and organisations (Admiralty code: "
                  + ", ".join(f"{g} {m}" for g, m in GRADES.items()) + ")")
    table.add_column("name")
    table.add_column("grade", justify="center")
    table.add_column("kind")
    table.add_column("country")
    table.add_column("note", overflow="fold")
    for o in outlets:
        note = o.note or ""
        if not o.in_table:
            note = (note + " " if note else "") + "(met in documents; not graded yet)"
        _add_row(table, o.name, o.reliability, o.kind or "", o.country or "", note)
    _console().print(table)


@outlets_app.command("grade")
def outlets_grade(
    name: Annotated[str, typer.Argument(help="The outlet's name or an alias (e.g. DW, Медиазона).")],
    grade: Annotated[str, typer.Argument(help="A (completely reliable) … E (unreliable), F (cannot be judged).")],
    note: Annotated[Optional[str], typer.Option("--note", help="Why this grade.")] = None,
    db: DbOption = None,
) -> None:
    """Set an outlet's reliability grade (adds the outlet when it is not listed yet)."""
    from awol.stats.outlets import GRADES, set_grade

    store = _open(db)
    try:
        outlet, added = set_grade(store, name, grade, note)
    finally:
        store.dispose()
    verb = "added" if added else "graded"
    _console().print(
        f"{verb} {escape(outlet.name)}: {outlet.reliability} ({GRADES[outlet.reliability]})"
    )


# ---------------------------------------------------------------- awol units top


def units_top(
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many units.")] = 20,
    since: SinceOption = None,
    echelon: Annotated[Optional[str], typer.Option("--echelon", help="Only units of this echelon "
                                                   "(division, brigade, regiment…).")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Rank units by reported desertion (deserted + awol; people; Russian army), sub-units included."""
    from awol.stats.ranking import rank_units
    from awol.stats.series import parse_since

    parse_since(since)
    store = _open(db)
    try:
        with _working("ranking units…"):
            ranked = rank_units(store, limit=limit, since=since, echelon=echelon)
    finally:
        store.dispose()
    if as_json:
        _print_json([r.to_dict() for r in ranked])
        return
    if not ranked:
        _console().print("No desertion figures about units yet.")
        return
    table = Table(title="Units by reported desertion (deserted + awol, people, Russian army; "
                  "each event counted once)")
    table.add_column("#", justify="right")
    table.add_column("unit", overflow="fold")
    table.add_column("echelon")
    table.add_column("reported", justify="right", no_wrap=True)
    table.add_column("deserted", justify="right", no_wrap=True)
    table.add_column("awol", justify="right", no_wrap=True)
    table.add_column("events", justify="right")
    table.add_column("sources [grade]", overflow="fold")
    for i, r in enumerate(ranked, 1):
        cats = {c: (r.by_category[c].label if c in r.by_category else "—") for c in ("deserted", "awol")}
        _add_row(
            table,
            str(i), f"{r.unit.name_en}\n({r.unit.id})", r.unit.echelon or "", r.label,
            cats["deserted"], cats["awol"], str(r.events), "\n".join(r.sources[:5])
            + (f"\n… {len(r.sources) - 5} more" if len(r.sources) > 5 else ""),
        )
    _console().print(table)


# ---------------------------------------------------------------- registration


def register(app: typer.Typer, units_app: typer.Typer | None = None) -> None:
    """Add the stats commands to ``app`` and `top` to the units group (awol.units.cli)."""
    app.command("figures")(figures)
    app.command("unit")(unit)
    app.command("chart")(chart)
    app.add_typer(outlets_app, name="outlets")
    register_units_top(units_app)


def register_units_top(units_app: typer.Typer | None = None) -> None:
    """Add `top` to the units group (by default `awol.units.cli.units_app`)."""
    if units_app is None:
        from awol.units.cli import units_app
    if not any(getattr(c, "name", None) == "top" for c in units_app.registered_commands):
        units_app.command("top")(units_top)
