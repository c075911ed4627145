"""The `awol` command as a user meets it: help, init, errors as one line."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from awol.cli import app
from awol.settings import database_url, default_db_path
from conftest import SEED_DIR

runner = CliRunner()


def test_help_lists_the_main_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "ingest", "export", "units"):
        assert command in result.output


def test_every_subcommand_has_help():
    for command in (["init"], ["ingest"], ["export"], ["units"], ["units", "find"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "--db" in result.output or command == ["units", "find"]


def test_init_creates_the_database_and_loads_the_gazetteer(db_url):
    result = runner.invoke(app, ["init", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "units in the gazetteer" in result.output
    assert "141 units" in result.output
    again = runner.invoke(app, ["init", "--db", db_url])
    assert again.exit_code == 0 and "141 units" in again.output


def test_awol_db_environment_variable_names_the_database(tmp_path, monkeypatch):
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("AWOL_DB", str(path))
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert path.exists()


def test_default_database_lives_in_the_user_data_folder(monkeypatch):
    monkeypatch.delenv("AWOL_DB", raising=False)
    assert database_url(None) == f"sqlite:///{default_db_path()}"
    assert "awol" in str(default_db_path())


def test_postgres_urls_use_the_psycopg_driver():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_ingest_without_paths_is_a_one_line_error(tmp_path):
    result = runner.invoke(app, ["ingest", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1
    assert "name files or folders to ingest" in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_database_is_a_one_line_error_from_the_real_command():
    proc = subprocess.run(
        [sys.executable, "-m", "awol", "init", "--db", "postgresql://nobody@127.0.0.1:1/none"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1
    assert "cannot open the knowledge base" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_ingest_reports_a_failed_file_and_exits_non_zero_but_stores_the_rest(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "seed.txt").write_bytes((SEED_DIR / "deserters-2024-12.nl.txt").read_bytes())
    (batch / "broken.txt").write_bytes(b"abc \xfa\xfb not text")
    result = runner.invoke(app, ["ingest", str(batch), "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 1
    assert "broken.txt" in result.output and "not valid UTF-8" in result.output
    assert "1 stored, 0 unchanged, 1 failed" in result.output
