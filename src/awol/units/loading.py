"""Load the unit gazetteer (CSV aliases and `data/aliases_extra.csv`) into the knowledge base."""

from __future__ import annotations

from sqlalchemy import select

from awol.store.db import Store
from awol.store.schema import UnitAliasRow, UnitRow
from awol.units.gazetteer import Unit, read_gazetteer, with_extra_aliases

_FIELDS = ("name_en", "name_ru", "type", "echelon", "parent_id", "military_unit_number",
           "garrison", "district_or_army", "source_url")


def _parents_first(units: list[Unit]) -> list[Unit]:
    """Units ordered so that every parent in the list comes before its children."""
    by_id = {u.id: u for u in units}
    ordered: list[Unit] = []
    placed: set[str] = set()

    def place(unit: Unit, trail: tuple[str, ...] = ()) -> None:
        if unit.id in placed:
            return
        parent = by_id.get(unit.parent_id or "")
        if parent is not None and parent.id not in trail:
            place(parent, trail + (unit.id,))
        placed.add(unit.id)
        ordered.append(unit)

    for unit in units:
        place(unit)
    return ordered


def load_gazetteer(store: Store, units: list[Unit] | None = None) -> int:
    """Upsert every gazetteer unit and its aliases; returns the number of units in the gazetteer.

    Idempotent: rows that already hold the same values are left alone, so a second run changes
    nothing. Parents are written before their children. Aliases are added, never removed (an
    alias curated in the knowledge base survives a reload).
    """
    units = with_extra_aliases(read_gazetteer()) if units is None else units
    ordered = _parents_first(units)
    with store.session() as session:
        existing = {row.id: row for row in session.scalars(select(UnitRow))}
        aliases = {(a.unit_id, a.alias) for a in session.scalars(select(UnitAliasRow))}
        ids = {u.id for u in units} | set(existing)
        for unit in ordered:
            values = {name: getattr(unit, name) for name in _FIELDS}
            if values["parent_id"] not in ids:
                values["parent_id"] = None
            row = existing.get(unit.id)
            if row is None:
                session.add(UnitRow(id=unit.id, **values))
                session.flush()  # parents reach the database before their children
            else:
                for name, value in values.items():
                    if getattr(row, name) != value:
                        setattr(row, name, value)
        session.flush()
        new_aliases = []
        for unit in units:
            for alias in dict.fromkeys(a.strip() for a in unit.aliases if a and a.strip()):
                alias = alias[:300]
                if (unit.id, alias) not in aliases:
                    aliases.add((unit.id, alias))
                    new_aliases.append(UnitAliasRow(unit_id=unit.id, alias=alias))
        session.add_all(new_aliases)
    return len(units)


def units_from_store(store: Store) -> list[Unit]:
    """The units of the knowledge base, with their aliases, ordered by id."""
    with store.session() as session:
        rows = session.scalars(select(UnitRow).order_by(UnitRow.id)).all()
        alias_rows = session.execute(
            select(UnitAliasRow.unit_id, UnitAliasRow.alias).order_by(UnitAliasRow.id)
        ).all()
        by_unit: dict[str, list[str]] = {}
        for unit_id, alias in alias_rows:
            by_unit.setdefault(unit_id, []).append(alias)
        return [
            Unit(
                id=row.id,
                name_en=row.name_en,
                name_ru=row.name_ru or "",
                type=row.type or "other",
                echelon=row.echelon or "",
                parent_id=row.parent_id,
                military_unit_number=row.military_unit_number,
                garrison=row.garrison,
                district_or_army=row.district_or_army,
                source_url=row.source_url,
                aliases=tuple(by_unit.get(row.id, ())),
            )
            for row in rows
        ]
