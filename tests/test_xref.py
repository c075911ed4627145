"""Cross-referencing two lists with Splink: known links are found, on DuckDB and on Spark."""

from __future__ import annotations

import csv
import json
import os
import random
import stat

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


def test_rescoring_skips_unreadable_names_and_dates(monkeypatch):
    from awol.errors import AwolError
    from awol.names import match_names
    from awol.screen.xref import _rescore

    name_a, name_b = "Стерлядников Александр", "Sterlyadnikov Aleksandr"
    score, match, explanation = _rescore(name_a, ["?? !!"], ["1985-03-07"],
                                         "!!", [name_b], ["1985-03-07"], 0.5)
    best = match_names(name_a, name_b, dob_a="1985-03-07", dob_b="1985-03-07")
    assert (score, match, explanation) == (best.score, best.match, best.explanation)
    # An unreadable birth date: the names are compared without dates.
    score, _match, _ = _rescore(name_a, [], ["not a date"], name_b, [], ["1985"], 0.5)
    assert score == match_names(name_a, name_b).score
    # No name with letters on one side: no verdict, no error.
    assert _rescore("??", [], [], name_b, [], [], 0.5)[:2] == (0.0, False)

    # Any other failure is reported without its message (which could quote a name).
    import awol.names

    def broken(a, b, **kwargs):
        raise RuntimeError(f"cannot read {a}")

    monkeypatch.setattr(awol.names, "match_names", broken)
    with pytest.raises(AwolError) as caught:
        _rescore(name_a, [], [], name_b, [], [], 0.5)
    assert name_a not in str(caught.value) and caught.value.__cause__ is None


# --- Spark (local mode): one session for the module -------------------------------------


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    pytest.importorskip("pandas")
    from awol.screen.xref import spark_session

    with spark_session() as session:
        scratch = session.conf.get("spark.local.dir")
        assert os.path.isdir(scratch) and stat.S_IMODE(os.stat(scratch).st_mode) == 0o700
        yield session
    # The private scratch folder goes with the session.
    assert not os.path.exists(scratch)


def by_pair(result):
    return {(p.left_id, p.right_id): (round(p.match_probability, 6), round(p.awol_score, 6),
                                      p.awol_match, p.explanation) for p in result.pairs}


@pytest.mark.spark
def test_spark_local_mode_links_the_same_pairs(spark, capfd, caplog):
    left, right, links = make_lists()
    capfd.readouterr()
    spark_result = xref(left, right, engine="spark", threshold=0.5, spark=spark)
    out, err = capfd.readouterr()
    precision, recall = precision_recall(spark_result.pairs, links)
    assert recall >= 0.9 and precision >= 0.9, (precision, recall)
    assert (spark_result.left_records, spark_result.right_records) == (len(left), len(right))
    duck = xref(left, right, engine="duckdb")
    # Same links, same Splink probabilities, same AWOL verdicts and explanations.
    assert by_pair(spark_result) == by_pair(duck)
    assert all(p.explanation for p in spark_result.pairs)
    # Nothing about the records reaches the console or the logs.
    said = out + err + caplog.text
    assert not [r.name for r in left + right if r.name in said]
    # The session is still usable (it was given, so it is not stopped).
    assert spark.range(1).count() == 1


@pytest.mark.spark
def test_spark_and_duckdb_compute_the_same_features(spark):
    from awol.screen.xref import _features, record_features, records_frame, spark_features

    left, right, _ = make_lists(linked=10, only_left=5, only_right=5)
    records = left + right + [
        Record("odd-1", "?? !!", [], []),
        Record("odd-2", "A. B.", ["Sasha Sterlyadnikov", "??"], ["1990", "1990-01-02"]),
        Record("odd-3", "Ж" * 10000, [], ["1971-02"]),
        Record("odd-4", "Стерлядников Александр", ["Sterljadnikow Alexander"],
               ["1985-03-07", "1986"]),
        Record("odd-5", "", [], []),
    ]
    duck = {rec.source_id: {k: v for k, v in row.items() if k != "unique_id"}
            for rec, row in zip(records, _features(records, "a"))}
    frame = spark_features(records_frame(spark, records))
    on_spark = {row["source_id"]: {k: row[k] for k in ("name_norm", "name_keys", "dob",
                                                        "birth_year")}
                for row in frame.collect()}
    assert on_spark == duck
    assert duck["odd-4"]["name_keys"] and duck["odd-4"]["dob"] == "1985-03-07"
    assert duck["odd-1"]["name_norm"] is None
    assert duck["L0"] == record_features(left[0].name, left[0].aliases, left[0].birth_dates)


@pytest.mark.spark
def test_spark_reads_records_with_spark_and_works_on_the_executors(spark, tmp_path,
                                                                    monkeypatch):
    import awol.screen.xref as xref_module
    from awol.screen.xref import RECORD_SCHEMA, records_frame, spark_features, xref_frames

    left, right, links = make_lists(linked=10, only_left=5, only_right=5)
    right.append(Record("R-odd", "?? !!", ["Ж" * 300], ["not a date"]))
    duck = xref(left, right, engine="duckdb")

    # The features are computed by a Python function run by Spark on Arrow batches.
    plan = spark_features(records_frame(spark, left))._jdf.queryExecution().toString()
    assert "MapInArrow" in plan

    # Lists read by Spark itself (JSON lines here; Parquet etc. alike).
    paths = []
    for name, records in (("a.jsonl", left), ("b.jsonl", right)):
        path = tmp_path / name
        path.write_text("".join(
            json.dumps({"source_id": r.source_id, "name": r.name, "aliases": r.aliases,
                        "birth_dates": r.birth_dates}, ensure_ascii=False) + "\n"
            for r in records), encoding="utf-8")
        paths.append(str(path))
    frames = [spark.read.schema(RECORD_SCHEMA).json(path) for path in paths]

    # The driver neither computes features nor re-scores pairs: break both here.
    def not_in_the_driver(*args, **kwargs):
        raise AssertionError("called in the driver")

    monkeypatch.setattr(xref_module, "record_features", not_in_the_driver)
    monkeypatch.setattr(xref_module, "_rescore", not_in_the_driver)
    result = xref_frames(*frames, threshold=0.5)
    assert (result.left_records, result.right_records) == (len(left), len(right))
    precision, recall = precision_recall(result.pairs, links)
    assert recall >= 0.9 and precision >= 0.9, (precision, recall)
    assert by_pair(result) == by_pair(duck)
    with pytest.raises(AssertionError, match="in the driver"):
        xref(left, right, engine="duckdb")
