"""The unit gazetteer: `data/russian_units.csv` (sources per row, see data/SOURCES.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
GAZETTEER_CSV = DATA / "russian_units.csv"
EXTRA_ALIASES_CSV = DATA / "aliases_extra.csv"


@dataclass(frozen=True)
class Unit:
    id: str
    name_en: str
    name_ru: str
    type: str
    echelon: str
    parent_id: str | None
    military_unit_number: str | None
    garrison: str | None
    district_or_army: str | None
    source_url: str | None
    aliases: tuple[str, ...] = field(default=())


def _blank_to_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def read_gazetteer(path: Path = GAZETTEER_CSV) -> list[Unit]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Unit(
                id=row["id"].strip(),
                name_en=row["name_en"].strip(),
                name_ru=row["name_ru"].strip(),
                type=row["type"].strip(),
                echelon=row["echelon"].strip(),
                parent_id=_blank_to_none(row["parent_id"]),
                military_unit_number=_blank_to_none(row["military_unit_number"]),
                garrison=_blank_to_none(row["garrison"]),
                district_or_army=_blank_to_none(row["district_or_army"]),
                source_url=_blank_to_none(row["source_url"]),
                aliases=tuple(a.strip() for a in (row["aliases"] or "").split(";") if a.strip()),
            )
            for row in csv.DictReader(handle)
        ]


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Unit]:
    """All units by id, read once per process."""
    return {unit.id: unit for unit in read_gazetteer()}


def read_extra_aliases(path: Path = EXTRA_ALIASES_CSV) -> dict[str, list[str]]:
    """Aliases added for AWOL (`data/aliases_extra.csv`, each with a note saying why), by unit id."""
    extra: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            alias = (row["alias"] or "").strip()
            if alias:
                extra.setdefault(row["unit_id"].strip(), []).append(alias)
    return extra


def with_extra_aliases(units: list[Unit], extra: dict[str, list[str]] | None = None) -> list[Unit]:
    """The units with the extra aliases appended (no duplicates, CSV order kept)."""
    extra = read_extra_aliases() if extra is None else extra
    out = []
    for unit in units:
        added = [a for a in extra.get(unit.id, ()) if a not in unit.aliases]
        out.append(replace(unit, aliases=unit.aliases + tuple(dict.fromkeys(added))) if added else unit)
    return out


def children(units: dict[str, Unit] | None = None) -> dict[str | None, list[Unit]]:
    units = units if units is not None else gazetteer()
    tree: dict[str | None, list[Unit]] = {}
    for unit in units.values():
        parent = unit.parent_id if unit.parent_id in units else None
        tree.setdefault(parent, []).append(unit)
    return tree
