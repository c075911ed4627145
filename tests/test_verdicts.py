"""Verdict tables: good rows are stored, bad rows are reported by line, nothing is stored twice."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from awol.errors import AwolError
from awol.ingest import verdicts as verdicts_module
from awol.ingest.verdicts import import_verdicts
from awol.store.schema import UnitAliasRow, UnitRow, VerdictRow

HEADER = "date,court,region,article,part,sentence,unit\n"


def add_units(store) -> None:
    """Two units of the gazetteer, enough to resolve a unit column."""
    with store.session() as session:
        session.add(UnitRow(id="ru-20-gmrd", name_en="20th Guards Motor Rifle Division",
                            name_ru="20-я гвардейская мотострелковая дивизия", type="motor_rifle",
                            echelon="division", military_unit_number="58550", garrison="Volgograd"))
        session.flush()
        session.add(UnitRow(id="ru-255-mrr", name_en="255th Guards Motor Rifle Regiment",
                            name_ru="255-й гвардейский мотострелковый полк", type="motor_rifle",
                            echelon="regiment", parent_id="ru-20-gmrd"))
        session.add(UnitAliasRow(unit_id="ru-20-gmrd", alias="20e gemotoriseerde gardedivisie"))


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def stored(store) -> list[VerdictRow]:
    with store.session() as session:
        return list(session.scalars(select(VerdictRow).order_by(VerdictRow.source_row)))


def count(store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(VerdictRow))


class FakeResolver:
    """The `UnitResolver` interface: resolve(text) -> match with .unit.id and .score, or None."""

    def resolve(self, text):
        if "255" in text:
            return SimpleNamespace(unit=SimpleNamespace(id="ru-255-mrr"), score=0.95)
        if "unknown unit" in text:
            return SimpleNamespace(unit=SimpleNamespace(id="ru-not-in-the-store"), score=0.9)
        return None


def test_good_rows_are_stored_normalised_and_traceable_to_file_and_line(store, tmp_path):
    add_units(store)
    path = write(tmp_path, "verdicts.csv", HEADER
        + "2024-03-01,235th Garrison Military Court,Moscow,337,5,5 years in a penal colony,в/ч 58550\n"
        + "07.11.2023,Volgograd Garrison Military Court,Volgograd Oblast,ст. 338 УК РФ,ч. 1,\"3 years,\n suspended\",255-й полк\n"
        + "2023-01-15,Kaliningrad Garrison Military Court,,ч. 3.1 ст. 337,,,\n")
    report = import_verdicts(store, path, resolver=FakeResolver())
    assert (report.stored, report.already_present, report.rejected) == (3, 0, [])
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    first, second, third = stored(store)
    assert (first.date, first.article, first.part, first.unit_id) == ("2024-03-01", "337", "5", "ru-20-gmrd")
    assert first.unit_as_written == "в/ч 58550"
    assert first.sentence == "5 years in a penal colony"
    assert (second.date, second.article, second.part) == ("2023-11-07", "338", "1")
    assert second.sentence == "3 years,\n suspended"
    assert second.unit_id == "ru-255-mrr"
    assert (third.article, third.part, third.region, third.unit_id) == ("337", "3.1", None, None)
    # Line numbers are the file's: the quoted sentence spans lines 3–4, so the next row is on 5.
    assert [v.source_row for v in (first, second, third)] == [2, 3, 5]
    assert {v.source_sha256 for v in (first, second, third)} == {report.sha256}
    assert first.source_file == str(path)


def test_bad_rows_are_rejected_with_line_number_and_reason_and_good_rows_kept(store, tmp_path):
    path = write(tmp_path, "mixed.csv", HEADER
        + "2024-03-01,Court A,,337,5,,\n"            # 2 good
        + "2024-13-01,Court B,,337,,,\n"             # 3 no such month
        + "yesterday,Court B,,337,,,\n"              # 4 not a date
        + "2024-03-02,,Moscow,338,,,\n"              # 5 no court
        + "2024-03-03,Court C,,105,,,\n"             # 6 not a military-service article
        + "2024-03-04,Court C,,AWOL,,,\n"            # 7 not an article number
        + "2024-03-05,Court D\n"                     # 8 too few fields
        + "2024-03-06,Court D,,337,,,,extra\n"       # 9 too many fields
        + "\n"                                       # 10 blank: skipped, not an error
        + "2024-03-07,Court E,,338,2,,\n"            # 11 good
        + "2024-03-08,Court E,,338,second,,\n"       # 12 bad part
        + "2099-01-01,Court F,,338,,,\n")            # 13 in the future
    report = import_verdicts(store, path)
    assert report.stored == 2
    lines = [line for line, _ in report.rejected]
    assert lines == [3, 4, 5, 6, 7, 8, 9, 12, 13]
    reasons = dict(report.rejected)
    assert "bad date '2024-13-01'" in reasons[3]
    assert "expected YYYY-MM-DD or DD.MM.YYYY" in reasons[4]
    assert reasons[5] == "missing court"
    assert "article 105" in reasons[6]
    assert "unknown article 'AWOL'" in reasons[7]
    assert reasons[8] == "expected 7 fields, found 2"
    assert reasons[9] == "expected 7 fields, found 8"
    assert "unknown part 'second'" in reasons[12]
    assert "in the future" in reasons[13]
    assert [(v.source_row, v.court) for v in stored(store)] == [(2, "Court A"), (11, "Court E")]


def test_reimporting_the_same_file_stores_nothing_new(store, tmp_path):
    content = HEADER + "2024-03-01,Court A,,337,5,,\n2024-03-02,Court B,,338,,,\nbad,Court C,,337,,,\n"
    path = write(tmp_path, "verdicts.csv", content)
    first = import_verdicts(store, path)
    again = import_verdicts(store, path)
    copy = import_verdicts(store, write(tmp_path, "renamed copy.csv", content))
    assert (first.stored, first.already_present) == (2, 0)
    assert (again.stored, again.already_present, len(again.rejected)) == (0, 2, 1)
    assert (copy.stored, copy.already_present) == (0, 2)
    assert count(store) == 2


def test_an_interrupted_import_stores_the_rest_when_run_again(store, tmp_path, monkeypatch):
    rows = "".join(f"2024-01-{1 + i % 28:02d},Court {i},,337,,,\n" for i in range(250))
    path = write(tmp_path, "big.csv", HEADER + rows)
    monkeypatch.setattr(verdicts_module, "BATCH_ROWS", 100)
    real_store_batch = verdicts_module._store_batch
    calls = []

    def failing_store_batch(store_, batch, report):
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError("killed")
        real_store_batch(store_, batch, report)

    monkeypatch.setattr(verdicts_module, "_store_batch", failing_store_batch)
    with pytest.raises(RuntimeError):
        import_verdicts(store, path)
    assert count(store) == 100  # the first batch committed, the second not at all
    monkeypatch.setattr(verdicts_module, "_store_batch", real_store_batch)
    report = import_verdicts(store, path)
    assert (report.stored, report.already_present) == (150, 100)
    assert count(store) == 250


def test_semicolon_file_with_russian_headers_bom_and_crlf(store, tmp_path):
    add_units(store)
    content = (
        "\ufeffДата;Суд;Регион;Статья;Часть;Приговор;Часть_войсковая\r\n"
        "01.03.2024;235-й гарнизонный военный суд;Москва;337;5;5 лет колонии-поселения;58550\r\n"
        "15.02.2024;Волгоградский гарнизонный военный суд;Волгоградская область;338;1;6 лет;\r\n"
    )
    report = import_verdicts(store, write(tmp_path, "приговоры.csv", content))
    assert report.delimiter == ";"
    assert (report.stored, report.rejected) == (2, [])
    first, second = stored(store)
    assert (first.date, first.court, first.unit_id) == ("2024-03-01", "235-й гарнизонный военный суд", "ru-20-gmrd")
    assert (second.region, second.sentence, second.unit_as_written) == ("Волгоградская область", "6 лет", None)


def test_tab_delimited_file_with_columns_in_another_order_and_an_extra_column(store, tmp_path):
    content = "article\tdate\tcourt\tnotes\n338\t2024-05-01\tCourt A\tanything\n"
    report = import_verdicts(store, write(tmp_path, "verdicts.tsv", content))
    assert report.delimiter == "\t"
    assert report.ignored_columns == ["notes"]
    [verdict] = stored(store)
    assert (verdict.article, verdict.date, verdict.court) == ("338", "2024-05-01", "Court A")


def test_a_unit_the_resolver_finds_outside_the_store_is_kept_unresolved(store, tmp_path):
    add_units(store)
    path = write(tmp_path, "v.csv", HEADER + "2024-03-01,Court,,337,,,an unknown unit\n")
    report = import_verdicts(store, path, resolver=FakeResolver())
    assert report.stored == 1
    assert report.unresolved_units == {"an unknown unit": 1}
    [verdict] = stored(store)
    assert (verdict.unit_id, verdict.unit_as_written) == (None, "an unknown unit")


def test_invalid_utf8_rejects_the_whole_file_naming_it_and_the_byte_offset(store, tmp_path):
    content = (HEADER + "2024-03-01,Court A,,337,,,\n2024-03-02,Военный суд,,338,,,\n").encode("cp1251")
    path = write(tmp_path, "cp1251.csv", content)
    offset = next(i for i, b in enumerate(content) if b >= 0x80)
    with pytest.raises(AwolError) as error:
        import_verdicts(store, path)
    message = str(error.value)
    assert str(path) in message and f"byte {offset}" in message
    assert "Windows-1251" in message
    assert count(store) == 0  # not even the good first row


def test_invalid_utf8_far_into_a_large_file_gives_the_exact_offset(store, tmp_path):
    good = HEADER + "".join(f"2024-01-01,Суд {i},,337,,,\n" for i in range(80_000))
    content = good.encode("utf-8") + "2024-01-02,Суд".encode("utf-8")[:-1] + b",,338,,,\n"
    assert len(content) > 2 * (1 << 20)  # beyond the first chunks read
    path = write(tmp_path, "big.csv", content)
    with pytest.raises(AwolError) as error:
        import_verdicts(store, path)
    offset = len(good.encode("utf-8")) + len("2024-01-02,Су".encode("utf-8"))
    assert f"byte {offset};" in str(error.value)
    assert "Windows-1251" not in str(error.value)  # UTF-8 with one bad byte, not cp1251
    assert count(store) == 0


def test_a_character_split_between_two_reads_is_valid_utf8(store, tmp_path, monkeypatch):
    monkeypatch.setattr(verdicts_module, "CHUNK_BYTES", 7)
    content = HEADER + "".join(f"2024-01-0{i},Военный суд №{i},,337,,,\n" for i in range(1, 8))
    report = import_verdicts(store, write(tmp_path, "split.csv", content))
    assert (report.stored, report.rejected) == (7, [])
    bad = content.encode("utf-8") + "2024-01-08,Суд".encode("utf-8")[:-1] + b",,338,,,\n"
    with pytest.raises(AwolError, match=f"byte {len(content.encode()) + len('2024-01-08,Су'.encode())}"):
        import_verdicts(store, write(tmp_path, "split-bad.csv", bad))


def test_a_truncated_multibyte_character_at_the_end_is_invalid(store, tmp_path):
    content = (HEADER + "2024-01-01,Суд,,337,,,\n").encode("utf-8") + "д".encode("utf-8")[:1]
    with pytest.raises(AwolError, match=f"byte {len(content) - 1}"):
        import_verdicts(store, write(tmp_path, "cut.csv", content))


def test_utf16_file_gets_a_clear_error(store, tmp_path):
    path = write(tmp_path, "excel.txt", codecs.BOM_UTF16_LE + HEADER.encode("utf-16-le"))
    with pytest.raises(AwolError, match="UTF-16"):
        import_verdicts(store, path)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\r\n"])
def test_an_empty_file_is_a_clear_error(store, tmp_path, content):
    path = write(tmp_path, "empty.csv", content)
    with pytest.raises(AwolError, match=r"empty\.csv is empty"):
        import_verdicts(store, path)


def test_a_missing_file_is_a_clear_error(store, tmp_path):
    with pytest.raises(AwolError, match="no such file"):
        import_verdicts(store, tmp_path / "nowhere.csv")


def test_a_header_without_the_required_columns_is_a_clear_error(store, tmp_path):
    path = write(tmp_path, "wrong.csv", "name,amount\nIvanov,3\n")
    with pytest.raises(AwolError, match="no date, court, article column"):
        import_verdicts(store, path)
    assert count(store) == 0


def test_a_header_alone_stores_nothing_without_error(store, tmp_path):
    report = import_verdicts(store, write(tmp_path, "header.csv", HEADER))
    assert (report.stored, report.rejected) == (0, [])


def test_an_unclosed_quote_loses_only_its_own_rows(store, tmp_path):
    path = write(tmp_path, "quote.csv", HEADER
        + "2024-03-01,Court A,,337,,,\n"
        + '2024-03-02,"Court B,,338,,,\n'
        + "2024-03-03,Court C,,338,,,\n")
    report = import_verdicts(store, path)
    assert report.stored == 1
    assert [line for line, _ in report.rejected] == [3]


def test_a_field_larger_than_the_csv_limit_is_rejected_not_fatal(store, tmp_path):
    huge = "x" * 200_000
    path = write(tmp_path, "huge.csv", HEADER
        + f'2024-03-01,Court A,,337,,"{huge}",\n'
        + "2024-03-02,Court B,,338,,,\n")
    report = import_verdicts(store, path)
    assert [line for line, _ in report.rejected] == [2]
    assert "longer than" in report.rejected[0][1]
    assert [v.court for v in stored(store)] == ["Court B"]


def test_a_line_too_long_for_a_table_rejects_the_file_whole(store, tmp_path, monkeypatch):
    monkeypatch.setattr(verdicts_module, "LINE_BYTES", 1000)
    monkeypatch.setattr(verdicts_module, "CHUNK_BYTES", 64)
    path = write(tmp_path, "blob.csv", HEADER + "2024-03-01,Court A,,337,,,\r\n" + "x" * 5000 + "\n")
    with pytest.raises(AwolError, match="line 3 is longer than"):
        import_verdicts(store, path)
    assert count(store) == 0


def test_a_court_name_longer_than_the_column_is_rejected(store, tmp_path):
    path = write(tmp_path, "long.csv", HEADER + f"2024-03-01,{'C' * 301},,337,,,\n")
    report = import_verdicts(store, path)
    assert report.rejected == [(2, "court is longer than 300 characters")]


def test_units_resolve_through_the_gazetteer_resolver(store, tmp_path):
    pytest.importorskip("awol.units.resolver")
    loading = pytest.importorskip("awol.units.loading")
    loading.load_gazetteer(store)
    path = write(tmp_path, "v.csv", HEADER
        + "2024-03-01,Court,,337,,,20-я гвардейская мотострелковая дивизия\n"
        + "2024-03-02,Court,,337,,,в/ч 58550\n"
        + "2024-03-03,Court,,337,,,Division of Nowhere\n")
    report = import_verdicts(store, path)
    assert report.stored == 3
    assert [v.unit_id for v in stored(store)] == ["ru-20-gmrd", "ru-20-gmrd", None]
    assert report.unresolved_units == {"Division of Nowhere": 1}
