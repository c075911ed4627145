"""Figures as series: who reported what, per unit and period, with the sources' grades.

Vocabulary (see docs/reliability.md for the rules):

- a *figure* is one stored row: one number in one sentence of one document;
- an *event* is what several figures may report: the same (unit, category, measure, army,
  period, value) from different documents is one event with several sources;
- a *period row* holds the events of one (unit, category, measure, army, period); when it holds
  more than one event the reports **disagree** and every value is kept with its quotes;
- a *series* is one (measure, army, category): figures of different measures or armies are
  never put in one series, and so never added.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from sqlalchemy import select

from awol.errors import AwolError
from awol.store.db import Store
from awol.store.schema import CitedSourceRow, DocumentRow, FigureRow, UnitAliasRow, UnitRow
from awol.stats.outlets import OutletIndex

QUALIFIER_SIGNS = {"exact": "", "about": "~ ", "more_than": "> ", "at_least": "≥ ", "up_to": "≤ "}
LOWER_BOUNDS = ("more_than", "at_least")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# ---------------------------------------------------------------- dates and periods


def parse_since(value: str | None) -> date | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` → the first day it names."""
    if value is None:
        return None
    value = value.strip()
    if not _DATE.match(value):
        raise AwolError(f"--since {value!r}: write a date as YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return _bounds(value)[0]
    except ValueError:
        raise AwolError(f"--since {value!r} is not a valid date") from None


def _bounds(value: str) -> tuple[date, date]:
    """The first and last day a ``YYYY[-MM[-DD]]`` string names."""
    parts = [int(p) for p in value[:10].split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
    day = date(parts[0], parts[1], parts[2])
    return day, day


def date_bounds(value: str | None) -> tuple[date, date] | None:
    if not value or not _DATE.match(value.strip()[:10]):
        return None
    try:
        return _bounds(value.strip())
    except ValueError:
        return None


Period = tuple[str, str]  # (start, end) as stored, end filled with start


def period_interval(period: Period | None) -> tuple[date, date]:
    """The days a period covers; no period ("undated") covers all time."""
    if period is None:
        return date.min, date.max
    start = date_bounds(period[0])
    end = date_bounds(period[1])
    if start is None:
        return date.min, date.max
    return start[0], (end or start)[1]


def period_label(period: Period | None) -> str:
    if period is None:
        return "undated"
    start, end = period
    return start if start == end else f"{start}..{end}"


def format_value(value: int, qualifier: str = "exact") -> str:
    return f"{QUALIFIER_SIGNS.get(qualifier, qualifier + ' ')}{value:,}"


# ---------------------------------------------------------------- units


@dataclass(frozen=True)
class UnitInfo:
    id: str
    name_en: str
    name_ru: str | None = None
    parent_id: str | None = None
    echelon: str | None = None
    military_unit_number: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "name_en": self.name_en, "echelon": self.echelon}


class UnitTree:
    """The units table as a tree (ids → units, parents, children)."""

    def __init__(self, units: Iterable[UnitInfo]):
        self.units = {u.id: u for u in units}
        self.children: dict[str, list[str]] = defaultdict(list)
        for unit in self.units.values():
            if unit.parent_id and unit.parent_id in self.units:
                self.children[unit.parent_id].append(unit.id)

    @classmethod
    def from_store(cls, store: Store) -> "UnitTree":
        with store.session() as session:
            rows = session.execute(
                select(
                    UnitRow.id, UnitRow.name_en, UnitRow.name_ru, UnitRow.parent_id,
                    UnitRow.echelon, UnitRow.military_unit_number,
                )
            ).all()
        return cls(UnitInfo(*row) for row in rows)

    def name(self, unit_id: str | None) -> str | None:
        if unit_id is None:
            return None
        unit = self.units.get(unit_id)
        return unit.name_en if unit else unit_id

    def descendants(self, unit_id: str) -> list[str]:
        """The unit and every unit under it (parents before children)."""
        out, stack, seen = [], [unit_id], set()
        while stack:
            current = stack.pop(0)
            if current in seen:
                continue
            seen.add(current)
            out.append(current)
            stack.extend(sorted(self.children.get(current, ())))
        return out

    def ancestors(self, unit_id: str) -> list[str]:
        """The unit and every unit above it."""
        out, current = [], unit_id
        while current and current not in out:
            out.append(current)
            unit = self.units.get(current)
            current = unit.parent_id if unit else None
        return out

    def depth_under(self, unit_id: str, root: str) -> int:
        chain = self.ancestors(unit_id)
        return chain.index(root) if root in chain else 0


def resolve_unit(store: Store, text: str, tree: UnitTree | None = None) -> UnitInfo:
    """A unit named by id, by name in any language, or by military unit number."""
    tree = tree or UnitTree.from_store(store)
    query = (text or "").strip()
    if not query:
        raise AwolError("name a unit (an id, a name in any language, or a military unit number)")
    if query in tree.units:
        return tree.units[query]
    unit_id = _resolve_with_resolver(store, query)
    if unit_id and unit_id in tree.units:
        return tree.units[unit_id]
    unit_id = _resolve_in_table(store, query, tree)
    if unit_id:
        return tree.units[unit_id]
    raise AwolError(f"unknown unit {query!r}; try `awol units find {query}`")


def _resolve_with_resolver(store: Store, query: str) -> str | None:
    try:
        from awol.units.resolver import UnitResolver
    except ImportError:
        return None
    result = UnitResolver.from_store(store).resolve(query)
    if isinstance(result, (list, tuple)):
        result = result[0] if result else None
    if result is None or isinstance(result, str):
        return result
    for attribute in ("unit_id", "id"):
        value = getattr(result, attribute, None)
        if isinstance(value, str):
            return value
    unit = getattr(result, "unit", None)
    return getattr(unit, "id", None)


def _resolve_in_table(store: Store, query: str, tree: UnitTree) -> str | None:
    folded = query.casefold()
    number = re.sub(r"^(в/ч|вч|v/ch|military unit)\s*", "", folded).strip()
    for unit in tree.units.values():
        if folded in {unit.id.casefold(), unit.name_en.casefold(), (unit.name_ru or "").casefold()}:
            return unit.id
        if unit.military_unit_number and number == unit.military_unit_number.casefold():
            return unit.id
    with store.session() as session:
        for unit_id, alias in session.execute(select(UnitAliasRow.unit_id, UnitAliasRow.alias)):
            if alias.casefold() == folded:
                return unit_id
    return None


# ---------------------------------------------------------------- figures and their sources


@dataclass(frozen=True)
class Source:
    """Who a figure comes from, with the grade in force; ``via`` is the outlet that relayed it."""

    name: str
    grade: str
    via: str | None = None

    @property
    def label(self) -> str:
        via = f" (via {self.via})" if self.via else ""
        return f"{self.name}{via} [{self.grade}]"

    def to_dict(self) -> dict:
        return {"name": self.name, "grade": self.grade, "via": self.via}


UNKNOWN_SOURCE = Source("unknown source", "F")


def attribute(
    quote: str, outlet: str | None, cited: list[str], index: OutletIndex
) -> list[Source]:
    """The sources of a figure (see docs/reliability.md, "Which grade a figure shows").

    1. Sources the figure's sentence names (known outlets, or the document's cited sources),
       each with its own grade, relayed "via" the document's outlet.
    2. Otherwise the document's outlet, with its grade.
    3. Otherwise (no outlet recorded) the document's cited sources, each with its grade.
    4. Otherwise "unknown source", grade F.
    """
    relay = index.canonical(outlet) if outlet else None
    cited_outlets = [index.canonical(name) for name in dict.fromkeys(cited)]
    cited_names = {o.name for o in cited_outlets}
    named = [o for o in index.named_in(quote, cited_names) if relay is None or o.name != relay.name]
    known = {o.name for o in named}
    lowered = quote.casefold()
    for o in cited_outlets:  # cited sources that are not in the outlet list, written as cited
        if o.name not in known and not o.in_table and o.name.casefold() in lowered:
            if relay is None or o.name != relay.name:
                named.append(o)
                known.add(o.name)
    if named:
        return [Source(o.name, o.reliability, relay.name if relay else None) for o in named]
    if relay is not None:
        return [Source(relay.name, relay.reliability)]
    if cited_outlets:
        return [Source(o.name, o.reliability) for o in cited_outlets]
    return [UNKNOWN_SOURCE]


@dataclass
class FigureView:
    """One stored figure with its unit, document and sources."""

    id: int
    document_id: int
    category: str
    value: int
    qualifier: str
    measure: str
    army: str
    unit_id: str | None
    unit_name: str | None
    unit_mention: str | None
    subunit: bool
    period: Period | None
    quote: str
    published: str | None
    document_title: str | None
    document_path: str | None
    document_url: str | None
    outlet: str | None
    sources: list[Source] = field(default_factory=list)

    @property
    def grade(self) -> str:
        """The grade shown beside the figure: that of its first source."""
        return self.sources[0].grade if self.sources else "F"

    @property
    def value_label(self) -> str:
        return format_value(self.value, self.qualifier)

    @property
    def sources_label(self) -> str:
        return "; ".join(s.label for s in self.sources)

    @property
    def document_label(self) -> str:
        name = self.document_title or self.document_path or self.document_url or f"document {self.document_id}"
        return f"{name} ({self.published})" if self.published else name

    def last_day(self) -> date | None:
        """The last day the figure can be about: its period's end, else publication."""
        if self.period is not None:
            end = period_interval(self.period)[1]
            if end != date.max:
                return end
        bounds = date_bounds(self.published)
        return bounds[1] if bounds else None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "category": self.category,
            "value": self.value,
            "qualifier": self.qualifier,
            "measure": self.measure,
            "army": self.army,
            "unit": {"id": self.unit_id, "name_en": self.unit_name} if self.unit_id else None,
            "unit_mention": self.unit_mention,
            "subunit": self.subunit,
            "period": (
                {"start": self.period[0], "end": self.period[1]} if self.period else None
            ),
            "quote": self.quote,
            "grade": self.grade,
            "sources": [s.to_dict() for s in self.sources],
            "document": {
                "id": self.document_id,
                "title": self.document_title,
                "path": self.document_path,
                "url": self.document_url,
                "published": self.published,
                "outlet": self.outlet,
            },
        }


def load_figures(
    store: Store,
    *,
    unit_ids: Iterable[str] | None = None,
    category: str | None = None,
    measure: str | None = None,
    army: str | None = None,
    since: str | date | None = None,
    tree: UnitTree | None = None,
    index: OutletIndex | None = None,
) -> list[FigureView]:
    """Stored figures with sources and grades, oldest period first.

    ``since`` keeps figures whose period (or, undated, whose publication) reaches that day or
    later; a figure with neither is left out when ``since`` is given.
    """
    tree = tree or UnitTree.from_store(store)
    index = index or OutletIndex.from_store(store)
    since_day = parse_since(since) if isinstance(since, str) else since
    query = select(FigureRow, DocumentRow.published, DocumentRow.title, DocumentRow.path,
                   DocumentRow.url, DocumentRow.outlet).join(
        DocumentRow, DocumentRow.id == FigureRow.document_id
    )
    if unit_ids is not None:
        ids = list(unit_ids)
        if not ids:
            return []
        query = query.where(FigureRow.unit_id.in_(ids))
    if category:
        query = query.where(FigureRow.category == category)
    if measure:
        query = query.where(FigureRow.measure == measure)
    if army:
        query = query.where(FigureRow.army == army)
    query = query.order_by(FigureRow.id)
    with store.session() as session:
        rows = session.execute(query).all()
        doc_ids = sorted({row[0].document_id for row in rows})
        cited: dict[int, list[str]] = defaultdict(list)
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start : start + 500]
            for doc_id, name in session.execute(
                select(CitedSourceRow.document_id, CitedSourceRow.name)
                .where(CitedSourceRow.document_id.in_(chunk))
                .order_by(CitedSourceRow.id)
            ):
                cited[doc_id].append(name)
    figures = []
    for figure, published, title, path, url, outlet in rows:
        period = (
            (figure.period_start, figure.period_end or figure.period_start)
            if figure.period_start
            else None
        )
        view = FigureView(
            id=figure.id,
            document_id=figure.document_id,
            category=figure.category,
            value=figure.value,
            qualifier=figure.qualifier or "exact",
            measure=figure.measure or "people",
            army=figure.army or "ru",
            unit_id=figure.unit_id,
            unit_name=tree.name(figure.unit_id),
            unit_mention=figure.unit_mention,
            subunit=bool(figure.subunit),
            period=period,
            quote=figure.quote,
            published=published,
            document_title=title,
            document_path=path,
            document_url=url,
            outlet=outlet,
            sources=attribute(figure.quote, outlet, cited.get(figure.document_id, []), index),
        )
        if since_day is not None:
            last = view.last_day()
            if last is None or last < since_day:
                continue
        figures.append(view)
    figures.sort(key=_figure_order)
    return figures


def _figure_order(figure: FigureView):
    start = period_interval(figure.period)[0] if figure.period else date.max
    return (start, figure.published or "", figure.id)


# ---------------------------------------------------------------- events and series


@dataclass
class Event:
    """One reported fact: the same (unit, sub-unit?, category, measure, army, period, value)
    from one or more documents."""

    unit_id: str | None
    unit_name: str | None
    subunit: bool
    category: str
    measure: str
    army: str
    period: Period | None
    value: int
    figures: list[FigureView] = field(default_factory=list)

    @property
    def qualifiers(self) -> list[str]:
        return list(dict.fromkeys(f.qualifier for f in self.figures))

    @property
    def value_label(self) -> str:
        return " / ".join(format_value(self.value, q) for q in self.qualifiers)

    @property
    def lower_bound(self) -> bool:
        return any(q in LOWER_BOUNDS for q in self.qualifiers)

    @property
    def sources(self) -> list[Source]:
        return list(dict.fromkeys(s for f in self.figures for s in f.sources))

    @property
    def sources_label(self) -> str:
        return "; ".join(s.label for s in self.sources)

    @property
    def published(self) -> str | None:
        dates = [f.published for f in self.figures if f.published]
        return min(dates) if dates else None

    def to_dict(self) -> dict:
        return {
            "value": self.value,
            "qualifiers": self.qualifiers,
            "sources": [s.to_dict() for s in self.sources],
            "reports": [
                {
                    "figure_id": f.id,
                    "qualifier": f.qualifier,
                    "quote": f.quote,
                    "grade": f.grade,
                    "sources": [s.to_dict() for s in f.sources],
                    "document": f.to_dict()["document"],
                }
                for f in self.figures
            ],
        }


def event_key(figure: FigureView) -> tuple:
    return (
        figure.unit_id, figure.subunit, figure.category, figure.measure, figure.army,
        figure.period, figure.value,
    )


def group_events(figures: Iterable[FigureView]) -> list[Event]:
    """Merge reports of the same event (same unit, category, measure, army, period, value)."""
    events: dict[tuple, Event] = {}
    for figure in figures:
        key = event_key(figure)
        if key not in events:
            events[key] = Event(
                unit_id=figure.unit_id, unit_name=figure.unit_name, subunit=figure.subunit,
                category=figure.category, measure=figure.measure, army=figure.army,
                period=figure.period, value=figure.value,
            )
        events[key].figures.append(figure)
    return list(events.values())


@dataclass
class PeriodRow:
    """The events of one (unit, category, measure, army, period): several = disagreement."""

    unit_id: str | None
    unit_name: str | None
    subunit: bool
    unit_mention: str | None
    depth: int
    period: Period | None
    events: list[Event]

    @property
    def disagree(self) -> bool:
        return len(self.events) > 1

    @property
    def unit_label(self) -> str:
        name = self.unit_name or "(no unit)"
        if self.subunit:
            mention = f" {self.unit_mention!r}" if self.unit_mention else ""
            return f"sub-unit{mention} of {name}"
        return name

    @property
    def period_label(self) -> str:
        if self.period is None:
            published = min((e.published for e in self.events if e.published), default=None)
            return f"undated (published {published})" if published else "undated"
        return period_label(self.period)

    def to_dict(self) -> dict:
        return {
            "unit": {"id": self.unit_id, "name_en": self.unit_name},
            "subunit": self.subunit,
            "unit_mention": self.unit_mention,
            "period": {"start": self.period[0], "end": self.period[1]} if self.period else None,
            "disagree": self.disagree,
            "events": [e.to_dict() for e in self.events],
        }


@dataclass
class RollUp:
    """A series' total over a unit and its sub-units, each event counted once."""

    total: int
    lower_bound: bool
    periods: list[tuple[Period | None, int]]

    @property
    def label(self) -> str:
        return format_value(self.total, "at_least" if self.lower_bound else "exact")

    def to_dict(self) -> dict:
        return {
            "total": self.total,
            "lower_bound": self.lower_bound,
            "periods": [
                {"period": period_label(p), "value": v} for p, v in self.periods
            ],
        }


def roll_up(events: Iterable[Event]) -> RollUp:
    """Total of one series over a unit and its sub-units, without double counting.

    1. Reports of the same event are already one event (group_events).
    2. Per period, the largest event counts (two units' or two outlets' figures for the same
       period are assumed to overlap: disagreeing values and a regiment's figure inside its
       division's are never added).
    3. A period inside a wider reported period (a month inside a year; anything inside an
       undated, "so far" figure) is folded into it: the wider period counts the larger of its
       own value and the sum of the periods inside it.
    4. Periods that partly overlap count once: the larger of them.
    5. The remaining, disjoint periods are added.
    """
    best: dict[Period | None, Event] = {}
    for event in events:
        if event.period not in best or event.value > best[event.period].value:
            best[event.period] = event
    if not best:
        return RollUp(0, False, [])
    keys = list(best)
    spans = {k: period_interval(k) for k in keys}

    def inside(inner, outer) -> bool:
        (a1, b1), (a2, b2) = spans[inner], spans[outer]
        return inner != outer and a2 <= a1 and b1 <= b2 and (a1, b1) != (a2, b2)

    def width(k):
        a, b = spans[k]
        return (b.toordinal() - a.toordinal(), str(k))

    top = object()  # the parent of periods inside no other (None is the undated period)
    parent: dict = {}
    for k in keys:
        outers = [o for o in keys if inside(k, o)]
        parent[k] = min(outers, key=width) if outers else top
    kids: dict = defaultdict(list)
    for k, p in parent.items():
        kids[p].append(k)

    def value(k) -> tuple[int, bool]:
        own = best[k].value, best[k].lower_bound
        if not kids.get(k):
            return own
        parts = [value(c) for c in kids[k]]
        summed = sum(v for v, _ in parts), any(lb for _, lb in parts)
        return own if own[0] >= summed[0] else summed

    roots = sorted(kids[top], key=lambda k: spans[k])
    totals = [(k, *value(k)) for k in roots]
    # Periods that overlap without one containing the other (a year 2022 and "since
    # February 2022") may count the same people: only the larger of them counts.
    clusters: list[list[tuple]] = []
    cluster_end = None
    for entry in totals:
        start, end = spans[entry[0]]
        if clusters and cluster_end is not None and start <= cluster_end:
            clusters[-1].append(entry)
            cluster_end = max(cluster_end, end)
        else:
            clusters.append([entry])
            cluster_end = end
    kept = [max(cluster, key=lambda e: e[1]) for cluster in clusters]
    return RollUp(
        total=sum(v for _, v, _ in kept),
        lower_bound=any(lb for _, _, lb in kept),
        periods=[(k, v) for k, v, _ in kept],
    )


SeriesKey = tuple[str, str, str]  # (measure, army, category)


@dataclass
class Series:
    measure: str
    army: str
    category: str
    rows: list[PeriodRow]
    rollup: RollUp

    @property
    def title(self) -> str:
        return f"{self.category} — {self.measure}, army {self.army}"

    @property
    def events(self) -> list[Event]:
        return [e for row in self.rows for e in row.events]

    def to_dict(self) -> dict:
        return {
            "measure": self.measure,
            "army": self.army,
            "category": self.category,
            "rows": [r.to_dict() for r in self.rows],
            "rollup": self.rollup.to_dict(),
        }


@dataclass
class UnitSeries:
    unit: UnitInfo
    subunits: list[UnitInfo]
    series: list[Series]

    @property
    def figures(self) -> list[FigureView]:
        return [f for s in self.series for e in s.events for f in e.figures]

    @property
    def sources(self) -> list[Source]:
        return list(dict.fromkeys(src for f in self.figures for src in f.sources))

    def to_dict(self) -> dict:
        return {
            "unit": self.unit.to_dict(),
            "subunits": [u.to_dict() for u in self.subunits],
            "series": [s.to_dict() for s in self.series],
        }


def build_series(figures: Iterable[FigureView], tree: UnitTree, root: str | None = None) -> list[Series]:
    """Figures → one Series per (measure, army, category), rows ordered by period."""
    by_series: dict[SeriesKey, list[FigureView]] = defaultdict(list)
    for figure in figures:
        by_series[(figure.measure, figure.army, figure.category)].append(figure)
    out = []
    for (measure, army, category), group in sorted(by_series.items(), key=_series_order):
        events = group_events(group)
        rows: dict[tuple, PeriodRow] = {}
        for event in events:
            key = (event.unit_id, event.subunit, event.period)
            if key not in rows:
                mention = next((f.unit_mention for f in event.figures if f.unit_mention), None)
                depth = tree.depth_under(event.unit_id, root) if root and event.unit_id else 0
                rows[key] = PeriodRow(
                    unit_id=event.unit_id, unit_name=event.unit_name, subunit=event.subunit,
                    unit_mention=mention, depth=depth + (1 if event.subunit else 0),
                    period=event.period, events=[],
                )
            rows[key].events.append(event)
        ordered = sorted(rows.values(), key=_row_order)
        for row in ordered:
            row.events.sort(key=lambda e: (-e.value, e.published or ""))
        out.append(Series(measure, army, category, ordered, roll_up(events)))
    return out


def _series_order(item):
    (measure, army, category), _ = item
    from awol.model import CATEGORIES, MEASURES

    rank = lambda seq, x: seq.index(x) if x in seq else len(seq)  # noqa: E731
    return (army != "ru", army, rank(MEASURES, measure), rank(CATEGORIES, category), category)


def _row_order(row: PeriodRow):
    if row.period is None:
        published = min((e.published for e in row.events if e.published), default="9999")
        start = date_bounds(published)
        key = start[0] if start else date.max
        return (key, 1, row.depth, row.unit_name or "")
    start, end = period_interval(row.period)
    return (start, 0, -(end.toordinal()), row.depth, row.unit_name or "")


def unit_series(
    store: Store,
    unit: str | UnitInfo,
    *,
    category: str | None = None,
    measure: str | None = None,
    army: str | None = None,
    since: str | None = None,
) -> UnitSeries:
    """Every figure of a unit and its sub-units, as series by (measure, army, category)."""
    tree = UnitTree.from_store(store)
    info = unit if isinstance(unit, UnitInfo) else resolve_unit(store, unit, tree)
    ids = tree.descendants(info.id)
    figures = load_figures(
        store, unit_ids=ids, category=category, measure=measure, army=army, since=since, tree=tree
    )
    return UnitSeries(
        unit=info,
        subunits=[tree.units[i] for i in ids[1:]],
        series=build_series(figures, tree, root=info.id),
    )
