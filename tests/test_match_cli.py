"""`awol match`: one pair or a file of pairs, JSON out, one-line errors."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from awol.errors import AwolError
from awol.names import cli as names_cli

runner = CliRunner()


def _small_app() -> typer.Typer:
    app = typer.Typer()
    names_cli.register(app)

    @app.command("version")  # a second command, so "match" stays a named subcommand
    def _version() -> None:
        typer.echo("test")

    return app


def _main_app():
    cli = pytest.importorskip("awol.cli")
    return cli.app


def test_match_one_pair_prints_json_with_score_match_and_explanation():
    result = runner.invoke(_small_app(), ["match", "Sterljadnikow", "Стерлядников", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"score", "match", "explanation"}
    assert data["match"] is True
    assert any("German transliteration" in line for line in data["explanation"])


def test_match_takes_birth_dates():
    result = runner.invoke(_small_app(), ["match", "Ivan Petrov", "Иван Петров", "--dob-a", "1980-03-08",
                                          "--dob-b", "1980-08-03", "--json"])
    assert result.exit_code == 0, result.output
    assert any("swapped" in line for line in json.loads(result.stdout)["explanation"])


def test_match_without_json_prints_a_readable_verdict():
    result = runner.invoke(_small_app(), ["match", "Maria Ivanova", "Ivan Ivanov"])
    assert result.exit_code == 0
    assert "not the same person" in result.stdout
    assert "gender" in result.stdout


def test_match_pairs_file_adds_score_and_match_in_order(tmp_path):
    rows = [
        {"a": "Sterljadnikow", "b": "Стерлядников", "a_dob": None, "b_dob": None},
        {"a": "Maria Ivanova", "b": "Ivan Ivanov", "a_dob": None, "b_dob": None},
        {"a": "Ivan Petrov", "b": "Ivan Petrov", "a_dob": "1980-03-08", "b_dob": "1981-01-01"},
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = runner.invoke(_small_app(), ["match", "--pairs", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["a"] for o in out] == [r["a"] for r in rows]
    assert [o["match"] for o in out] == [True, False, False]
    assert all(0.0 <= o["score"] <= 1.0 for o in out)


def test_a_bad_date_in_a_pairs_file_marks_that_line_only(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        json.dumps({"a": "Ivan Petrov", "b": "Ivan Petrov", "a_dob": "1980-13-45", "b_dob": None}) + "\n"
        + json.dumps({"a": "Ivan Pestov", "b": "Иван Пестов", "a_dob": None, "b_dob": None}) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(_small_app(), ["match", "--pairs", str(path), "--json"])
    assert result.exit_code == 0
    first, second = [json.loads(line) for line in result.stdout.splitlines()]
    assert first["match"] is False and "birth date" in first["error"]
    assert second["match"] is True


def test_invalid_date_raises_awol_error_with_one_line():
    result = runner.invoke(_small_app(), ["match", "Ivan Petrov", "Ivan Petrov", "--dob-a", "1990-02-30"])
    assert result.exit_code != 0
    assert isinstance(result.exception, AwolError)
    assert "\n" not in str(result.exception)


def test_invalid_date_through_the_awol_command_is_one_line_and_non_zero():
    result = runner.invoke(_main_app(), ["match", "Ivan Petrov", "Ivan Petrov", "--dob-a", "1990-13-01", "--json"])
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "birth date" in lines[0]
    assert "Traceback" not in result.output


def test_empty_name_and_bad_pairs_file_are_one_line_errors(tmp_path):
    app = _main_app()
    result = runner.invoke(app, ["match", "", "Ivanov"])
    assert result.exit_code != 0 and "empty" in result.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(app, ["match", "--pairs", str(bad)])
    assert result.exit_code != 0 and "not a JSON line" in result.stderr
    result = runner.invoke(app, ["match", "--pairs", str(tmp_path / "missing.jsonl")])
    assert result.exit_code != 0 and "cannot read" in result.stderr


def test_match_through_the_awol_command():
    result = runner.invoke(_main_app(), ["match", "Sasha Pestov", "Aleksandr Pestov", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["match"] is True
