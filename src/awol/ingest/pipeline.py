"""Ingest a batch of files: read, extract, store — one document per transaction.

A document is stored whole (its row and everything extracted from it) or not at all, so a
killed process leaves no half-written document, and a re-run stores only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
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
) -> Iterator[Path]:
    """Ingest each file, yielding it when done (for a progress bar)."""
    for path in files:
        try:
            _ingest_one(store, path, report, extractor, encoding, max_bytes)
        except UnreadableFile as exc:
            report.failed.append((str(path), str(exc)))
        yield path


def _ingest_one(store, path, report, extractor, encoding, max_bytes) -> None:
    document = read_document(path, encoding=encoding, max_bytes=max_bytes)
    with store.session() as session:
        known = session.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == document.sha256))
    if known is not None:
        report.unchanged.append(str(path))
        return
    extraction = extractor(document) if extractor else Extraction()
    try:
        store_document(store, document, extraction)
    except IntegrityError:
        # Another process stored the same bytes between our check and our insert.
        report.unchanged.append(str(path))
        return
    report.stored.append((str(path), len(extraction.figures)))


def store_document(store: Store, document: Document, extraction: Extraction) -> int:
    """Write a document and what was extracted from it in one transaction; return its id."""
    with store.session() as session:
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
            ingested_at=datetime.now(timezone.utc).replace(tzinfo=None),
        )
        session.add(row)
        session.flush()
        for figure in extraction.figures:
            session.add(
                FigureRow(
                    document_id=row.id,
                    category=figure.category,
                    value=figure.value,
                    qualifier=figure.qualifier,
                    measure=figure.measure,
                    army=figure.army,
                    unit_id=figure.unit_id,
                    unit_mention=figure.unit_mention,
                    subunit=figure.subunit,
                    period_start=figure.period_start,
                    period_end=figure.period_end,
                    quote=figure.quote,
                    span_start=figure.span[0],
                    span_end=figure.span[1],
                )
            )
        for unit in extraction.units:
            session.add(
                UnitMentionRow(
                    document_id=row.id,
                    unit_id=unit.unit_id,
                    mention=unit.mention,
                    span_start=unit.span[0] if unit.span else None,
                    span_end=unit.span[1] if unit.span else None,
                )
            )
        for person in extraction.persons:
            session.add(
                PersonMentionRow(
                    document_id=row.id,
                    name=person.name,
                    role=person.role,
                    span_start=person.span[0] if person.span else None,
                    span_end=person.span[1] if person.span else None,
                )
            )
        for name in dict.fromkeys(extraction.sources_cited):
            session.add(CitedSourceRow(document_id=row.id, name=name))
        session.flush()
        return row.id
