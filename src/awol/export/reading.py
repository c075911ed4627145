"""Streamed reads of the knowledge base, shared by the export formats.

Every query is ordered, so that exports are stable, and streamed (`yield_per`), so that
the size of the knowledge base does not decide the memory used. Child rows (figures,
mentions…) are ordered by document and attached by a merge, not one query per document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.engine import Connection, Row

from awol.store.schema import (
    CitedSourceRow,
    DocumentRow,
    FigureRow,
    OutletRow,
    PersonMentionRow,
    UnitAliasRow,
    UnitMentionRow,
    UnitRow,
    VerdictRow,
)

BATCH = 500

DOCUMENT_COLUMNS = (
    "id", "sha256", "path", "format", "title", "language", "published", "outlet", "url",
    "size_bytes", "ingested_at", "text",
)
UNIT_COLUMNS = (
    "id", "name_en", "name_ru", "type", "echelon", "parent_id", "military_unit_number",
    "garrison", "district_or_army", "source_url",
)
VERDICT_COLUMNS = (
    "id", "date", "court", "region", "article", "part", "sentence", "unit_as_written",
    "unit_id", "source_file", "source_sha256", "source_row",
)


def stream(connection: Connection, statement: Select) -> Iterator[Row]:
    yield from connection.execution_options(yield_per=BATCH).execute(statement)


def documents(connection: Connection) -> Iterator[Row]:
    columns = [getattr(DocumentRow, name) for name in DOCUMENT_COLUMNS]
    return stream(connection, select(*columns).order_by(DocumentRow.id))


def figures(connection: Connection) -> Iterator[dict[str, Any]]:
    """Figures with their document's identity and their unit's English name."""
    statement = (
        select(
            *FigureRow.__table__.columns,
            DocumentRow.sha256.label("document_sha256"),
            DocumentRow.title.label("document_title"),
            DocumentRow.outlet.label("document_outlet"),
            DocumentRow.published.label("document_published"),
            DocumentRow.language.label("document_language"),
            DocumentRow.url.label("document_url"),
            UnitRow.name_en.label("unit_name_en"),
        )
        .join(DocumentRow, FigureRow.document_id == DocumentRow.id)
        .outerjoin(UnitRow, FigureRow.unit_id == UnitRow.id)
        .order_by(FigureRow.document_id, FigureRow.id)
    )
    for row in stream(connection, statement):
        yield dict(row._mapping)


def unit_mentions(connection: Connection) -> Iterator[Row]:
    statement = (
        select(UnitMentionRow.document_id, UnitMentionRow.unit_id, UnitMentionRow.mention,
               UnitMentionRow.span_start, UnitMentionRow.span_end,
               UnitRow.name_en.label("unit_name_en"))
        .join(UnitRow, UnitMentionRow.unit_id == UnitRow.id)
        .order_by(UnitMentionRow.document_id, UnitMentionRow.id)
    )
    return stream(connection, statement)


def persons(connection: Connection) -> Iterator[Row]:
    statement = (
        select(
            PersonMentionRow.id, PersonMentionRow.document_id, PersonMentionRow.name,
            PersonMentionRow.role, PersonMentionRow.span_start, PersonMentionRow.span_end,
            DocumentRow.sha256.label("document_sha256"),
            DocumentRow.title.label("document_title"),
            DocumentRow.published.label("document_published"),
        )
        .join(DocumentRow, PersonMentionRow.document_id == DocumentRow.id)
        .order_by(PersonMentionRow.document_id, PersonMentionRow.id)
    )
    return stream(connection, statement)


def cited_sources(connection: Connection) -> Iterator[Row]:
    statement = select(CitedSourceRow.document_id, CitedSourceRow.name).order_by(
        CitedSourceRow.document_id, CitedSourceRow.id
    )
    return stream(connection, statement)


def cited_source_names(connection: Connection) -> Iterator[Row]:
    """Each source cited anywhere, once, with what the outlets table knows of it."""
    names = select(CitedSourceRow.name).distinct().subquery()
    statement = (
        select(names.c.name, OutletRow.kind, OutletRow.country, OutletRow.reliability)
        .outerjoin(OutletRow, OutletRow.name == names.c.name)
        .order_by(names.c.name)
    )
    return stream(connection, statement)


def units(connection: Connection) -> Iterator[dict[str, Any]]:
    """Units with their aliases (a list), ordered by id."""
    columns = [getattr(UnitRow, name) for name in UNIT_COLUMNS]
    aliases = stream(
        connection,
        select(UnitAliasRow.unit_id, UnitAliasRow.alias).order_by(
            UnitAliasRow.unit_id, UnitAliasRow.alias
        ),
    )
    rows = stream(connection, select(*columns).order_by(UnitRow.id))
    for row, unit_aliases in attach(rows, aliases, key=lambda r: r.id, child_key=lambda a: a.unit_id):
        yield {**row._mapping, "aliases": [a.alias for a in unit_aliases]}


def verdicts(connection: Connection) -> Iterator[dict[str, Any]]:
    columns = [getattr(VerdictRow, name) for name in VERDICT_COLUMNS]
    statement = (
        select(*columns, UnitRow.name_en.label("unit_name_en"))
        .outerjoin(UnitRow, VerdictRow.unit_id == UnitRow.id)
        .order_by(VerdictRow.source_sha256, VerdictRow.source_row)
    )
    for row in stream(connection, statement):
        yield dict(row._mapping)


def attach(
    parents: Iterable[Any],
    children: Iterable[Any],
    *,
    key: Callable[[Any], Any],
    child_key: Callable[[Any], Any],
) -> Iterator[tuple[Any, list[Any]]]:
    """Pair each parent with its children; both streams are sorted by the same key."""
    children = iter(children)
    pending = next(children, None)
    for parent in parents:
        own = key(parent)
        found = []
        while pending is not None and child_key(pending) < own:
            pending = next(children, None)  # an orphan (cannot happen with foreign keys)
        while pending is not None and child_key(pending) == own:
            found.append(pending)
            pending = next(children, None)
        yield parent, found


def documents_with_children(connection: Connection) -> Iterator[dict[str, Any]]:
    """Each document with its figures, unit mentions, persons and cited sources."""
    docs: Iterator[dict[str, Any]] = (dict(row._mapping) for row in documents(connection))
    for name, rows, child_key in (
        ("figures", figures(connection), lambda f: f["document_id"]),
        ("units", unit_mentions(connection), lambda m: m.document_id),
        ("persons", persons(connection), lambda p: p.document_id),
        ("sources_cited", cited_sources(connection), lambda s: s.document_id),
    ):
        docs = _attach_as(name, docs, rows, child_key)
    yield from docs


def _attach_as(name, docs, rows, child_key) -> Iterator[dict[str, Any]]:
    for doc, found in attach(docs, rows, key=lambda d: d["id"], child_key=child_key):
        doc[name] = found
        yield doc
