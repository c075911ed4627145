"""Watchlists: FollowTheMoney JSON lines and CSV import, atomic replacement, `watchlist ls`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from awol.errors import AwolError
from awol.screen import watchlists
from awol.screen.watchlists import import_watchlist, list_watchlists
from awol.store.schema import WatchlistEntryRow, WatchlistRow


def ftm_person(entity_id: str, name: str, **props) -> dict:
    properties = {"name": [name]}
    for key, value in props.items():
        properties[key] = value if isinstance(value, list) else [value]
    return {"id": entity_id, "schema": "Person", "properties": properties,
            "caption": name, "datasets": ["test"]}


PEOPLE = [
    ftm_person("ru-1", "Стерлядников Андрей Викторович",
               alias=["Sterlyadnikov Andrey", "Andrei Sterliadnikov"],
               birthDate="1987-03-14", nationality="ru",
               position="Commander, 20th Guards Motor Rifle Division",
               topics=["sanction", "mil"]),
    ftm_person("ru-2", "Иванов Сергей Петрович", birthDate="1975", nationality="ru"),
    ftm_person("ua-3", "Шевченко Олена", birthDate=["1990-05-01", "1990"], nationality="ua"),
]


def write_jsonl(path: Path, lines: list) -> Path:
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
        + "\n",
        encoding="utf-8",
    )
    return path


def entries(store, list_name: str) -> list[WatchlistEntryRow]:
    with store.session() as session:
        return session.scalars(
            select(WatchlistEntryRow).join(WatchlistRow)
            .where(WatchlistRow.name == list_name).order_by(WatchlistEntryRow.id)
        ).all()


def test_ftm_jsonl_import_keeps_persons_and_their_properties(store, tmp_path):
    company = {"id": "co-1", "schema": "Company", "properties": {"name": ["ООО Ромашка"]}}
    path = write_jsonl(tmp_path / "os.jsonl", [*PEOPLE, company])
    report = import_watchlist(store, path, "opensanctions")
    assert report.imported == 3 and report.version == 1 and not report.rejected
    assert report.other_schemata == 1
    rows = entries(store, "opensanctions")
    first = rows[0]
    assert first.entity_id == "ru-1" and first.schema == "Person"
    assert first.name == "Стерлядников Андрей Викторович"
    assert json.loads(first.aliases) == ["Sterlyadnikov Andrey", "Andrei Sterliadnikov"]
    assert json.loads(first.birth_dates) == ["1987-03-14"]
    assert json.loads(first.topics) == ["sanction", "mil"]
    assert json.loads(first.position) == ["Commander, 20th Guards Motor Rifle Division"]
    assert json.loads(first.raw)["id"] == "ru-1"
    assert json.loads(rows[2].birth_dates) == ["1990-05-01", "1990"]


def test_bad_jsonl_lines_are_reported_by_number_and_skipped(store, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [
        PEOPLE[0],
        "{not json",                                             # line 2
        {"id": "x", "schema": "Person", "properties": {}},       # line 3: no name
        ftm_person("y", "Петров Пётр", birthDate="1990-02-30"),  # line 4: no such day
        "[1, 2]",                                                # line 5: not an object
        "",                                                      # empty: ignored
        PEOPLE[1],
        ftm_person("z", "Z" * 20000),                            # line 8: absurd name
    ])
    report = import_watchlist(store, path, "mixed")
    assert report.imported == 2
    assert [line for line, _ in report.rejected] == [2, 3, 4, 5, 8]
    reasons = dict(report.rejected)
    assert "JSON" in reasons[2] and "no name" in reasons[3] and "day" in reasons[4]
    # Reasons never quote the line (it may hold a name).
    assert not any("Петров" in r or "ZZZ" in r for r in reasons.values())


def test_csv_import_with_the_documented_header(store, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(
        "id,name,aliases,birth_date,nationality,position,topics\n"
        "a1,Стерлядников Андрей,Sterlyadnikov Andrey;Sterljadnikow Andrej,14.03.1987,ru,"
        "commander,sanction;mil\n"
        "a2,,,,,,\n"                                  # line 3: empty name
        "a3,Иванов Сергей,,1975-13-01,ru,,\n"          # line 4: month 13
        ',"Коваль Олег",,1980,ua,,\n',
        encoding="utf-8",
    )
    report = import_watchlist(store, path, "local")
    assert report.imported == 2
    assert [line for line, _ in report.rejected] == [3, 4]
    rows = entries(store, "local")
    assert json.loads(rows[0].aliases) == ["Sterlyadnikov Andrey", "Sterljadnikow Andrej"]
    assert json.loads(rows[0].birth_dates) == ["1987-03-14"]
    assert rows[1].entity_id == "row-4" and json.loads(rows[1].birth_dates) == ["1980"]


def test_csv_with_an_unknown_header_is_a_clear_error(store, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("fullname,dob\nИванов,1970\n", encoding="utf-8")
    with pytest.raises(AwolError, match="name"):
        import_watchlist(store, path, "local")


def test_reimport_of_a_newer_version_replaces_the_list(store, tmp_path):
    import_watchlist(store, write_jsonl(tmp_path / "v1.jsonl", PEOPLE), "os")
    again = import_watchlist(store, tmp_path / "v1.jsonl", "os")
    assert again.unchanged and again.version == 1
    newer = write_jsonl(tmp_path / "v2.jsonl", [PEOPLE[0], ftm_person("ru-9", "Кузнецов Илья")])
    report = import_watchlist(store, newer, "os")
    assert report.version == 2 and report.imported == 2 and report.replaced == 3
    assert [e.entity_id for e in entries(store, "os")] == ["ru-1", "ru-9"]
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(WatchlistRow)) == 1
        assert session.scalar(select(func.count()).select_from(WatchlistEntryRow)) == 2


def test_a_failed_reimport_leaves_the_old_version_whole(store, tmp_path, monkeypatch):
    import_watchlist(store, write_jsonl(tmp_path / "v1.jsonl", PEOPLE), "os")
    real = watchlists.read_list_file

    def breaks_halfway(path):
        sha, items = real(path)

        def gen():
            yield next(items)
            raise RuntimeError("disk full")

        return sha, gen()

    monkeypatch.setattr(watchlists, "read_list_file", breaks_halfway)
    newer = write_jsonl(tmp_path / "v2.jsonl", [ftm_person("n1", "Кузнецов Илья"), *PEOPLE])
    with pytest.raises(RuntimeError):
        import_watchlist(store, newer, "os")
    [info] = list_watchlists(store)
    assert info.version == 1 and info.entries == 3
    assert [e.entity_id for e in entries(store, "os")] == ["ru-1", "ru-2", "ua-3"]


def test_list_names_and_formats_are_checked(store, tmp_path):
    path = write_jsonl(tmp_path / "os.jsonl", PEOPLE)
    with pytest.raises(AwolError, match="list names"):
        import_watchlist(store, path, "no spaces/slashes")
    other = tmp_path / "list.xlsx"
    other.write_bytes(b"PK")
    with pytest.raises(AwolError, match="unknown list format"):
        import_watchlist(store, other, "x")


def test_cli_import_and_ls(tmp_path):
    from typer.testing import CliRunner

    from awol.cli import app

    db = str(tmp_path / "awol.db")
    path = write_jsonl(tmp_path / "os.jsonl", [*PEOPLE, "{broken"])
    runner = CliRunner()
    result = runner.invoke(app, ["watchlist", "import", str(path), "--list", "os", "--db", db])
    assert result.exit_code == 0, result.output
    assert "version 1, 3 entries imported" in result.output
    assert "os.jsonl:4" in result.output  # the bad line, by number
    result = runner.invoke(app, ["watchlist", "ls", "--db", db])
    assert result.exit_code == 0 and "os" in result.output and "3" in result.output
    result = runner.invoke(app, ["watchlist", "ls", "--json", "--db", db])
    [info] = json.loads(result.output)
    assert info["name"] == "os" and info["entries"] == 3 and info["version"] == 1
    assert info["imported_at"]
