"""`awol units top`: units ranked by reported desertion (deserted + awol).

Only figures of measure ``people`` about the Russian army (``ru``) count. For each unit, its own
figures and its sub-units' are rolled up per category with `series.roll_up` (each event once;
per period the largest report; nested periods folded into the wider one), then the two
categories are added. A formation whose figures all come from one sub-unit is not listed
again above it (unless an echelon is asked for). See docs/reliability.md, "Rankings".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from awol.store.db import Store
from awol.stats.series import (
    Event,
    FigureView,
    RollUp,
    UnitInfo,
    UnitTree,
    format_value,
    group_events,
    load_figures,
    roll_up,
)

DESERTION = ("deserted", "awol")
MEASURE = "people"
ARMY = "ru"


@dataclass
class Ranked:
    unit: UnitInfo
    total: int
    lower_bound: bool
    by_category: dict[str, RollUp]
    events: int
    sources: list[str]
    own_figures: int
    subunit_figures: int

    @property
    def label(self) -> str:
        return format_value(self.total, "at_least" if self.lower_bound else "exact")

    def to_dict(self) -> dict:
        return {
            "unit": self.unit.to_dict(),
            "reported_desertion": self.total,
            "lower_bound": self.lower_bound,
            "by_category": {c: r.to_dict() for c, r in self.by_category.items()},
            "events": self.events,
            "sources": self.sources,
            "figures": {"own": self.own_figures, "subunits": self.subunit_figures},
        }


def rank_units(
    store: Store,
    *,
    limit: int | None = 20,
    since: str | None = None,
    echelon: str | None = None,
) -> list[Ranked]:
    """Units by reported desertion, highest first (ties: by name)."""
    tree = UnitTree.from_store(store)
    figures = [
        f
        for category in DESERTION
        for f in load_figures(
            store, category=category, measure=MEASURE, army=ARMY, since=since, tree=tree
        )
        if f.unit_id is not None and f.unit_id in tree.units
    ]
    per_unit: dict[str, list[FigureView]] = defaultdict(list)
    for figure in figures:
        for ancestor in tree.ancestors(figure.unit_id):
            per_unit[ancestor].append(figure)
    ranked = []
    for unit_id, unit_figures in per_unit.items():
        unit = tree.units[unit_id]
        if echelon and (unit.echelon or "") != echelon:
            continue
        if not echelon and _passes_through(tree, unit_id, unit_figures):
            continue
        events = group_events(unit_figures)
        by_category: dict[str, RollUp] = {}
        for category in DESERTION:
            chosen: list[Event] = [e for e in events if e.category == category]
            if chosen:
                by_category[category] = roll_up(chosen)
        sources = list(
            dict.fromkeys(s.label for e in events for s in e.sources)
        )
        ranked.append(
            Ranked(
                unit=unit,
                total=sum(r.total for r in by_category.values()),
                lower_bound=any(r.lower_bound for r in by_category.values()),
                by_category=by_category,
                events=len(events),
                sources=sources,
                own_figures=sum(1 for f in unit_figures if f.unit_id == unit_id and not f.subunit),
                subunit_figures=sum(
                    1 for f in unit_figures if f.unit_id != unit_id or f.subunit
                ),
            )
        )
    ranked.sort(key=lambda r: (-r.total, r.unit.name_en))
    return ranked[:limit] if limit else ranked


def _passes_through(tree: UnitTree, unit_id: str, figures: list[FigureView]) -> bool:
    """True for a formation with no figures of its own whose figures all come from one
    sub-unit branch: it would repeat that sub-unit's row (an army above its only reported
    division). `--echelon` still lists it."""
    branches = set()
    for figure in figures:
        if figure.unit_id == unit_id:
            return False
        chain = tree.ancestors(figure.unit_id)
        branches.add(chain[chain.index(unit_id) - 1])
    return len(branches) == 1
