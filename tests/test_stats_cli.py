"""The stats commands as a user runs them: figures, unit, chart, outlets, units top."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from test_series import DIVISION, REGIMENT, add_document, add_figure, add_units

runner = CliRunner()


def _app() -> typer.Typer:
    """`awol.cli.app` when every room is installed; else an app with just this room's commands."""
    try:
        from awol.cli import app

        return app
    except ImportError:
        from awol.stats.cli import register

        app = typer.Typer()
        units = typer.Typer()
        app.add_typer(units, name="units")
        register(app, units_app=units)
        return app


@pytest.fixture
def awol(store):
    app = _app()

    def run(*args):
        return runner.invoke(app, [*args, "--db", store.url], env={"COLUMNS": "250"})

    return run


@pytest.fixture
def kb(store):
    add_units(store)
    a = add_document(store, outlet="Deutsche Welle", cited=["iStories"], title="DW on deserters",
                     published="2024-12-01")
    b = add_document(store, outlet="TASS", title="TASS report", published="2024-11-20")
    add_figure(store, a, "deserted", 1010, period="2024-10",
               quote="According to iStories, the division sought 1,010 servicemen who had left.")
    add_figure(store, b, "deserted", 300, period="2024-10",
               quote="Only 300 servicemen left the division, officials said.")
    add_figure(store, a, "deserted", 151, unit_id=REGIMENT, period="2022-03",
               quote="Of them, 151 deserted.")
    return store


def _failed(result, text):
    """The command failed with a message containing ``text`` (as `awol` prints it, or as the
    AwolError/ClickException the runner caught)."""
    message = result.output + (str(result.exception) if result.exception is not None else "")
    return result.exit_code != 0 and text in message


def test_figures_lists_figures_with_source_grade_and_quote(kb, awol):
    result = awol("figures", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {f["value"] for f in data} == {1010, 300, 151}
    first = next(f for f in data if f["value"] == 1010)
    assert first["sources"] == [{"name": "iStories", "grade": "B", "via": "Deutsche Welle"}]
    assert first["document"]["title"] == "DW on deserters"
    table = awol("figures", "--unit", REGIMENT)
    assert table.exit_code == 0, table.output
    assert "Of them, 151 deserted." in table.output
    assert "1,010" not in table.output


def test_figures_filters_by_category_and_since(kb, awol):
    data = json.loads(awol("figures", "--since", "2024", "--json").output)
    assert sorted(f["value"] for f in data) == [300, 1010]
    assert json.loads(awol("figures", "--category", "killed", "--json").output) == []
    assert _failed(awol("figures", "--category", "fled"), "unknown category")


def test_unit_shows_disagreement_with_both_quotes(kb, awol):
    result = awol("unit", "20th Guards Motor Rifle Division")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "disagree" in flat
    assert "1,010" in flat and "300" in flat
    assert "TASS [D]" in flat and "[B]" in flat
    assert "33rd Motor Rifle Regiment" in flat  # the sub-unit, under its parent
    data = json.loads(awol("unit", DIVISION, "--json").output)
    [series] = data["series"]
    row = next(r for r in series["rows"] if r["disagree"])
    quotes = {rep["quote"] for e in row["events"] for rep in e["reports"]}
    assert quotes == {
        "According to iStories, the division sought 1,010 servicemen who had left.",
        "Only 300 servicemen left the division, officials said.",
    }


def test_unknown_unit_says_so_and_suggests_units_find(kb, awol):
    assert _failed(awol("unit", "99th Imaginary Division"), "awol units find")


def test_chart_writes_png_and_svg(kb, awol, tmp_path):
    for name in ("div.png", "div.svg"):
        result = awol("chart", DIVISION, "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 10_000
    assert _failed(awol("chart", DIVISION, "--out", str(tmp_path / "div.gif")), ".png or .svg")


def test_outlets_ls_and_grade(kb, awol):
    listed = json.loads(awol("outlets", "ls", "--json").output)
    assert next(o for o in listed if o["name"] == "TASS")["reliability"] == "D"
    result = awol("outlets", "grade", "TASS", "E", "--note", "Repeated fabrications")
    assert result.exit_code == 0, result.output
    listed = json.loads(awol("outlets", "ls", "--json").output)
    tass = next(o for o in listed if o["name"] == "TASS")
    assert (tass["reliability"], tass["note"]) == ("E", "Repeated fabrications")
    data = json.loads(awol("figures", "--json").output)
    assert next(f for f in data if f["value"] == 300)["grade"] == "E"


def test_units_top_ranks_with_sub_units_rolled_up(kb, awol):
    result = awol("units", "top", "--json")
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.output)
    totals = {r["unit"]["id"]: r["reported_desertion"] for r in ranked}
    # 2024-10: TASS 300 vs iStories 1,010 disagree → the larger counts once; plus 2022-03: 151.
    assert totals[DIVISION] == 1010 + 151
    assert totals[REGIMENT] == 151
    table = awol("units", "top", "--limit", "2")
    assert table.exit_code == 0, table.output
    assert "20th Guards Motor Rifle" in table.output


def test_text_from_documents_is_shown_as_written(store, awol):
    add_units(store)
    doc = add_document(store, outlet="Meduza", title="[draft] report")
    add_figure(store, doc, "awol", 5, period="2024-01", quote="[bold]Five[/bold] soldiers [sic] left.")
    result = awol("figures")
    assert result.exit_code == 0, result.output
    assert "[bold]Five[/bold] soldiers [sic] left." in result.output
    assert "[draft] report" in result.output
