"""Cross-referencing two lists with Splink: known links are found, on DuckDB and on Spark."""

from __future__ import annotations

import csv
import random

import pytest

from awol.screen.xref import Record, load_records, write_matches, xref

SURNAMES = [
    "Стерлядников", "Иванов", "Кузнецов", "Смирнов", "Попов", "Васильев", "Петров",
    "Соколов", "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев",
    "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев",
    "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев",
    "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев",
    "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов",
    "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов",
    "Шевченко", "Бондаренко", "Коваленко", "Ткаченко", "Кравченко", "Мельник",
]
GIVEN = [
    "Андрей", "Сергей", "Дмитрий", "Алексей", "Максим", "Евгений", "Иван", "Михаил",
    "Артём", "Николай", "Владимир", "Юрий", "Олег", "Павел", "Роман", "Виктор", "Игорь",
    "Денис", "Антон", "Илья",
]
# Two romanisations used to spell the linked people differently (test data only).
BGN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
               ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
                "yu", "ya"]))
DE = dict(BGN, **{"ж": "sch", "й": "j", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch",
                  "щ": "schtsch", "ю": "ju", "я": "ja", "в": "w", "з": "s", "е": "e"})


def romanise(text: str, table: dict) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in table:
            rep = table[low]
            out.append(rep.capitalize() if ch.isupper() else rep)
        else:
            out.append(ch)
    return "".join(out)


def make_lists(seed: int = 7, linked: int = 30, only_left: int = 20, only_right: int = 30):
    """Two lists with ``linked`` people on both, spelled differently; returns the links too."""
    rnd = random.Random(seed)
    people = set()
    while len(people) < linked + only_left + only_right:
        people.add((rnd.choice(SURNAMES), rnd.choice(GIVEN),
                    f"{rnd.randint(1960, 2004)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"))
    people = sorted(people)
    rnd.shuffle(people)
    left, right, links = [], [], set()
    for n, (surname, given, dob) in enumerate(people):
        if n < linked + only_left:
            left.append(Record(f"L{n}", f"{surname} {given}", [], [dob]))
        if n < linked or n >= linked + only_left:
            style = n % 3
            if style == 0:
                name = f"{romanise(given, BGN)} {romanise(surname, BGN)}"
            elif style == 1:
                name = f"{romanise(surname, DE).upper()}, {romanise(given, DE)}"
            else:
                name = f"{surname} {given}"
            right.append(Record(f"R{n}", name, [], [dob]))
        if n < linked:
            links.add((f"L{n}", f"R{n}"))
    # Namesakes: same name as a linked person, another birth date; they must not link.
    for n in range(5):
        surname, given, _dob = people[n]
        right.append(Record(f"N{n}", f"{surname} {given}", [], ["1955-01-01"]))
    return left, right, links


def precision_recall(pairs, links) -> tuple[float, float]:
    found = {(p.left_id, p.right_id) for p in pairs}
    true = found & links
    precision = len(true) / len(found) if found else 0.0
    return precision, len(true) / len(links)


def test_duckdb_links_known_pairs(tmp_path):
    left, right, links = make_lists()
    result = xref(left, right, engine="duckdb", threshold=0.5)
    precision, recall = precision_recall(result.pairs, links)
    assert recall >= 0.9, (precision, recall)
    assert precision >= 0.9, (precision, recall)
    assert all(p.explanation for p in result.pairs)
    # Namesakes with another birth date are not linked.
    assert not any(p.right_id.startswith("N") for p in result.pairs)
    out = tmp_path / "matches.csv"
    write_matches(result, out)
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert len(rows) == len(result.pairs)
    assert {"left_id", "right_id", "match_probability", "awol_score", "explanation"} <= set(rows[0])


def test_empty_lists_give_no_pairs():
    left, right, _ = make_lists()
    assert xref([], right).pairs == [] and xref(left, []).pairs == []


def test_records_without_usable_names_do_not_crash():
    left, right, links = make_lists(linked=5, only_left=2, only_right=2)
    left.append(Record("odd-1", "?? !!", [], []))
    left.append(Record("odd-2", "A. B.", [], ["1990"]))
    right.append(Record("odd-3", "Ж" * 10000, [], []))
    result = xref(left, right, engine="duckdb")
    assert all(p.left_id.startswith("L") for p in result.pairs)


def test_xref_reads_files_and_stored_lists(store, tmp_path):
    from awol.screen.watchlists import import_watchlist

    left, right, links = make_lists(linked=10, only_left=5, only_right=5)
    for path, records in ((tmp_path / "a.csv", left), (tmp_path / "b.csv", right)):
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "name", "birth_date"])
            for r in records:
                w.writerow([r.source_id, r.name, ";".join(r.birth_dates)])
    import_watchlist(store, tmp_path / "b.csv", "watch")
    from_file = load_records(store, str(tmp_path / "a.csv"))
    from_store = load_records(store, "watch")
    assert [r.source_id for r in from_file] == [r.source_id for r in left]
    assert [r.name for r in from_store] == [r.name for r in right]
    precision, recall = precision_recall(xref(from_file, from_store).pairs, links)
    assert recall >= 0.9 and precision >= 0.9


def test_cli_xref(sqlite_url, tmp_path):
    from typer.testing import CliRunner

    from awol.cli import app

    left, right, links = make_lists(linked=10, only_left=5, only_right=5)
    paths = []
    for name, records in (("deserters.csv", left), ("watch.csv", right)):
        path = tmp_path / name
        with open(path, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id", "name", "birth_date"])
            for r in records:
                w.writerow([r.source_id, r.name, ";".join(r.birth_dates)])
        paths.append(str(path))
    out = tmp_path / "matches.csv"
    result = CliRunner().invoke(app, ["xref", *paths, "--out", str(out), "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    found = {(r["left_id"], r["right_id"]) for r in rows}
    assert len(found & links) >= 9


@pytest.mark.spark
def test_spark_local_mode_links_the_same_pairs():
    pytest.importorskip("pyspark")
    left, right, links = make_lists()
    spark_result = xref(left, right, engine="spark", threshold=0.5)
    precision, recall = precision_recall(spark_result.pairs, links)
    assert recall >= 0.9 and precision >= 0.9, (precision, recall)
    duck = {(p.left_id, p.right_id) for p in xref(left, right, engine="duckdb").pairs}
    assert {(p.left_id, p.right_id) for p in spark_result.pairs} == duck
