"""Ingest a batch of files: read, extract, store.

A document is stored whole (its row and everything extracted from it) or not at all, so a
killed process leaves no half-written document, and a re-run stores only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from awol.ingest.readers import DEFAULT_MAX_BYTES, UnreadableFile, format_of, read_document
from awol.model import Document, Extraction
from awol.store.db import Store
from awol.store.schema import (
    CitedSourceRow,
    DocumentRow,
    FigureRow,
    PersonMentionRow,
    UnitMentionRow,
)

Extractor = Callable[[Document], Extraction]
# Documents per transaction: large enough to spread the commit's fsync, small enough that a
# killed run has little to redo.
BATCH_SIZE = 50


@dataclass
class IngestReport:
    stored: list[tuple[str, int]] = field(default_factory=list)  # (path, figures stored)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    skipped: list[str] = field(default_factory=list)  # unsupported files met inside folders

    @property
    def figures(self) -> int:
        return sum(n for _, n in self.stored)


def collect_files(paths: Iterable[Path], report: IngestReport) -> list[Path]:
    """Files named, and supported files inside folders (recursively, in a stable order)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.name.startswith(".") or any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if format_of(child):
                    files.append(child)
                else:
                    report.skipped.append(str(child))
        elif path.exists():
            files.append(path)
        else:
            report.failed.append((str(path), "no such file or folder"))
    return files


def ingest_files(
    store: Store,
    files: list[Path],
    report: IngestReport,
    *,
    extractor: Extractor | None = None,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Path]:
    """Ingest each file, yielding it when done (for a progress bar).

    Documents are written in batches, each batch one transaction: a killed process loses at
    most the batch in hand (a re-run stores it), never part of a document.
    """
    pending: list[tuple[str, Document, Extraction]] = []
    in_batch: set[str] = set()
    for path in files:
        try:
            document = read_document(path, encoding=encoding, max_bytes=max_bytes)
        except UnreadableFile as exc:
            report.failed.append((str(path), str(exc)))
            yield path
            continue
        if document.sha256 in in_batch or _is_stored(store, document.sha256):
            report.unchanged.append(str(path))
            yield path
            continue
        extraction = extractor(document) if extractor else Extraction()
        pending.append((str(path), document, extraction))
        in_batch.add(document.sha256)
        if len(pending) >= batch_size:
            yield from _flush(store, pending, report)
            in_batch.clear()
    yield from _flush(store, pending, report)



def _is_stored(store: Store, sha256: str) -> bool:
    with store.session() as session:
        return session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256)) is not None


def _flush(store: Store, pending: list, report: IngestReport) -> Iterator[Path]:
    if not pending:
        return
    try:
        store_documents(store, [(doc, extraction) for _, doc, extraction in pending])
        for path, _, extraction in pending:
            report.stored.append((path, len(extraction.figures)))
    except IntegrityError:
        # Another process stored some of the same bytes meanwhile: go one by one.
        for path, document, extraction in pending:
            try:
                store_documents(store, [(document, extraction)])
                report.stored.append((path, len(extraction.figures)))
            except IntegrityError:
                report.unchanged.append(path)
    done = [Path(path) for path, _, _ in pending]
    pending.clear()
    yield from done


def store_document(store: Store, document: Document, extraction: Extraction) -> int:
    """Write one document and what was extracted from it in one transaction; return its id."""
    return store_documents(store, [(document, extraction)])[0]


def store_documents(store: Store, items: list[tuple[Document, Extraction]]) -> list[int]:
    """Write documents and what was extracted from them, all in one transaction."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    ids: list[int] = []
    figures, units, persons, sources = [], [], [], []
    with store.session() as session:
        for document, extraction in items:
            row = DocumentRow(
                sha256=document.sha256,
                path=document.path,
                format=document.format,
                title=document.title,
                language=document.language,
                published=document.published,
                outlet=document.outlet,
                url=document.url,
                size_bytes=document.size_bytes,
                text=document.text,
                ingested_at=now,
            )
            session.add(row)
            session.flush()
            ids.append(row.id)
            figures += [_figure_row(row.id, f) for f in extraction.figures]
            units += [
                {"document_id": row.id, "unit_id": u.unit_id, "mention": u.mention,
                 "span_start": u.span[0] if u.span else None, "span_end": u.span[1] if u.span else None}
                for u in extraction.units
            ]
            persons += [
                {"document_id": row.id, "name": p.name, "role": p.role,
                 "span_start": p.span[0] if p.span else None, "span_end": p.span[1] if p.span else None}
                for p in extraction.persons
            ]
            sources += [{"document_id": row.id, "name": n} for n in dict.fromkeys(extraction.sources_cited)]
        # One multi-row statement per table: far cheaper than an ORM object per row.
        for table, rows in (
            (FigureRow, figures), (UnitMentionRow, units), (PersonMentionRow, persons),
            (CitedSourceRow, sources),
        ):
            if rows:
                session.execute(insert(table), rows)
    return ids


def _figure_row(document_id: int, figure) -> dict:
    return {
        "document_id": document_id,
        "category": figure.category,
        "value": figure.value,
        "qualifier": figure.qualifier,
        "measure": figure.measure,
        "army": figure.army,
        "unit_id": figure.unit_id,
        "unit_mention": figure.unit_mention,
        "subunit": figure.subunit,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "quote": figure.quote,
        "span_start": figure.span[0],
        "span_end": figure.span[1],
    }
