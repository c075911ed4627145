"""Screening: a name in any script or transliteration finds the list entry, explained."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from awol.screen.screening import QueryError, check_query, screen
from awol.screen.watchlists import import_watchlist

WATCHLIST = [
    # id, name, aliases, birth_date
    ("ru-1", "Стерлядников Андрей Викторович", "", "1987-03-14"),
    ("ru-1b", "Стерлядников Андрей Викторович", "", "1961-11-02"),  # a namesake
    ("ru-2", "Иванов Сергей Петрович", "Ivanov Sergei", "1975"),
    ("ru-3", "Стрельников Антон", "", "1990-01-01"),
    ("ru-4", "Стерликов Андрей", "", "1985-06-06"),
    ("ua-5", "Шевченко Олена Іванівна", "Shevchenko Olena", "1990-05-01"),
    ("ru-6", "Кузнецов Илья Андреевич", "", ""),
    ("ru-7", "Смирнова Мария", "", "1999-09-09"),
    ("ru-8", "Sterling Andrew", "", "1987-03-14"),
]


@pytest.fixture
def list_csv(tmp_path) -> Path:
    path = tmp_path / "list.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "aliases", "birth_date", "nationality", "position", "topics"])
        for eid, name, aliases, dob in WATCHLIST:
            w.writerow([eid, name, aliases, dob, "ru", "", "sanction"])
    return path


@pytest.fixture
def screened_store(store, list_csv):
    import_watchlist(store, list_csv, "test")
    return store


@pytest.mark.parametrize("query", [
    "Стерлядников Андрей",        # Cyrillic
    "Sterliadnikov Andrei",       # BGN/PCGN-ish, as in the press
    "Sterlyadnikov Andrey",       # passport-style
    "Sterljadnikow Andrej",       # German (Duden)
    "Sterlâdnikov Andrej",        # ISO 9
    "STERLIADNIKOV, Andrei",      # list style: surname first, in capitals
])
def test_finds_sterliadnikov_in_any_spelling(screened_store, query):
    result = screen(screened_store, query)
    assert result.candidates, query
    top = result.candidates[0]
    assert top.entry["entity_id"] in {"ru-1", "ru-1b"}
    assert top.match and top.explanation
    assert top.entry["list"] == "test" and top.entry["name"].startswith("Стерлядников")
    ranked = [c.score for c in result.candidates]
    assert ranked == sorted(ranked, reverse=True)


def test_birth_date_is_evidence_and_ranks_the_right_namesake_first(screened_store):
    result = screen(screened_store, "Sterliadnikov Andrei", dob="1987-03-14")
    assert result.candidates[0].entry["entity_id"] == "ru-1"
    by_id = {c.entry["entity_id"]: c for c in result.candidates}
    if "ru-1b" in by_id:
        assert by_id["ru-1"].score > by_id["ru-1b"].score
    # A birth date in another accepted form is the same date.
    again = screen(screened_store, "Sterliadnikov Andrei", dob="14.03.1987")
    assert again.query.dob == "1987-03-14"
    assert again.candidates[0].entry["entity_id"] == "ru-1"


def test_screening_one_list_only(screened_store, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("id,name\nx-1,Стерлядников Андрей\n", encoding="utf-8")
    import_watchlist(screened_store, other, "other")
    only = screen(screened_store, "Sterliadnikov Andrei", lists=["other"])
    assert {c.entry["list"] for c in only.candidates} == {"other"}
    both = screen(screened_store, "Sterliadnikov Andrei")
    assert {c.entry["list"] for c in both.candidates} == {"test", "other"}
    from awol.errors import AwolError

    with pytest.raises(AwolError, match="no watchlist named"):
        screen(screened_store, "Sterliadnikov Andrei", lists=["nope"])


@pytest.mark.parametrize("name, dob, message", [
    ("", None, "empty"),
    ("   \t ", None, "empty"),
    ("A. B.", None, "initials"),
    ("А. В. С.", None, "initials"),
    ("12345 !!", None, "no letters"),
    ("Иванов " * 1500, None, "too long"),
    ("Иванов Сергей", "1975-02-30", "not a valid date"),
    ("Иванов Сергей", "yesterday", "not a valid date"),
    ("Иванов Сергей", "3024", "not a valid date"),
])
def test_bad_input_is_a_clear_error_that_does_not_quote_the_name(name, dob, message):
    with pytest.raises(QueryError, match=message) as caught:
        check_query(name, dob)
    assert "Иванов" not in str(caught.value)


def test_latin_cyrillic_lookalikes_get_a_sane_answer(screened_store):
    # "Сергей Иванов" typed with Latin C, e, a, o among the Cyrillic letters.
    mixed = "C\u0435рг\u0435й Ив\u0061нов"
    result = screen(screened_store, mixed)
    assert isinstance(result.candidates, list)
    if result.candidates:
        assert result.candidates[0].entry["entity_id"] == "ru-2"


def test_long_names_within_the_limit_do_not_crash(screened_store):
    result = screen(screened_store, "Стерлядников " + "Андрей " * 40)
    assert isinstance(result.candidates, list)


def test_screening_logs_no_names(screened_store, caplog):
    caplog.set_level(logging.DEBUG)
    screen(screened_store, "Sterliadnikov Andrei", dob="1987-03-14")
    assert "Sterliadnikov" not in caplog.text and "Стерлядников" not in caplog.text


def test_cli_screen_json(sqlite_url, list_csv):
    from awol.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["watchlist", "import", str(list_csv), "--list", "test",
                               "--db", sqlite_url]).exit_code == 0
    result = runner.invoke(app, ["screen", "Sterljadnikow Andrej", "--dob", "1987-03-14",
                                 "--json", "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    top = data["candidates"][0]
    assert top["entry"]["entity_id"] == "ru-1" and top["match"] is True
    assert top["explanation"] and 0 <= top["score"] <= 1
    assert data["query"]["dob"] == "1987-03-14" and data["lists"] == ["test"]
    plain = runner.invoke(app, ["screen", "Sterljadnikow Andrej", "--db", sqlite_url])
    assert plain.exit_code == 0 and "Стерлядников" in plain.output


def test_cli_bad_input_exits_1_with_one_clear_line(sqlite_url, list_csv):
    from awol.cli import app

    runner = CliRunner()
    runner.invoke(app, ["watchlist", "import", str(list_csv), "--list", "test", "--db", sqlite_url])
    for args, message in [
        (["screen", ""], "empty"),
        (["screen", "A. B."], "initials"),
        (["screen", "Ж" * 10000], "too long"),
        (["screen", "Иванов Сергей", "--dob", "1990-13-45"], "not a valid date"),
    ]:
        result = runner.invoke(app, [*args, "--db", sqlite_url])
        assert result.exit_code == 1, result.output
        shown = _shown(result)
        assert message in shown and "Traceback" not in result.output
        assert "Иванов" not in shown and "ЖЖЖ" not in shown


def _shown(result) -> str:
    """What the user sees of an error: the output, or the one-line error being raised."""
    text = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text += str(result.exception)
    return text


def test_cli_bulk_screening_writes_a_results_csv(sqlite_url, list_csv, tmp_path):
    from awol.cli import app

    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,birth_date\n"
        "p1,Sterliadnikov Andrei,1987-03-14\n"
        "p2,,\n"
        "p3,Shevchenko Olena,\n"
        "p4,Nobody Atall-Unknown,\n"
        "p5,Иванов Сергей,1975-02-30\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    runner = CliRunner()
    runner.invoke(app, ["watchlist", "import", str(list_csv), "--list", "test", "--db", sqlite_url])
    result = runner.invoke(app, ["screen", "--bulk", str(people), "--out", str(out),
                                 "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    assert "5 screened" in result.output and "2 not screened" in result.output
    assert "people.csv:3" in result.output and "people.csv:6" in result.output
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    first = [r for r in rows if r["query_id"] == "p1"]
    assert first[0]["rank"] == "1" and first[0]["entity_id"] == "ru-1"
    assert first[0]["match"] == "yes" and first[0]["explanation"]
    assert [r["error"] for r in rows if r["query_id"] == "p2"] == ["the name is empty"]
    assert any(r["entity_id"] == "ua-5" for r in rows if r["query_id"] == "p3")
    assert {r["query_id"] for r in rows} == {"p1", "p2", "p3", "p4", "p5"}


def test_bulk_progress_is_reported(screened_store, tmp_path):
    from awol.screen.screening import bulk_screen

    people = tmp_path / "people.csv"
    people.write_text("name\nSterliadnikov Andrei\nIvanov Sergei\nSmirnova Maria\n",
                      encoding="utf-8")
    seen = []
    report = bulk_screen(screened_store, people, tmp_path / "out.csv",
                         progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)] and report.queries == 3


def test_a_big_block_of_namesakes_still_yields_the_right_person():
    """A common surname's block exceeds what is scored; pre-ranking keeps the right entry."""
    from awol.screen.index import MAX_CANDIDATES, ScreeningIndex
    from awol.screen.screening import Query, rank

    given = ["Сергей", "Степан", "Станислав", "Святослав", "Семён"]
    records = [
        (n, 1, f"Иванов {given[n % 5]} {'Петрович' if n % 2 else 'Ильич'}", [],
         [f"{1950 + n % 50}-0{1 + n % 9}-1{n % 9}"])
        for n in range(20 * MAX_CANDIDATES)
    ]
    records.append((99999, 1, "Иванов Сергей Олегович", [], ["1984-07-21"]))
    index = ScreeningIndex().build(records)
    found = rank(index, Query("Ivanov Sergei Olegovich", "1984-07-21"))
    assert int(index.entry_db_id[found[0].entry_no]) == 99999 and found[0].match


def test_screening_scores_equal_match_names_and_the_parse_cache_is_bounded():
    from awol.names import match_names
    from awol.screen.index import ScreeningIndex
    from awol.screen.screening import Query, _best_dob, rank

    records = [
        (1, 1, "Стерлядников Андрей Петрович", ["Sterlyadnikov Andrei"], ["1987-03-14"]),
        (2, 1, "Sterljadnikow Andrej", [], ["1990-01-02", "1987"]),
        (3, 1, "Стерлядникова Анна", [], []),
        (4, 1, "Ivanov Sergei", [], ["1984-07-21"]),
    ]
    index = ScreeningIndex().build(records)
    index.parse_cache_size = 2
    query = Query("Sterliadnikov Andrei", "1987-03-14")
    found = rank(index, query, min_score=0.0)
    assert found and len(index._parse_cache) <= 2
    for c in found:
        names = index.names_of(c.entry_no)
        dob = _best_dob(query.dob, index.entry_dobs[c.entry_no])
        best = max((match_names(query.name, n, query.dob, dob) for n in names), key=lambda r: r.score)
        assert c.score == best.score
        assert c.explanation == best.explanation
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)


def test_a_namesake_born_on_the_query_date_beyond_the_cap_is_still_scored(monkeypatch):
    """Namesakes fill the capped block; the one born on the query's date is scored anyway."""
    from awol.names import blocking_keys
    from awol.screen import index as index_module
    from awol.screen.index import MAX_CANDIDATES, ScreeningIndex
    from awol.screen.screening import Query, rank

    records = [
        (n, 1, "Иванов Сергей Олегович", [], [f"1984-{1 + n % 12:02d}-{1 + n % 28:02d}"])
        for n in range(3 * MAX_CANDIDATES)
        if (1 + n % 12, 1 + n % 28) not in {(3, 7), (7, 3)}
    ]
    records.append((99999, 1, "Иванов Сергей", [], ["1984-07-03"]))
    records.append((88888, 1, "Иванов Сергей", [], ["1984-03-07"]))  # day and month swapped
    index = ScreeningIndex().build(records)
    target = [n for n in range(len(index.names)) if index.entry_db_id[index.name_entry[n]] == 99999]
    query = Query("Ivanov Sergei Olegovich", "1984-07-03")
    keys = blocking_keys(query.name)
    folded = index_module.fold_name(query.name)
    # Without its birth date the entry is beyond the cap (its namesakes rank higher) ...
    assert target[0] not in index.candidates(keys, folded=folded, name=query.name).tolist()
    # ... and with the pre-rank bonus for the date switched off, only the extra candidates
    # born on the query's date bring it (and the swapped-date namesake) in.
    monkeypatch.setattr(index_module, "DOB_BONUS", 0.0)
    picked = index.candidates(keys, folded=folded, dob=query.dob, name=query.name).tolist()
    assert target[0] in picked and len(picked) <= MAX_CANDIDATES + index_module.MAX_DOB_EXTRA
    assert 88888 in {int(index.entry_db_id[index.name_entry[n]]) for n in picked}
    found = rank(index, query)
    assert int(index.entry_db_id[found[0].entry_no]) == 99999
    monkeypatch.undo()
    found = rank(index, query)
    assert int(index.entry_db_id[found[0].entry_no]) == 99999


def test_namesakes_with_the_query_given_name_are_pre_ranked_first():
    """Without a birth date, a common surname's block is ranked by given-name agreement
    (any form of the given name) before the cap."""
    from awol.names import blocking_keys
    from awol.screen.index import MAX_CANDIDATES, ScreeningIndex, fold_name

    others = ["Андрей", "Алексей", "Анатолий", "Антон", "Аркадий"]
    records = [(n, 1, f"Шевченко {others[n % 5]} Петрович", [], [])
               for n in range(3 * MAX_CANDIDATES)]
    records.append((99999, 1, "Шевченко Олександр", [], []))  # Ukrainian form, no patronymic
    index = ScreeningIndex().build(records)
    query = "Shevchenko Aleksandr Petrovich"
    picked = index.candidates(blocking_keys(query), folded=fold_name(query), name=query).tolist()
    assert 99999 in {int(index.entry_db_id[index.name_entry[n]]) for n in picked}
