"""`awol units` (the gazetteer as a tree) and `awol units find TEXT [--json]`."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from awol.units.cli import register, units_app
from awol.units.loading import load_gazetteer


@pytest.fixture
def app() -> typer.Typer:
    """A small app holding the units group, as `awol.cli` registers it."""
    app = typer.Typer(add_completion=False)

    @app.callback()
    def main() -> None:
        pass

    register(app)
    return app


def run(app, *args, env=None):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})


def test_units_prints_the_gazetteer_as_a_tree_and_loads_it_when_empty(app, db_url):
    result = run(app, "units", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "loaded 141 from the gazetteer" in result.stderr
    lines = result.stdout.splitlines()
    assert "141" in lines[0]

    def line_of(name):
        [index] = [i for i, line in enumerate(lines) if f"{name} " in line]
        return index, len(lines[index]) - len(lines[index].lstrip("│├└─ "))

    district, army, division, regiment = (line_of(n) for n in (
        "Southern Military District", "8th Guards Combined Arms Army",
        "20th Guards Motor Rifle Division", "255th Guards Motor Rifle Regiment"))
    assert district[0] < army[0] < division[0] < regiment[0]
    assert district[1] < army[1] < division[1] < regiment[1]
    assert "в/ч 58550" in lines[division[0]]


def test_units_reads_the_knowledge_base_without_reloading(app, store):
    load_gazetteer(store)
    result = run(app, "units", "--db", store.url)
    assert result.exit_code == 0, result.output
    assert "loaded" not in result.stderr
    assert "20th Guards Motor Rifle Division ru-20-gmrd" in result.stdout


def test_find_json_gives_id_name_and_score(app, db_url):
    result = run(app, "units", "find", "20e gemotoriseerde gardedivisie", "--json", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "id": "ru-20-gmrd", "name_en": "20th Guards Motor Rifle Division", "score": 1.0}


@pytest.mark.parametrize("text", ["the 20th century", "в/ч 12345", "Ukraine's 47th Mechanized Brigade"])
def test_find_json_prints_null_when_nothing_fits(app, sqlite_url, text):
    result = run(app, "units", "find", text, "--json", "--db", sqlite_url)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) is None


def test_find_explains_the_match(app, sqlite_url):
    result = run(app, "units", "find", "в 20-й гвардейской мотострелковой дивизии", "--lang", "ru",
                 "--db", sqlite_url)
    assert result.exit_code == 0, result.output
    assert "20th Guards Motor Rifle Division (ru-20-gmrd)" in result.stdout
    assert "via number+echelon+type+guards" in result.stdout


def test_find_takes_the_db_from_the_environment_and_the_group(app, sqlite_url):
    by_env = run(app, "units", "find", "в/ч 58550", "--json", env={"AWOL_DB": sqlite_url})
    by_group = run(app, "units", "--db", sqlite_url, "find", "в/ч 58550", "--json")
    for result in (by_env, by_group):
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["id"] == "ru-20-gmrd"


def test_find_rejects_an_unknown_language(app, sqlite_url):
    from awol.errors import AwolError

    result = run(app, "units", "find", "20th Guards", "--lang", "xx", "--db", sqlite_url)
    assert result.exit_code != 0
    assert isinstance(result.exception, AwolError)
    assert "unknown language 'xx'" in str(result.exception)


def test_units_app_stays_importable_for_other_commands():
    assert any(c.name == "find" for c in units_app.registered_commands)


def test_the_main_app_carries_the_units_group(sqlite_url):
    cli = pytest.importorskip("awol.cli")
    result = run(cli.app, "units", "find", "20-й гв. мсд", "--json", "--db", sqlite_url)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "ru-20-gmrd"
    failed = run(cli.app, "units", "find", "x", "--lang", "xx", "--db", sqlite_url)
    assert failed.exit_code == 1
    assert "unknown language 'xx'" in failed.output
    assert "Traceback" not in failed.output
