"""`awol extract` and `awol eval extraction` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "examples" / "reports" / "deserters-2024-12.nl.txt"
runner = CliRunner()


@pytest.fixture(scope="module")
def app():
    from awol.cli import app

    return app


def test_extract_json_prints_one_object_per_document(app, tmp_path):
    other = tmp_path / "report.en.txt"
    other.write_text("date: 2024-11-19\n\nAccording to iStories, 1,010 servicemen deserted the "
                     "20th Guards Motor Rifle Division.\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(SEED), str(other), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 2
    seed = lines[0]
    assert seed["document"] == {"path": str(SEED), "language": "nl", "published": "2024-12"}
    assert {(f["category"], f["value"]) for f in seed["figures"]} >= {("asylum_granted", 6), ("deserted", 151)}
    assert seed["units"][0]["name_en"] == "20th Guards Motor Rifle Division"
    assert {"name": "Alexander Sterliadnikov", "role": "deserter"} in seed["persons"]
    assert "Deutsche Welle" in seed["sources_cited"]
    assert lines[1]["figures"][0]["value"] == 1010


def test_extract_without_json_shows_a_table(app):
    result = runner.invoke(app, ["extract", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "asylum_granted" in result.output and "Sterliadnikov" in result.output


def test_unreadable_files_are_reported_and_the_rest_is_shown(app, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    odd = tmp_path / "table.xlsx"
    odd.write_bytes(b"PK")
    result = runner.invoke(app, ["extract", str(empty), str(odd), str(SEED), "--json"])
    assert result.exit_code == 1
    assert "empty file" in result.stderr and "unsupported format" in result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["document"]["language"] == "nl"


def test_eval_extraction_prints_scores_per_language(app, tmp_path):
    text = SEED.read_text(encoding="utf-8")
    gold = {
        "url": "https://example.org/seed", "title": "seed", "language": "nl", "published": "2024-12",
        "text": text,
        "gold": {
            "units": [{"mention": "20e gemotoriseerde gardedivisie", "canonical_en": "20th Guards Motor Rifle Division"}],
            "figures": [
                {"category": "asylum_granted", "value": 6, "approx": False, "qualifier": "exact",
                 "unit_canonical_en": None, "period": "2024-10", "quote": "…"},
                {"category": "deserted", "value": 151, "approx": False, "qualifier": "exact",
                 "unit_canonical_en": "20th Guards Motor Rifle Division", "period": "2022", "quote": "…"},
            ],
            "persons": [{"name_as_written": "Sterliadnikov", "role": "deserter"}],
            "sources_cited": ["Deutsche Welle"],
        },
    }
    (tmp_path / "nl-01-seed.json").write_text(json.dumps(gold), encoding="utf-8")
    result = runner.invoke(app, ["eval", "extraction", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["nl"]["figures"]["recall"] == 1.0
    assert scores["nl"]["figures"]["fp"] == 3  # 1000, 15 and 91 are not in this small gold file
    assert scores["nl"]["units"]["f1"] == 1.0
    assert scores["all"]["persons"]["tp"] == 1
    table = runner.invoke(app, ["eval", "extraction", str(tmp_path)])
    assert table.exit_code == 0 and "figures" in table.output and "persons" in table.output


def test_eval_extraction_on_a_missing_folder_is_one_clear_line(app, tmp_path):
    result = runner.invoke(app, ["eval", "extraction", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such folder" in result.output + result.stderr + str(result.exception)
    assert "Traceback" not in result.output
