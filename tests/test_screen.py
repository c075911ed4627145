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


def test_a_namesake_born_on_the_query_date_is_pre_ranked_first():
    """Namesakes fill a common surname's block; the one born on the query's date (or with day
    and month swapped) is pre-ranked ahead of those born on other dates."""
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
    query = Query("Ivanov Sergei Olegovich", "1984-07-03")
    keys = blocking_keys(query.name)
    folded = index_module.fold_name(query.name)
    picked = index.candidates(keys, folded=folded, dob=query.dob, name=query.name).tolist()
    ids = [int(index.entry_db_id[index.name_entry[n]]) for n in picked]
    assert ids[:2] == [99999, 88888]
    # Namesakes born on other dates are no match and not worth scoring beyond the cap.
    assert len(picked) == MAX_CANDIDATES
    found = rank(index, query)
    assert int(index.entry_db_id[found[0].entry_no]) == 99999


def test_every_namesake_that_may_be_the_person_is_scored_beyond_the_cap():
    """A query without a birth date whose surname is shared by many people with the same
    given name: every one of them may be the person, so all are scored, not just the cap."""
    from awol.names import MATCH_THRESHOLD, blocking_keys
    from awol.screen.index import MAX_CANDIDATES, ScreeningIndex, fold_name
    from awol.screen.screening import Query, rank

    records = [(n, 1, f"Белов Андрей {['Петрович', 'Иванович', 'Олегович'][n % 3]}", [], [])
               for n in range(2 * MAX_CANDIDATES)]
    records += [(1000 + n, 1, f"Белов {['Олег', 'Игорь', 'Павел'][n % 3]} Андреевич", [], [])
                for n in range(2 * MAX_CANDIDATES)]
    index = ScreeningIndex().build(records)
    query = Query("Belov Andrei")
    picked = index.candidates(blocking_keys(query.name), folded=fold_name(query.name), name=query.name)
    ids = {int(index.entry_db_id[index.name_entry[n]]) for n in picked.tolist()}
    assert set(range(2 * MAX_CANDIDATES)) <= ids
    assert not ids & set(range(1000, 1000 + 2 * MAX_CANDIDATES))  # other given names: ruled out
    found = rank(index, query, limit=10**6, min_score=MATCH_THRESHOLD)
    assert len([c for c in found if c.match]) == 2 * MAX_CANDIDATES


def test_the_pre_rank_reads_birth_dates_as_the_matcher_does():
    import random

    import numpy as np

    from awol.names.dates import compare_dates, parse_date
    from awol.screen.index import (DOB_ABSENT, DOB_CONFLICT, DOB_EXACT, DOB_PARTIAL, DOB_SWAPPED,
                                   _date_parts, dob_outcomes)

    names = {"absent": DOB_ABSENT, "exact": DOB_EXACT, "swapped": DOB_SWAPPED,
             "partial": DOB_PARTIAL, "conflict": DOB_CONFLICT}
    rnd = random.Random(5)

    def date() -> str | None:
        kind = rnd.random()
        if kind < 0.1:
            return None
        year = f"{rnd.choice([1980, 1981])}"
        if kind < 0.25:
            return year
        month = rnd.choice([3, 7, 12])
        if kind < 0.4:
            return f"{year}-{month:02d}"
        return f"{year}-{month:02d}-{rnd.choice([3, 7, 12, 20]):02d}"

    for _ in range(300):
        query = date() or "1980"
        others = [date() for _ in range(20)]
        parts = np.array([_date_parts(d) if d else (0, 0, 0) for d in others])
        got = dob_outcomes(_date_parts(query), parts[:, 0], parts[:, 1], parts[:, 2])
        want = [names[compare_dates(parse_date(query), parse_date(d))[0]] for d in others]
        assert got.tolist() == want, (query, others)


def test_namesakes_with_the_query_given_name_are_pre_ranked_first():
    """Without a birth date, a common surname's block is ranked by given-name agreement
    (any form of the given name) before the cap."""
    from awol.names import blocking_keys
    from awol.screen.index import MAX_CANDIDATES, ScreeningIndex, fold_name

    others = ["Андрей", "Алексей", "Анатолий", "Антон", "Аркадий"]
    records = [(n, 1, f"Шевченко {others[n % 5]}", [], [])
               for n in range(3 * MAX_CANDIDATES)]
    records.append((99999, 1, "Шевченко Олександр", [], []))  # Ukrainian form, no patronymic
    index = ScreeningIndex().build(records)
    query = "Shevchenko Aleksandr Petrovich"
    picked = index.candidates(blocking_keys(query), folded=fold_name(query), name=query).tolist()
    assert 99999 in {int(index.entry_db_id[index.name_entry[n]]) for n in picked}


def test_the_top_results_are_those_of_scoring_every_candidate():
    """Screening stops scoring once the pre-rank says no candidate left can enter the top
    results; the top results must be those of scoring the whole block."""
    import random

    from awol.names import NameMatcher, blocking_keys
    from awol.screen.index import ScreeningIndex
    from awol.screen.screening import Query, _best_dob, rank

    rnd = random.Random(11)
    surnames = ["Иванов", "Петров", "Kuznetsov", "Sidorenko", "Wolkow", "Smirnov"]
    given = ["Андрей", "Alexei", "Сергей", "Dmitrij", "Oleg", "Ivan", "Jurij", "Mikhail"]
    fathers = ["Петрович", "Ivanovich", "Sergeevich", "", "", "Olegowitsch"]
    records = []
    for n in range(3000):
        name = f"{rnd.choice(surnames)} {rnd.choice(given)} {rnd.choice(fathers)}".strip()
        dob = [f"{rnd.randint(1970, 1975)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"] \
            if rnd.random() < 0.7 else []
        records.append((n, 1, name, [], dob))
    index = ScreeningIndex().build(records)
    for _ in range(25):
        query = Query(f"{rnd.choice(surnames)} {rnd.choice(given)}",
                      f"{rnd.randint(1970, 1975)}-03-14" if rnd.random() < 0.5 else None)
        top = rank(index, query, limit=10, min_score=0.0)
        # Every name of the block, scored.
        matcher = NameMatcher(query.name, query.dob)
        block = index.candidates(blocking_keys(query.name), limit=10**9)
        best: dict[int, float] = {}
        for n in block.tolist():
            entry = int(index.name_entry[n])
            score = matcher.probability(index.names[n], _best_dob(query.dob, index.entry_dobs[entry]))
            best[entry] = max(best.get(entry, 0.0), score)
        every = sorted(best.values(), reverse=True)[:10]
        assert [round(c.score, 9) for c in top] == [round(s, 9) for s in every]
