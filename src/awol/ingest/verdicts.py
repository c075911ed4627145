"""Court-verdict tables: one CSV row a verdict → the `verdicts` table.

The columns are described in docs/verdicts.md. A bad row is rejected with its line number
and the reason; the good rows are stored. A file that cannot be read as a table at all
(empty, not UTF-8, no usable header) is rejected as a whole and nothing of it is stored.

Every stored row keeps the file's SHA-256 and its line number, so importing the same bytes
again stores nothing new, and an import that was interrupted stores the rest when re-run.
Rows are streamed and committed in batches, so a file of any size fits in memory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from awol.errors import AwolError
from awol.store.db import Store
from awol.store.schema import UnitRow, VerdictRow

COLUMNS = ("date", "court", "region", "article", "part", "sentence", "unit")
REQUIRED = ("date", "court", "article")

# Header spellings → column. Keys are compared after `_header_key` (lower case, no BOM,
# spaces/hyphens/dots as underscores). "часть" alone is the part of an article; the military
# unit is "воинская/войсковая часть" or "в/ч".
HEADER_ALIASES = {
    "date": "date", "verdict_date": "date", "judgment_date": "date", "judgement_date": "date",
    "дата": "date", "дата_приговора": "date", "дата_решения": "date", "дата_вироку": "date",
    "court": "court", "суд": "court", "наименование_суда": "court",
    "region": "region", "регион": "region", "субъект": "region", "субъект_рф": "region",
    "область": "region", "регіон": "region",
    "article": "article", "статья": "article", "статья_ук": "article", "статья_ук_рф": "article",
    "стаття": "article",
    "part": "part", "article_part": "part", "часть": "part", "часть_статьи": "part",
    "частина": "part",
    "sentence": "sentence", "punishment": "sentence", "приговор": "sentence",
    "наказание": "sentence", "вирок": "sentence", "покарання": "sentence",
    "unit": "unit", "military_unit": "unit", "unit_number": "unit",
    "military_unit_number": "unit", "в/ч": "unit", "вч": "unit",
    "часть_войсковая": "unit", "войсковая_часть": "unit", "воинская_часть": "unit",
    "часть_воинская": "unit", "номер_в/ч": "unit", "подразделение": "unit",
    "військова_частина": "unit", "в/ч_номер": "unit",
}

# Chapter 33 of the Criminal Code of the Russian Federation (crimes against military
# service, 331–352, with 352.1 added in 2022), and 328 (evading military service).
ARTICLES = frozenset(
    {"328"} | {str(n) for n in range(331, 353)} | {"352.1"}
)
DELIMITERS = (",", ";", "\t")
BATCH_ROWS = 1000
FIELD_CHARS = 100_000  # longer is an unclosed quote swallowing the file, not a verdict
CHUNK_BYTES = 1 << 20  # read size when hashing and checking the encoding
LINE_BYTES = 1 << 22  # a longer line is not a table (and would be read into memory whole)
LIMITS = {"court": 300, "region": 200, "unit": 300}

_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATE_RU = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ARTICLE = re.compile(
    r"(?:(?:ст(?:атья|\.)?|art(?:icle|\.)?|стаття)\s*)?(\d{3}(?:\.\d)?)"
    r"(?:\s*(?:ук(?:\s*рф)?|cc(?:\s*rf)?))?",
    re.IGNORECASE,
)
_PART = re.compile(r"(?:(?:ч(?:асть|\.)?|part|частина)\s*)?(\d{1,2}(?:\.\d)?)", re.IGNORECASE)
_UNIT_NUMBER_ONLY = re.compile(r"(?:в\s*/\s*ч|вч|military unit|unit|mu)?[\s.№#]*(\d{5})", re.IGNORECASE)


@dataclass
class VerdictReport:
    """What an import did: rows stored, rows already there from an earlier import, rejects."""

    path: str
    sha256: str = ""
    stored: int = 0
    already_present: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    # Unit texts no unit was found for (rows stored with unit_id empty) → how many rows.
    unresolved_units: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    delimiter: str = ","

    @property
    def rows(self) -> int:
        return self.stored + self.already_present + len(self.rejected)


class _BadRow(ValueError):
    """A row that cannot be stored; the message is the reason shown to the user."""


def import_verdicts(store: Store, path: str | Path, resolver=None) -> VerdictReport:
    """Import a verdict CSV into the knowledge base; see docs/verdicts.md for the columns.

    ``resolver`` (a `awol.units.resolver.UnitResolver`) resolves the ``unit`` column; when
    None, one is built from the store if the resolver is installed. A five-digit military
    unit number found in the gazetteer is matched directly.
    """
    path = Path(path)
    sha256 = _check_file(path)
    report = VerdictReport(path=str(path), sha256=sha256)
    units = _UnitLookup(store, resolver)
    # The csv module's limit is process-wide (other libraries raise it); hold ours meanwhile.
    field_limit = csv.field_size_limit(FIELD_CHARS)
    try:
        _import_rows(store, path, report, units)
    finally:
        csv.field_size_limit(field_limit)
    return report


def _import_rows(store: Store, path: Path, report: VerdictReport, units: _UnitLookup) -> None:
    sha256 = report.sha256
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = _numbered(handle)
        header_line, header_text = _first_nonblank(lines, path)
        delimiter, columns = _read_header(header_text, path)
        report.delimiter = delimiter
        report.ignored_columns = [name for name, column in columns if column is None]
        batch: list[dict] = []
        for line_number, fields, error in _rows(lines, delimiter, header_line):
            if fields is None:
                report.rejected.append((line_number, error or "not a CSV row"))
                continue
            if not any(value.strip() for value in fields):
                continue
            try:
                values = _validate(fields, columns)
            except _BadRow as exc:
                report.rejected.append((line_number, str(exc)))
                continue
            unit_id = units.resolve(values["unit"]) if values["unit"] else None
            if values["unit"] and unit_id is None:
                unresolved = report.unresolved_units
                unresolved[values["unit"]] = unresolved.get(values["unit"], 0) + 1
            batch.append(
                {
                    "date": values["date"],
                    "court": values["court"],
                    "region": values["region"],
                    "article": values["article"],
                    "part": values["part"],
                    "sentence": values["sentence"],
                    "unit_as_written": values["unit"],
                    "unit_id": unit_id,
                    "source_file": str(path),
                    "source_sha256": sha256,
                    "source_row": line_number,
                }
            )
            if len(batch) >= BATCH_ROWS:
                _store_batch(store, batch, report)
                batch = []
        if batch:
            _store_batch(store, batch, report)


# --- the file -------------------------------------------------------------------------


def _check_file(path: Path) -> str:
    """Hash the file, check that it is UTF-8 (with or without BOM) and that its lines are of
    a table's length, in one streamed pass; a file that fails is rejected whole."""
    if not path.is_file():
        raise AwolError(f"{path}: no such file")
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0  # bytes of the file handed to the decoder so far
    line, run = 1, 0  # the current line, and its length so far
    seen_text = False
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise AwolError(f"{path} is UTF-16; save it as UTF-8 (CSV UTF-8) and import again")
        chunk = head
        while chunk:
            digest.update(chunk)
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise AwolError(_not_utf8(path, offset - pending + exc.start, exc.object)) from None
            offset += len(chunk)
            if not seen_text and text.lstrip("\ufeff \t\r\n"):
                seen_text = True
            pieces = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
            run += len(pieces[0])
            for piece in pieces[1:]:
                if run > LINE_BYTES:
                    break
                line, run = line + 1, len(piece)
            if run > LINE_BYTES:
                raise AwolError(
                    f"{path}: line {line} is longer than {LINE_BYTES:,} bytes; this is not a "
                    "verdict table (one verdict a line); nothing was imported"
                )
            chunk = handle.read(CHUNK_BYTES)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise AwolError(_not_utf8(path, offset - len(decoder.getstate()[0]), b"")) from None
    if not seen_text:
        raise AwolError(f"{path} is empty: expected a header line ({','.join(COLUMNS)}) and rows")
    return digest.hexdigest()


def _not_utf8(path: Path, offset: int, data: bytes) -> str:
    message = f"{path} is not valid UTF-8 at byte {offset}; nothing was imported"
    if data and _looks_cyrillic_cp1251(data):
        message += " (it looks like Windows-1251: convert it with `iconv -f cp1251 -t utf-8`)"
    else:
        message += " (save it as UTF-8 and import again)"
    return message


def _looks_cyrillic_cp1251(data: bytes) -> bool:
    """Mostly bytes that are Cyrillic letters in Windows-1251 (as a Russian Excel saves),
    rather than UTF-8 with a stray bad byte."""
    data = data[:65536]
    high = [b for b in data if b >= 0x80]
    if not high or data.decode("utf-8", errors="replace").count("\ufffd") * 2 < len(high):
        return False
    return sum(b >= 0xC0 or b in (0xA8, 0xB8) for b in high) > 0.7 * len(high)


def _numbered(handle) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(handle, start=1):
        yield number, line


def _first_nonblank(lines: Iterator[tuple[int, str]], path: Path) -> tuple[int, str]:
    for number, line in lines:
        if line.strip():
            return number, line
    raise AwolError(f"{path} is empty: expected a header line ({','.join(COLUMNS)}) and rows")


def _header_key(name: str) -> str:
    key = name.replace("\ufeff", "").strip().strip('"').strip().lower()
    key = re.sub(r"\s*/\s*", "/", key)
    return re.sub(r"[\s\-.]+", "_", key).strip("_")


def _read_header(line: str, path: Path) -> tuple[str, list[tuple[str, str | None]]]:
    """The delimiter and, per header field, its column (None: not ours, ignored)."""
    best: tuple[int, str, list[str]] | None = None
    for delimiter in DELIMITERS:
        names = next(csv.reader([line], delimiter=delimiter))
        known = sum(_header_key(n) in HEADER_ALIASES for n in names)
        if best is None or known > best[0]:
            best = (known, delimiter, names)
    assert best is not None
    _, delimiter, names = best
    columns = [(name.strip(), HEADER_ALIASES.get(_header_key(name))) for name in names]
    mapped = [column for _, column in columns if column]
    missing = [column for column in REQUIRED if column not in mapped]
    if missing:
        raise AwolError(
            f"{path}: the header line has no {', '.join(missing)} column; expected the columns "
            f"{','.join(COLUMNS)} (see docs/verdicts.md), found: {line.strip()[:200]}"
        )
    twice = sorted({column for column in mapped if mapped.count(column) > 1})
    if twice:
        raise AwolError(f"{path}: the header names the {', '.join(twice)} column more than once")
    return delimiter, columns


def _rows(
    lines: Iterator[tuple[int, str]], delimiter: str, after_line: int
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """CSV records as (line each starts on, fields, or None and why it is not a record)."""
    current = after_line

    def feed() -> Iterator[str]:
        nonlocal current
        for number, line in lines:
            current = number
            yield line

    reader = csv.reader(feed(), delimiter=delimiter)
    while True:
        start = current + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = str(exc)
            if "field larger than field limit" in reason:
                reason = f"a field is longer than {FIELD_CHARS} characters (an unclosed quote?)"
            yield start, None, f"not a CSV row: {reason}"
            continue
        yield start, fields, None


# --- one row ---------------------------------------------------------------------------


def _validate(fields: list[str], columns: list[tuple[str, str | None]]) -> dict[str, str | None]:
    if len(fields) > len(columns) and not any(v.strip() for v in fields[len(columns):]):
        fields = fields[: len(columns)]  # trailing empty fields, as spreadsheets write them
    if len(fields) != len(columns):
        raise _BadRow(f"expected {len(columns)} fields, found {len(fields)}")
    raw = {column: value.strip() for (_, column), value in zip(columns, fields) if column}
    for column in REQUIRED:
        if not raw.get(column):
            raise _BadRow(f"missing {column}")
    for column, limit in LIMITS.items():
        if len(raw.get(column) or "") > limit:
            raise _BadRow(f"{column} is longer than {limit} characters")
    article, part_in_article = _article(raw["article"])
    part = _part(raw.get("part") or "") or part_in_article
    return {
        "date": _date(raw["date"]),
        "court": raw["court"],
        "region": raw.get("region") or None,
        "article": article,
        "part": part,
        "sentence": raw.get("sentence") or None,
        "unit": raw.get("unit") or None,
    }


def _date(value: str) -> str:
    if match := _DATE_ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DATE_RU.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise _BadRow(f"bad date {value!r}: expected YYYY-MM-DD or DD.MM.YYYY")
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise _BadRow(f"bad date {value!r}: no such day") from None
    if parsed < date(1997, 1, 1):
        raise _BadRow(f"bad date {value!r}: before the Criminal Code came into force (1997)")
    if parsed > date.today():
        raise _BadRow(f"bad date {value!r}: in the future")
    return parsed.isoformat()


def _article(value: str) -> tuple[str, str | None]:
    """The article number, and a part when written in the same cell ("ч. 5 ст. 337")."""
    text = value.strip()
    part = None
    if match := re.match(r"(?:ч(?:асть|\.)?|part|частина)\s*(\d{1,2}(?:\.\d)?)\s*,?\s*", text, re.I):
        part = match.group(1)
        text = text[match.end():]
    match = _ARTICLE.fullmatch(text.rstrip(". "))
    if not match:
        raise _BadRow(f"unknown article {value!r}: expected a number such as 337 or 338")
    article = match.group(1)
    if article not in ARTICLES:
        raise _BadRow(
            f"article {article} is not a crime against military service "
            "(expected 328 or 331–352.1, e.g. 337 AWOL, 338 desertion)"
        )
    return article, part


def _part(value: str) -> str | None:
    if not value:
        return None
    match = _PART.fullmatch(value.strip().rstrip("."))
    if not match:
        raise _BadRow(f"unknown part {value!r}: expected a number such as 3 or 3.1")
    return match.group(1)


# --- units -----------------------------------------------------------------------------


class _UnitLookup:
    """Unit column → unit id: a military unit number in the gazetteer, else the resolver."""

    def __init__(self, store: Store, resolver):
        with store.session() as session:
            rows = session.execute(select(UnitRow.id, UnitRow.military_unit_number)).all()
        self.ids = {unit_id for unit_id, _ in rows}
        self.by_number = {number: unit_id for unit_id, number in rows if number}
        if resolver is None and self.ids:
            resolver = _default_resolver(store)
        self.resolver = resolver
        self.cache: dict[str, str | None] = {}

    def resolve(self, text: str) -> str | None:
        if text not in self.cache:
            if len(self.cache) >= 10_000:
                self.cache.clear()
            self.cache[text] = self._resolve(text)
        return self.cache[text]

    def _resolve(self, text: str) -> str | None:
        if match := _UNIT_NUMBER_ONLY.fullmatch(text.strip()):
            if unit_id := self.by_number.get(match.group(1)):
                return unit_id
        if self.resolver is not None:
            found = self.resolver.resolve(text)
            if found is not None and found.unit.id in self.ids:
                return found.unit.id
        return None


def _default_resolver(store: Store):
    try:
        from awol.units.resolver import UnitResolver
    except ImportError:
        return None
    return UnitResolver.from_store(store)


# --- storing ---------------------------------------------------------------------------


def _store_batch(store: Store, batch: list[dict], report: VerdictReport) -> None:
    """Insert the rows not stored yet, in one transaction; count the new and the known."""
    insert = pg_insert if store.engine.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(VerdictRow)
        .on_conflict_do_nothing(index_elements=["source_sha256", "source_row"])
        .returning(VerdictRow.id)
    )
    with store.session() as session:
        # Rows already there return nothing; "insertmanyvalues" sends the batch in few trips.
        new = len(session.connection().execute(statement, batch).all())
    report.stored += new
    report.already_present += len(batch) - new
