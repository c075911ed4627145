"""The seed report (Dutch, December 2024) comes out exactly as the issue expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from awol.extract import extract_document
from awol.ingest.readers import read_document

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seed" / "deserters-2024-12.nl.txt"
if not SEED.exists():
    SEED = Path(__file__).resolve().parent.parent / "examples" / "reports" / "deserters-2024-12.nl.txt"

DIVISION = "20th Guards Motor Rifle Division"


@pytest.fixture(scope="module")
def seed():
    document = read_document(SEED)
    return document, extract_document(document)


def _figures(extraction):
    return {(f.category, f.value): f for f in extraction.figures}


def test_seed_document_is_dutch_and_published_december_2024(seed):
    document, _ = seed
    assert document.language == "nl"
    assert document.published == "2024-12"


def test_seed_gives_exactly_the_five_expected_figures(seed):
    _, extraction = seed
    assert sorted((f.category, f.value) for f in extraction.figures) == sorted(
        [("asylum_granted", 6), ("deserted", 1000), ("killed", 15), ("wounded", 91), ("deserted", 151)]
    )


def test_six_deserters_granted_asylum_in_france_in_october_2024(seed):
    six = _figures(seed[1])[("asylum_granted", 6)]
    assert six.qualifier == "exact"
    assert six.unit_id is None
    assert (six.period_start, six.period_end) == ("2024-10", "2024-10")
    assert "asiel" in six.quote


def test_more_than_a_thousand_deserted_the_20th_division_since_the_war_began(seed):
    thousand = _figures(seed[1])[("deserted", 1000)]
    assert thousand.qualifier == "more_than"
    assert thousand.unit_name_en == DIVISION
    assert thousand.subunit is False
    assert thousand.period_start == "2022-02"
    assert thousand.period_end == "2024-12"


@pytest.mark.parametrize("category,value", [("killed", 15), ("wounded", 91), ("deserted", 151)])
def test_michails_regiment_figures_are_tied_to_the_division_as_a_subunit_in_2022(seed, category, value):
    figure = _figures(seed[1])[(category, value)]
    assert figure.qualifier == "exact"
    assert figure.unit_name_en == DIVISION
    assert figure.subunit is True
    assert figure.period_start == "2022"
    assert figure.measure == "people" and figure.army == "ru"


def test_no_year_or_unit_number_is_read_as_a_figure(seed):
    values = {f.value for f in seed[1].figures}
    assert not values & {2022, 2023, 2024, 20}


def test_the_six_deserters_are_counted_once(seed):
    assert [f.category for f in seed[1].figures if f.value == 6] == ["asylum_granted"]


def test_seed_names_the_20th_division_once(seed):
    assert [u.name_en for u in seed[1].units] == [DIVISION]


def test_seed_persons_and_roles(seed):
    persons = {p.name: p.role for p in seed[1].persons}
    assert set(persons) == {"Alexander Sterliadnikov", "Ruslan Leviev", "Alexej Alsjanski", "Michail", "Sergej"}
    assert persons["Alexander Sterliadnikov"] == "deserter"
    assert persons["Sergej"] == "deserter"


def test_seed_cited_sources_in_english(seed):
    assert seed[1].sources_cited == [
        "Deutsche Welle", "Der Spiegel", "Conflict Intelligence Team", "iStories", "Mediazona",
    ]


def test_figure_json_has_the_documented_shape(seed):
    data = seed[1].to_dict()["figures"][0]
    assert set(data) >= {"category", "value", "qualifier", "measure", "army", "unit", "unit_mention",
                         "period", "quote", "span"}
    start, end = data["span"]
    assert seed[0].text[start:end] == "zes"
