"""`awol units top`: units by reported desertion, each event counted once, sub-units rolled up."""

from __future__ import annotations

import pytest

from awol.stats.outlets import seed_outlets
from awol.stats.ranking import rank_units
from test_series import DIVISION, OTHER, REGIMENT, add_document, add_figure, add_units


@pytest.fixture
def kb(store):
    add_units(store)
    seed_outlets(store)
    return store


def _totals(ranked):
    return {r.unit.id: r.total for r in ranked}


def test_units_are_ranked_by_deserted_plus_awol(kb):
    doc = add_document(kb, outlet="Mediazona")
    add_figure(kb, doc, "deserted", 100, unit_id=DIVISION, period="2023-01")
    add_figure(kb, doc, "awol", 60, unit_id=DIVISION, period="2023-01")
    add_figure(kb, doc, "deserted", 120, unit_id=OTHER, period="2023-01")
    add_figure(kb, doc, "killed", 500, unit_id=OTHER, period="2023-01")  # not desertion
    ranked = rank_units(kb, echelon="division")
    assert [(r.unit.id, r.total) for r in ranked] == [(DIVISION, 160), (OTHER, 120)]
    assert ranked[0].by_category["awol"].total == 60


def test_the_same_event_from_two_outlets_is_counted_once(kb):
    a = add_document(kb, outlet="Deutsche Welle", cited=["iStories"])
    b = add_document(kb, outlet="Meduza")
    add_figure(kb, a, "deserted", 151, unit_id=REGIMENT, period="2022-03")
    add_figure(kb, b, "deserted", 151, unit_id=REGIMENT, period="2022-03")
    totals = _totals(rank_units(kb))
    assert totals[REGIMENT] == 151
    assert _totals(rank_units(kb, echelon="division"))[DIVISION] == 151
    regiment = next(r for r in rank_units(kb) if r.unit.id == REGIMENT)
    assert regiment.events == 1
    assert regiment.sources == ["Deutsche Welle [B]", "Meduza [B]"]


def test_sub_units_roll_up_to_their_parents(kb):
    doc = add_document(kb, outlet="Mediazona")
    add_figure(kb, doc, "deserted", 151, unit_id=REGIMENT, period="2022-03")
    add_figure(kb, doc, "deserted", 40, unit_id=DIVISION, period="2022-06")
    add_figure(kb, doc, "deserted", 7, unit_id=OTHER, period="2022-06")
    totals = _totals(rank_units(kb))
    assert totals[REGIMENT] == 151
    assert totals[DIVISION] == 151 + 40
    assert totals["ru-8-gca"] == 151 + 40  # June: the larger of the two divisions' reports
    assert totals[OTHER] == 7


def test_a_division_total_is_not_added_to_its_regiments_months(kb):
    doc = add_document(kb, outlet="iStories", published="2024-11-19")
    add_figure(kb, doc, "deserted", 1010, unit_id=DIVISION)  # undated, "so far"
    add_figure(kb, doc, "deserted", 151, unit_id=REGIMENT, period="2022-03")
    assert _totals(rank_units(kb))[DIVISION] == 1010


def test_other_measures_and_armies_are_not_counted(kb):
    doc = add_document(kb, outlet="Mediazona")
    add_figure(kb, doc, "deserted", 10, unit_id=DIVISION, period="2024-01")
    add_figure(kb, doc, "deserted", 900, unit_id=DIVISION, period="2024-01", measure="cases")
    add_figure(kb, doc, "awol", 800, unit_id=DIVISION, period="2024-01", army="ua")
    assert _totals(rank_units(kb))[DIVISION] == 10


def test_disagreeing_reports_count_the_larger_value_once(kb):
    a = add_document(kb, outlet="iStories")
    b = add_document(kb, outlet="TASS")
    add_figure(kb, a, "deserted", 300, unit_id=DIVISION, period="2024-10")
    add_figure(kb, b, "deserted", 120, unit_id=DIVISION, period="2024-10")
    assert _totals(rank_units(kb))[DIVISION] == 300


def test_since_and_limit(kb):
    doc = add_document(kb, outlet="Mediazona", published="2025-01-10")
    add_figure(kb, doc, "deserted", 500, unit_id=OTHER, period="2022-05")
    add_figure(kb, doc, "deserted", 20, unit_id=DIVISION, period="2024-05")
    ranked = rank_units(kb, since="2024", echelon="division")
    assert _totals(ranked) == {DIVISION: 20}
    assert len(rank_units(kb, limit=1)) == 1


def test_a_formation_reported_only_through_one_sub_unit_is_not_listed_twice(kb):
    doc = add_document(kb, outlet="Mediazona")
    add_figure(kb, doc, "deserted", 151, unit_id=REGIMENT, period="2022-03")
    listed = [r.unit.id for r in rank_units(kb)]
    assert listed == [REGIMENT]
    assert [r.unit.id for r in rank_units(kb, echelon="division")] == [DIVISION]


def test_partly_overlapping_periods_count_once_not_added(kb):
    doc = add_document(kb, outlet="iStories", published="2024-12")
    # "more than 1,000 since February 2022" and "151 in 2022" may be the same soldiers.
    add_figure(kb, doc, "deserted", 1000, unit_id=DIVISION, period=("2022-02", "2024-12"))
    add_figure(kb, doc, "deserted", 151, unit_id=DIVISION, period="2022")
    assert _totals(rank_units(kb))[DIVISION] == 1000
