"""Commands: `awol units` (the gazetteer as a tree) and `awol units find TEXT`."""

from __future__ import annotations

import json
import re
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from awol.errors import AwolError
from awol.options import DbOption

ECHELON_ORDER = ("military_district", "army", "corps", "division", "brigade", "regiment",
                 "battalion", "company")

units_app = typer.Typer(
    help="The unit gazetteer: list it as a tree, resolve a mention to a unit.",
    no_args_is_help=False,
    add_completion=False,
)


def _open_with_units(db: str | None, err: Console):
    """The knowledge base, with the gazetteer loaded if it has no units yet."""
    from sqlalchemy import func, select

    from awol.store.db import open_store
    from awol.store.schema import UnitRow
    from awol.units.loading import load_gazetteer

    store = open_store(db)
    with store.session() as session:
        count = session.scalar(select(func.count()).select_from(UnitRow))
    if not count:
        loaded = load_gazetteer(store)
        err.print(f"The knowledge base had no units yet; loaded {loaded} from the gazetteer.")
    return store


def _sort_key(unit) -> tuple:
    rank = ECHELON_ORDER.index(unit.echelon) if unit.echelon in ECHELON_ORDER else len(ECHELON_ORDER)
    number = re.match(r"ru-(\d+)-", unit.id)
    return (rank, int(number.group(1)) if number else 0, unit.name_en)


def _label(unit) -> str:
    label = f"[bold]{escape(unit.name_en)}[/bold] [dim]{escape(unit.id)}[/dim]"
    if unit.military_unit_number:
        label += f" [cyan]в/ч {escape(unit.military_unit_number)}[/cyan]"
    return label


def build_tree(units: list, title: str) -> Tree:
    """District → army → division → regiment … as a rich Tree (units without a parent at the top)."""
    by_id = {u.id: u for u in units}
    kids: dict[str | None, list] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in by_id else None
        kids.setdefault(parent, []).append(unit)
    root = Tree(title)

    def add(node: Tree, parent_id: str | None, trail: frozenset) -> None:
        for unit in sorted(kids.get(parent_id, ()), key=_sort_key):
            if unit.id in trail:
                continue
            add(node.add(_label(unit)), unit.id, trail | {unit.id})

    add(root, None, frozenset())
    return root


@units_app.callback(invoke_without_command=True)
def units(ctx: typer.Context, db: DbOption = None) -> None:
    """List the units of the knowledge base as a tree: district → army → division → regiment."""
    ctx.obj = {**(ctx.obj or {}), "db": db}
    if ctx.invoked_subcommand is not None:
        return
    from awol.units.loading import units_from_store

    console, err = Console(), Console(stderr=True)
    store = _open_with_units(db, err)
    try:
        rows = units_from_store(store)
        title = f"[bold]Russian units[/bold] — {len(rows)} in {escape(store.display_url)}"
    finally:
        store.dispose()
    console.print(build_tree(rows, title))


@units_app.command("find")
def find(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="A unit mention in nl, de, en, ru, uk or fr, or a "
                                             "military unit number (в/ч 58550).")],
    as_json: Annotated[bool, typer.Option("--json", help='Print {"id", "name_en", "score"} or null.')] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Language of the mention: "
                                                "nl, de, en, ru, uk or fr.")] = None,
    db: DbOption = None,
) -> None:
    """Resolve a mention to a gazetteer unit, with a score and how it was matched."""
    from awol.units.resolver import LANGUAGES, UnitResolver

    if lang is not None and lang.lower() not in LANGUAGES:
        raise AwolError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    db = db or (ctx.obj or {}).get("db")
    console, err = Console(), Console(stderr=True)
    store = _open_with_units(db, err)
    try:
        match = UnitResolver.from_store(store).resolve(text, lang.lower() if lang else None)
    finally:
        store.dispose()
    if as_json:
        payload = None if match is None else {
            "id": match.unit.id, "name_en": match.unit.name_en, "score": match.score}
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    if match is None:
        console.print(f"No unit in the gazetteer fits {escape(repr(text))}.")
        return
    unit = match.unit
    console.print(f"[bold]{escape(unit.name_en)}[/bold] ({escape(unit.id)})  "
                  f"score {match.score:.2f}  via {escape(match.via)}")
    details = [unit.name_ru, unit.echelon, unit.type]
    if unit.military_unit_number:
        details.append(f"в/ч {unit.military_unit_number}")
    if unit.garrison:
        details.append(unit.garrison)
    console.print("  " + escape(" · ".join(d for d in details if d)))


def register(app: typer.Typer) -> None:
    """Add `awol units` (and `awol units find`) to the main app."""
    app.add_typer(units_app, name="units",
                  help="The unit gazetteer: list it as a tree, resolve a mention to a unit.")
