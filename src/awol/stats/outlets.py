"""Outlets and organisations with a reliability grade (Admiralty code, A–F).

The defaults live in ``awol/sources/outlets.csv`` (see its SOURCES.md); the ``outlets`` table
holds the grades in force. Seeding only inserts outlets that are missing, so a grade a user
edited (``awol outlets grade NAME B``) survives every later seeding. See docs/reliability.md.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from awol.errors import AwolError
from awol.store.db import Store
from awol.store.schema import CitedSourceRow, DocumentRow, OutletRow

OUTLETS_CSV = Path(__file__).resolve().parent.parent / "sources" / "outlets.csv"

# The Admiralty code's source-reliability scale.
GRADES: dict[str, str] = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
UNGRADED = "F"
# Aliases this short are abbreviations ("DW", "CIT", "RIA", "NV"): matched case-sensitively.
_SHORT_ALIAS = 4


@dataclass(frozen=True)
class OutletDefault:
    name: str
    aliases: tuple[str, ...]
    kind: str | None
    country: str | None
    reliability: str
    note: str | None


@dataclass
class Outlet:
    name: str
    reliability: str
    kind: str | None = None
    country: str | None = None
    note: str | None = None
    aliases: tuple[str, ...] = field(default=())
    in_table: bool = True

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "reliability": self.reliability,
            "reliability_meaning": GRADES.get(self.reliability, ""),
            "kind": self.kind,
            "country": self.country,
            "note": self.note,
            "aliases": list(self.aliases),
            "graded": self.in_table,
        }


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@lru_cache(maxsize=1)
def default_outlets() -> tuple[OutletDefault, ...]:
    """The outlets in ``outlets.csv``, read once per process."""
    with OUTLETS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(
            OutletDefault(
                name=row["name"].strip(),
                aliases=tuple(a.strip() for a in (row["aliases"] or "").split(";") if a.strip()),
                kind=_blank(row["kind"]),
                country=_blank(row["country"]),
                reliability=(row["reliability"] or UNGRADED).strip().upper(),
                note=_blank(row["note"]),
            )
            for row in csv.DictReader(handle)
        )


def check_grade(grade: str) -> str:
    grade = (grade or "").strip().upper()
    if grade not in GRADES:
        raise AwolError(
            f"unknown grade {grade!r}: use one of "
            + ", ".join(f"{g} ({meaning})" for g, meaning in GRADES.items())
        )
    return grade


def seed_outlets(store: Store) -> int:
    """Insert the outlets of ``outlets.csv`` that the table lacks; return how many were added.

    Existing rows are never touched, so edited grades and notes survive.
    """
    with store.session() as session:
        present = {name.casefold() for name in session.scalars(select(OutletRow.name))}
    missing = [o for o in default_outlets() if o.name.casefold() not in present]
    added = 0
    for outlet in missing:
        try:
            with store.session() as session:
                session.add(
                    OutletRow(
                        name=outlet.name,
                        kind=outlet.kind,
                        country=outlet.country,
                        reliability=outlet.reliability,
                        note=outlet.note,
                    )
                )
            added += 1
        except IntegrityError:
            # Another process seeded the same outlet meanwhile.
            continue
    return added


class OutletIndex:
    """Outlet names and aliases → the outlet with its grade in force (table over CSV defaults)."""

    def __init__(self, outlets: list[Outlet]):
        self.outlets = {o.name.casefold(): o for o in outlets}
        self._by_alias: dict[str, Outlet] = {}
        for outlet in outlets:
            for alias in (outlet.name, *outlet.aliases):
                self._by_alias.setdefault(alias.casefold(), outlet)
        # One pass over a sentence finds every alias (ignoring case); named_in() then keeps
        # proper names written as such, so that "connection" or "агентство" in running text
        # do not count as an outlet.
        self._aliases: dict[str, list[tuple[str, Outlet]]] = {}
        for outlet in outlets:
            for alias in {outlet.name, *outlet.aliases}:
                self._aliases.setdefault(alias.casefold(), []).append((alias, outlet))
        alternatives = sorted(self._aliases, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<!\w)(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)",
                re.IGNORECASE,
            )
            if alternatives
            else None
        )

    @classmethod
    def from_store(cls, store: Store) -> "OutletIndex":
        defaults = {o.name.casefold(): o for o in default_outlets()}
        with store.session() as session:
            rows = session.scalars(select(OutletRow)).all()
        outlets = []
        for row in rows:
            default = defaults.get(row.name.casefold())
            outlets.append(
                Outlet(
                    name=row.name,
                    reliability=row.reliability or UNGRADED,
                    kind=row.kind,
                    country=row.country,
                    note=row.note,
                    aliases=default.aliases if default else (),
                )
            )
        seen = {o.name.casefold() for o in outlets}
        for default in defaults.values():
            if default.name.casefold() not in seen:
                outlets.append(
                    Outlet(
                        name=default.name,
                        reliability=default.reliability,
                        kind=default.kind,
                        country=default.country,
                        note=default.note,
                        aliases=default.aliases,
                        in_table=False,
                    )
                )
        return cls(outlets)

    def lookup(self, name: str | None) -> Outlet | None:
        if not name:
            return None
        return self._by_alias.get(name.strip().casefold())

    def canonical(self, name: str) -> Outlet:
        """The known outlet a name stands for, or an ungraded outlet under that name."""
        return self.lookup(name) or Outlet(name=name.strip(), reliability=UNGRADED, in_table=False)

    def named_in(self, text: str, cited: set[str] | frozenset[str] = frozenset()) -> list[Outlet]:
        """Outlets a sentence names, in order of first appearance.

        Any known outlet counts when written as its name or an alias with the same capitals;
        for outlets the document cites (``cited``: canonical names), case is ignored except
        in short abbreviations ("DW", "CIT", "RIA").
        """
        found: dict[str, Outlet] = {}
        if self._pattern is None:
            return []
        for match in self._pattern.finditer(text):
            written = match.group(1)
            for alias, outlet in self._aliases.get(written.casefold(), ()):
                caseless = outlet.name in cited and len(alias) > _SHORT_ALIAS
                if outlet.name not in found and (caseless or written == alias):
                    found[outlet.name] = outlet
        return list(found.values())


def list_outlets(store: Store) -> list[Outlet]:
    """Every graded outlet, plus outlets met in documents that have no row yet (grade F)."""
    index = OutletIndex.from_store(store)
    outlets = [o for o in index.outlets.values() if o.in_table]
    with store.session() as session:
        met = set(session.scalars(select(DocumentRow.outlet).where(DocumentRow.outlet.is_not(None))))
        met |= set(session.scalars(select(CitedSourceRow.name)))
    known = {o.name for o in outlets}
    for name in sorted(met):
        outlet = index.canonical(name)
        if outlet.name not in known:
            outlet.in_table = False
            outlets.append(outlet)
            known.add(outlet.name)
    return sorted(outlets, key=lambda o: o.name.casefold())


def set_grade(store: Store, name: str, grade: str, note: str | None = None) -> tuple[Outlet, bool]:
    """Set an outlet's grade (and note); add the outlet when it has no row. Returns (outlet, added).

    ``name`` may be an alias ("DW", "Медиазона"); the row is kept under the canonical name.
    """
    grade = check_grade(grade)
    name = (name or "").strip()
    if not name:
        raise AwolError("name the outlet to grade")
    outlet = OutletIndex.from_store(store).canonical(name)
    with store.session() as session:
        row = session.scalar(select(OutletRow).where(OutletRow.name == outlet.name))
        added = row is None
        if row is None:
            row = OutletRow(
                name=outlet.name, kind=outlet.kind, country=outlet.country, note=outlet.note
            )
            session.add(row)
        row.reliability = grade
        if note is not None:
            row.note = note
    outlet.reliability = grade
    if note is not None:
        outlet.note = note
    outlet.in_table = True
    return outlet, added
