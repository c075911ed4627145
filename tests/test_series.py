"""A unit's series: figures by period, sources side by side, disagreements kept, roll-ups."""

from __future__ import annotations

import hashlib
import itertools
from datetime import datetime

import pytest

from awol.errors import AwolError
from awol.stats.outlets import seed_outlets
from awol.stats.series import (
    load_figures,
    parse_since,
    resolve_unit,
    roll_up,
    unit_series,
)
from awol.store.schema import CitedSourceRow, DocumentRow, FigureRow, UnitAliasRow, UnitRow

_counter = itertools.count()

DIVISION = "ru-20-gmrd"
REGIMENT = "ru-33-mrr"
OTHER = "ru-150-mrd"


# ---------------------------------------------------------------- helpers (shared by the stats tests)


def add_units(store, with_aliases: bool = True) -> None:
    """A small tree: an army, a division under it, a regiment under the division, another division."""
    with store.session() as session:
        session.add(UnitRow(id="ru-8-gca", name_en="8th Guards Combined Arms Army", echelon="army"))
        session.flush()
        session.add(UnitRow(id=DIVISION, name_en="20th Guards Motor Rifle Division",
                            name_ru="20-я гвардейская мотострелковая дивизия", echelon="division",
                            parent_id="ru-8-gca", military_unit_number="22316"))
        session.add(UnitRow(id=OTHER, name_en="150th Motor Rifle Division", echelon="division",
                            parent_id="ru-8-gca"))
        session.flush()
        session.add(UnitRow(id=REGIMENT, name_en="33rd Motor Rifle Regiment", echelon="regiment",
                            parent_id=DIVISION))
        if with_aliases:
            session.add(UnitAliasRow(unit_id=DIVISION, alias="20e gemotoriseerde gardedivisie"))


def add_document(store, outlet=None, published="2024-11-19", title=None, cited=()) -> int:
    n = next(_counter)
    with store.session() as session:
        row = DocumentRow(
            sha256=hashlib.sha256(f"doc-{n}-{datetime.now()}".encode()).hexdigest(),
            path=f"/reports/doc-{n}.txt", format="txt", title=title or f"Report {n}",
            language="en", published=published, outlet=outlet, url=None, size_bytes=100,
            text="…", ingested_at=datetime(2025, 1, 1),
        )
        session.add(row)
        session.flush()
        for name in cited:
            session.add(CitedSourceRow(document_id=row.id, name=name))
        return row.id


def add_figure(store, document_id, category, value, *, unit_id=DIVISION, period=None,
               quote=None, qualifier="exact", measure="people", army="ru", subunit=False,
               unit_mention=None) -> int:
    start, end = (period if isinstance(period, tuple) else (period, period)) if period else (None, None)
    with store.session() as session:
        row = FigureRow(
            document_id=document_id, category=category, value=value, qualifier=qualifier,
            measure=measure, army=army, unit_id=unit_id, unit_mention=unit_mention,
            subunit=subunit, period_start=start, period_end=end,
            quote=quote or f"{value} soldiers {category}.", span_start=0, span_end=1,
        )
        session.add(row)
        session.flush()
        return row.id


@pytest.fixture
def kb(store):
    """The unit tree and the outlet grades, no figures yet."""
    add_units(store)
    seed_outlets(store)
    return store


# ---------------------------------------------------------------- series


def test_figures_of_a_unit_are_ordered_by_period(kb):
    doc = add_document(kb, outlet="Mediazona")
    add_figure(kb, doc, "deserted", 40, period="2023-05")
    add_figure(kb, doc, "deserted", 151, period="2022-03")
    add_figure(kb, doc, "deserted", 20, period="2022-11")
    data = unit_series(kb, DIVISION)
    [series] = data.series
    assert [row.period_label for row in series.rows] == ["2022-03", "2022-11", "2023-05"]
    assert [row.events[0].value for row in series.rows] == [151, 20, 40]


def test_disagreeing_reports_keep_both_values_with_their_quotes(kb):
    a = add_document(kb, outlet="iStories")
    b = add_document(kb, outlet="TASS")
    add_figure(kb, a, "deserted", 1010, period="2024-10",
               quote="The division asked to find 1,010 servicemen who had left.")
    add_figure(kb, b, "deserted", 300, period="2024-10",
               quote="Only 300 soldiers left the division, the ministry said.")
    [series] = unit_series(kb, DIVISION).series
    [row] = series.rows
    assert row.disagree
    assert [e.value for e in row.events] == [1010, 300]  # both kept, never averaged
    quotes = [f.quote for e in row.events for f in e.figures]
    assert "The division asked to find 1,010 servicemen who had left." in quotes
    assert "Only 300 soldiers left the division, the ministry said." in quotes
    grades = {e.value: e.sources[0].grade for e in row.events}
    assert grades == {1010: "B", 300: "D"}


def test_same_event_from_two_outlets_is_one_event_with_two_sources(kb):
    a = add_document(kb, outlet="Deutsche Welle", cited=["iStories"])
    b = add_document(kb, outlet="Meduza")
    add_figure(kb, a, "deserted", 151, period="2022-03",
               quote="According to iStories, 151 soldiers of the regiment deserted.")
    add_figure(kb, b, "deserted", 151, period="2022-03", quote="151 deserted in March 2022.")
    [series] = unit_series(kb, DIVISION).series
    [row] = series.rows
    assert not row.disagree
    [event] = row.events
    assert [s.label for s in event.sources] == [
        "iStories (via Deutsche Welle) [B]",
        "Meduza [B]",
    ]
    assert series.rollup.total == 151


def test_sub_unit_figures_appear_under_the_parent_with_their_own_name(kb):
    doc = add_document(kb, outlet="Mediazona")
    add_figure(kb, doc, "deserted", 1000, period=("2022-02", "2024-11"), qualifier="more_than")
    add_figure(kb, doc, "deserted", 151, unit_id=REGIMENT, period="2022-03")
    add_figure(kb, doc, "deserted", 12, period="2022-04", subunit=True,
               unit_mention="Michail's regiment")
    data = unit_series(kb, DIVISION)
    assert [u.id for u in data.subunits] == [REGIMENT]
    [series] = data.series
    labels = {row.unit_label: row.depth for row in series.rows}
    assert labels["33rd Motor Rifle Regiment"] == 1
    assert labels["sub-unit \"Michail's regiment\" of 20th Guards Motor Rifle Division"] == 1
    assert labels["20th Guards Motor Rifle Division"] == 0
    # The regiment's and the sub-unit's months lie inside the division's period: not added.
    assert series.rollup.total == 1000
    assert series.rollup.lower_bound


def test_different_measures_and_armies_are_separate_series(kb):
    doc = add_document(kb, outlet="Mediazona")
    add_figure(kb, doc, "deserted", 100, period="2024-01")
    add_figure(kb, doc, "deserted", 70, period="2024-01", measure="cases")
    add_figure(kb, doc, "deserted", 50, period="2024-01", army="ua")
    data = unit_series(kb, DIVISION)
    keys = [(s.measure, s.army, s.category) for s in data.series]
    assert keys == [("people", "ru", "deserted"), ("cases", "ru", "deserted"),
                    ("people", "ua", "deserted")]
    assert [s.rollup.total for s in data.series] == [100, 70, 50]


def test_roll_up_folds_months_into_a_wider_period_and_adds_separate_periods(kb):
    doc = add_document(kb, outlet="Mediazona")
    add_figure(kb, doc, "awol", 30, period="2023-01")
    add_figure(kb, doc, "awol", 40, period="2023-02")
    add_figure(kb, doc, "awol", 50, period="2023")  # less than its months' sum: the months count
    add_figure(kb, doc, "awol", 25, period="2024-06")
    [series] = unit_series(kb, DIVISION).series
    assert series.rollup.total == 70 + 25
    assert roll_up([]).total == 0


def test_undated_figures_are_shown_with_their_publication_date(kb):
    doc = add_document(kb, outlet="iStories", published="2024-11-19")
    add_figure(kb, doc, "deserted", 1010, quote="1,010 servicemen left the division.")
    [series] = unit_series(kb, DIVISION).series
    assert series.rows[0].period_label == "undated (published 2024-11-19)"


def test_since_keeps_figures_about_that_date_or_later(kb):
    doc = add_document(kb, outlet="Mediazona", published="2024-12-01")
    add_figure(kb, doc, "deserted", 1, period="2022-03")
    add_figure(kb, doc, "deserted", 2, period="2023")
    add_figure(kb, doc, "deserted", 3)  # undated: its publication date counts
    values = sorted(f.value for f in load_figures(kb, since="2023-06"))
    assert values == [2, 3]
    with pytest.raises(AwolError):
        parse_since("June 2023")


def test_a_unit_is_found_by_id_name_alias_or_number(kb):
    for query in (DIVISION, "20th guards motor rifle division",
                  "20-я гвардейская мотострелковая дивизия", "20e gemotoriseerde gardedivisie",
                  "в/ч 22316"):
        assert resolve_unit(kb, query).id == DIVISION
    with pytest.raises(AwolError, match="awol units find"):
        resolve_unit(kb, "no such unit")


def test_figure_sources_prefer_the_source_named_in_the_sentence(kb):
    doc = add_document(kb, outlet="DW", cited=["iStories", "Conflict Intelligence Team"])
    add_figure(kb, doc, "deserted", 1000, quote="iStories meldt dat meer dan duizend militairen de divisie verlieten.")
    add_figure(kb, doc, "deserted", 151, period="2022-03", quote="Van hen deserteerden 151.")
    add_figure(kb, doc, "deserted", 5, period="2023-01", quote="Volgens CIT deserteerden er 5.")
    by_value = {f.value: f for f in load_figures(kb)}
    assert by_value[1000].sources_label == "iStories (via Deutsche Welle) [B]"
    assert by_value[151].sources_label == "Deutsche Welle [B]"
    assert by_value[5].sources_label == "Conflict Intelligence Team (via Deutsche Welle) [B]"


def test_unknown_outlets_are_shown_with_grade_f(kb):
    doc = add_document(kb, outlet="Some Blog")
    add_figure(kb, doc, "deserted", 9, period="2024-01")
    [figure] = load_figures(kb)
    assert figure.sources_label == "Some Blog [F]"
    lone = add_document(kb, outlet=None)
    add_figure(kb, lone, "deserted", 8, period="2024-02")
    assert load_figures(kb)[-1].sources_label == "unknown source [F]"
