"""Outlets and their reliability grades: seeded from outlets.csv, editable, never overwritten."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from awol.errors import AwolError
from awol.stats.outlets import (
    GRADES,
    OutletIndex,
    default_outlets,
    list_outlets,
    seed_outlets,
    set_grade,
)
from awol.store.schema import OutletRow


def _grade(store, name):
    with store.session() as session:
        return session.scalar(select(OutletRow.reliability).where(OutletRow.name == name))


def test_every_default_outlet_has_a_grade_on_the_admiralty_scale():
    outlets = default_outlets()
    assert len(outlets) >= 20
    assert all(o.reliability in GRADES for o in outlets)
    names = {o.name for o in outlets}
    assert {"Mediazona", "iStories", "Deutsche Welle", "Conflict Intelligence Team", "TASS"} <= names


def test_seeding_is_idempotent(store):
    added = seed_outlets(store)
    assert added == len(default_outlets())
    assert seed_outlets(store) == 0
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(OutletRow)) == added
    assert _grade(store, "Mediazona") == "A"
    assert _grade(store, "TASS") == "D"


def test_a_user_edited_grade_survives_reseeding(store):
    seed_outlets(store)
    outlet, added = set_grade(store, "Медиазона", "c", note="Checked by our desk")
    assert (outlet.name, outlet.reliability, added) == ("Mediazona", "C", False)
    seed_outlets(store)
    assert _grade(store, "Mediazona") == "C"
    with store.session() as session:
        note = session.scalar(select(OutletRow.note).where(OutletRow.name == "Mediazona"))
    assert note == "Checked by our desk"


def test_grading_an_unlisted_outlet_adds_it(store):
    outlet, added = set_grade(store, "Some Telegram Channel", "E")
    assert added and outlet.reliability == "E"
    assert _grade(store, "Some Telegram Channel") == "E"
    assert any(o.name == "Some Telegram Channel" and o.in_table for o in list_outlets(store))


def test_an_unknown_grade_is_refused(store):
    with pytest.raises(AwolError, match="unknown grade"):
        set_grade(store, "Mediazona", "Z")


def test_aliases_and_sentences_resolve_to_the_canonical_outlet(store):
    seed_outlets(store)
    index = OutletIndex.from_store(store)
    assert index.canonical("DW").name == "Deutsche Welle"
    assert index.canonical("Важные истории").name == "iStories"
    assert index.canonical("Unknown Gazette").reliability == "F"
    named = index.named_in("Volgens CIT en de Duitse zender Deutsche Welle …")
    assert [o.name for o in named] == ["Conflict Intelligence Team", "Deutsche Welle"]
    # Lower-case common words are not outlets.
    assert index.named_in("in connection with the agency, агентство сообщило") == []
