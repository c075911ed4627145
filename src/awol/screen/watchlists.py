"""Watchlists: import FollowTheMoney JSON lines or a CSV table into the knowledge base.

A watchlist is stored under a name (``--list``). Re-importing a list under the same name
replaces it atomically: the new version is written and the old one deleted in one
transaction. Lines that cannot be read are reported by number and skipped; the reason never
quotes the line (it may hold a name).

CSV header (see docs/screening.md)::

    id,name,aliases,birth_date,nationality,position,topics

``aliases``, ``birth_date``, ``nationality``, ``position`` and ``topics`` may hold several
values separated by ``;``. Only ``name`` is required.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from sqlalchemy import delete, func, insert, select

from awol.errors import AwolError
from awol.store.db import Store
from awol.store.schema import WatchlistEntryRow, WatchlistRow

CSV_HEADER = ("id", "name", "aliases", "birth_date", "nationality", "position", "topics")
MAX_NAME_CHARS = 500
MAX_LIST_NAME = 100
BATCH = 5000

# FtM properties read from a Person entity.
_ALIAS_PROPS = ("alias", "previousName")
_PERSON_SCHEMATA = {"Person"}


@dataclass
class Entry:
    """One person as read from a list file, before it is stored."""

    entity_id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    nationality: list[str] = field(default_factory=list)
    position: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    schema: str = "Person"
    raw: str | None = None

    def row(self, watchlist_id: int) -> dict:
        return {
            "watchlist_id": watchlist_id,
            "entity_id": self.entity_id[:200],
            "schema": self.schema,
            "name": self.name,
            "aliases": json.dumps(self.aliases, ensure_ascii=False),
            "birth_dates": json.dumps(self.birth_dates),
            "nationality": json.dumps(self.nationality, ensure_ascii=False),
            "position": json.dumps(self.position, ensure_ascii=False),
            "topics": json.dumps(self.topics, ensure_ascii=False),
            "raw": self.raw,
        }


@dataclass
class ImportReport:
    name: str
    imported: int = 0
    version: int = 0
    unchanged: bool = False
    replaced: int | None = None  # entries in the version that was replaced
    other_schemata: int = 0  # entities that are not persons (companies, sanctions…), skipped
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


class BadLine(ValueError):
    """A line that cannot be imported; the message never quotes the line."""


# --- dates --------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DOTTED_DATE = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")


def parse_birth_date(value: str) -> str:
    """A birth date as ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raises ValueError otherwise.

    Accepts ISO dates (and their prefixes, as FollowTheMoney writes them) and ``DD.MM.YYYY``.
    """
    text = (value or "").strip()
    if iso := _ISO_DATE.fullmatch(text):
        year, month, day = iso.group(1), iso.group(2), iso.group(3)
    elif dotted := _DOTTED_DATE.fullmatch(text):
        day, month, year = dotted.group(1), dotted.group(2), dotted.group(3)
    else:
        raise ValueError("not a date (use YYYY-MM-DD, YYYY-MM, YYYY or DD.MM.YYYY)")
    y = int(year)
    if not 1850 <= y <= date.today().year:
        raise ValueError(f"year {y} is not a plausible birth year")
    if month is None:
        return f"{y:04d}"
    m = int(month)
    if day is None:
        if not 1 <= m <= 12:
            raise ValueError(f"month {m} does not exist")
        return f"{y:04d}-{m:02d}"
    try:
        date(y, m, int(day))
    except ValueError:
        raise ValueError("this day does not exist in the calendar") from None
    return f"{y:04d}-{m:02d}-{int(day):02d}"


# --- reading ------------------------------------------------------------------------------


def _clean_name(value: object) -> str:
    if not isinstance(value, str):
        raise BadLine("a name is not text")
    text = " ".join(value.split())
    if len(text) > MAX_NAME_CHARS:
        raise BadLine(f"a name is longer than {MAX_NAME_CHARS} characters")
    return text


def _texts(values: object) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        raise BadLine("a property is neither text nor a list of texts")
    out = []
    for value in values:
        if not isinstance(value, str):
            raise BadLine("a property value is not text")
        value = " ".join(value.split())
        if value and value not in out:
            out.append(value)
    return out


def _dates(values: list[str]) -> list[str]:
    out = []
    for value in values:
        try:
            parsed = parse_birth_date(value)
        except ValueError as exc:
            raise BadLine(f"birth date: {exc}") from None
        if parsed not in out:
            out.append(parsed)
    return out


def entry_from_ftm(data: object) -> Entry | None:
    """A person from one FollowTheMoney entity (a dict); None for other schemata."""
    if not isinstance(data, dict):
        raise BadLine("not a JSON object")
    schema = data.get("schema")
    if not isinstance(schema, str):
        raise BadLine("no schema")
    if schema not in _PERSON_SCHEMATA:
        return None
    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise BadLine("no id")
    props = data.get("properties") or {}
    if not isinstance(props, dict):
        raise BadLine("properties is not an object")
    names = [_clean_name(n) for n in _texts(props.get("name"))]
    if not names:
        parts = [
            " ".join(_texts(props.get(p)))
            for p in ("firstName", "fatherName", "middleName", "lastName")
        ]
        composed = " ".join(p for p in parts if p)
        names = [_clean_name(composed)] if composed else []
    names = [n for n in names if n]
    if not names:
        raise BadLine("the person has no name")
    aliases = list(names[1:])
    for prop in _ALIAS_PROPS:
        for alias in _texts(props.get(prop)):
            alias = _clean_name(alias)
            if alias and alias != names[0] and alias not in aliases:
                aliases.append(alias)
    return Entry(
        entity_id=entity_id.strip(),
        name=names[0],
        aliases=aliases,
        birth_dates=_dates(_texts(props.get("birthDate"))),
        nationality=_texts(props.get("nationality")) or _texts(props.get("citizenship")),
        position=_texts(props.get("position")),
        topics=_texts(props.get("topics")),
        schema=schema,
        raw=json.dumps(data, ensure_ascii=False),
    )


def read_ftm_lines(lines: Iterable[str]) -> Iterator[tuple[int, Entry | None | BadLine]]:
    """(line number, entry) for each non-empty line; a BadLine instead when it cannot be read."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, BadLine(f"not valid JSON ({exc.msg}, column {exc.colno})")
            continue
        try:
            yield number, entry_from_ftm(data)
        except BadLine as exc:
            yield number, exc


def _split(value: str | None) -> list[str]:
    return [v for v in (" ".join(p.split()) for p in (value or "").split(";")) if v]


def read_csv_rows(text_io) -> Iterator[tuple[int, Entry | None | BadLine]]:
    """(line number, entry) for each row of a CSV with the documented header."""
    reader = csv.DictReader(text_io)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise AwolError(
            "the CSV has no `name` column; expected the header " + ",".join(CSV_HEADER)
        )
    unknown = [h for h in header if h not in CSV_HEADER]
    if unknown:
        raise AwolError(
            f"unknown CSV column(s) {', '.join(unknown)}; expected " + ",".join(CSV_HEADER)
        )
    reader.fieldnames = header
    row_number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield reader.line_num, BadLine(f"unreadable CSV ({exc})")
            continue
        row_number += 1
        line = reader.line_num
        try:
            if None in row:
                raise BadLine("more fields than columns in the header")
            name = _clean_name(row.get("name") or "")
            if not name:
                raise BadLine("empty name")
            aliases = [a for a in (_clean_name(a) for a in _split(row.get("aliases"))) if a != name]
            entry = Entry(
                entity_id=(row.get("id") or "").strip() or f"row-{row_number}",
                name=name,
                aliases=aliases,
                birth_dates=_dates(_split(row.get("birth_date"))),
                nationality=_split(row.get("nationality")),
                position=_split(row.get("position")),
                topics=_split(row.get("topics")),
            )
        except BadLine as exc:
            yield line, exc
            continue
        yield line, entry


def read_list_file(path: Path) -> tuple[str, Iterator[tuple[int, Entry | None | BadLine]]]:
    """The file's sha256 and its entries; the format is chosen by the file's extension."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AwolError(f"cannot read {path}: {exc.strerror}") from None
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AwolError(f"{path} is not UTF-8 text") from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return sha, read_csv_rows(io.StringIO(text, newline=""))
    if suffix in (".json", ".jsonl", ".ndjson", ".ftm"):
        return sha, read_ftm_lines(text.splitlines())
    raise AwolError(
        f"{path.name}: unknown list format; use .jsonl (FollowTheMoney entities) or .csv"
    )


# --- storing ------------------------------------------------------------------------------


def _check_list_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise AwolError("give the list a name with --list")
    if len(name) > MAX_LIST_NAME or not re.fullmatch(r"[\w.\-]+", name):
        raise AwolError(
            f"list names are up to {MAX_LIST_NAME} letters, digits, '.', '-' or '_'"
        )
    return name


def import_watchlist(store: Store, path: Path, list_name: str) -> ImportReport:
    """Import a list file under ``list_name``, replacing an older version atomically."""
    list_name = _check_list_name(list_name)
    sha, entries = read_list_file(Path(path))
    report = ImportReport(name=list_name)
    with store.session() as session:
        old = session.scalars(select(WatchlistRow).where(WatchlistRow.name == list_name)).first()
        if old is not None and old.sha256 == sha:
            report.unchanged = True
            report.version = old.version
            report.imported = old.entries
            return report
        if old is not None:
            # Free the name for the new version; the old row goes at the end of this transaction.
            old.name = f"{list_name}~replaced~{old.id}"
            session.flush()
        new = WatchlistRow(
            name=list_name,
            version=(old.version + 1) if old is not None else 1,
            source_file=str(path),
            sha256=sha,
            imported_at=datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),
            entries=0,
        )
        session.add(new)
        session.flush()
        batch: list[dict] = []
        for number, item in entries:
            if isinstance(item, BadLine):
                report.rejected.append((number, str(item)))
                continue
            if item is None:
                report.other_schemata += 1
                continue
            batch.append(item.row(new.id))
            if len(batch) >= BATCH:
                session.execute(insert(WatchlistEntryRow), batch)
                report.imported += len(batch)
                batch = []
        if batch:
            session.execute(insert(WatchlistEntryRow), batch)
            report.imported += len(batch)
        new.entries = report.imported
        if old is not None:
            report.replaced = old.entries
            session.execute(delete(WatchlistEntryRow).where(WatchlistEntryRow.watchlist_id == old.id))
            session.execute(delete(WatchlistRow).where(WatchlistRow.id == old.id))
        report.version = new.version
    return report


@dataclass
class ListInfo:
    name: str
    version: int
    entries: int
    imported_at: datetime
    source_file: str | None
    sha256: str


def list_watchlists(store: Store) -> list[ListInfo]:
    with store.session() as session:
        rows = session.scalars(select(WatchlistRow).order_by(WatchlistRow.name)).all()
        return [
            ListInfo(r.name, r.version, r.entries, r.imported_at, r.source_file, r.sha256)
            for r in rows
        ]


def watchlist_ids(store: Store, names: Iterable[str] | None = None) -> dict[int, str]:
    """{watchlist id: name} of the named lists (all lists when None); unknown names fail."""
    with store.session() as session:
        rows = session.execute(select(WatchlistRow.id, WatchlistRow.name)).all()
    found = {name: wid for wid, name in rows}
    if names is None:
        return {wid: name for name, wid in found.items()}
    wanted = list(dict.fromkeys(names))
    missing = [n for n in wanted if n not in found]
    if missing:
        known = ", ".join(sorted(found)) or "none imported yet"
        raise AwolError(f"no watchlist named {', '.join(missing)} (lists: {known})")
    return {found[n]: n for n in wanted}


def count_entries(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(WatchlistEntryRow)) or 0
