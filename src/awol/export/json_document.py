"""`--format json`: the knowledge base as one JSON document.

    {"format": "awol-knowledge-base", "version": 1,
     "documents": [{id, sha256, path, format, title, language, published, outlet, url,
                    size_bytes, ingested_at, text, figures, units, persons, sources_cited}],
     "units": [{id, name_en, name_ru, …, aliases}],
     "verdicts": [{id, date, court, region, article, part, sentence, unit_as_written,
                   unit_id, unit_name_en, source_file, source_sha256, source_row}]}

Figures, unit mentions and persons have the shape `awol extract` prints. The document is
written one item a line, as it is read, so it is streamed whatever the size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TextIO

from sqlalchemy.engine import Connection

from awol.export import reading
from awol.model import Figure, PersonMention, UnitRef

FORMAT_NAME = "awol-knowledge-base"
VERSION = 1


def write(connection: Connection, out: TextIO) -> int:
    """Write the document; return the number of documents, units and verdicts written."""
    out.write(json.dumps({"format": FORMAT_NAME, "version": VERSION})[:-1])
    count = 0
    count += _array(out, "documents", (_document(d) for d in reading.documents_with_children(connection)))
    count += _array(out, "units", reading.units(connection))
    count += _array(out, "verdicts", reading.verdicts(connection))
    out.write("\n}\n")
    return count


def _array(out: TextIO, name: str, items: Iterable[dict[str, Any]]) -> int:
    out.write(f',\n"{name}": [')
    count = 0
    for item in items:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(item, ensure_ascii=False, default=_plain))
        count += 1
    out.write("\n]" if count else "]")
    return count


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _document(doc: dict[str, Any]) -> dict[str, Any]:
    doc["figures"] = [_figure(f) for f in doc["figures"]]
    doc["units"] = [
        UnitRef(m.mention, m.unit_id, m.unit_name_en, _span(m)).to_dict() for m in doc["units"]
    ]
    doc["persons"] = [PersonMention(p.name, p.role, _span(p)).to_dict() for p in doc["persons"]]
    doc["sources_cited"] = [s.name for s in doc["sources_cited"]]
    return doc


def _figure(row: dict[str, Any]) -> dict[str, Any]:
    figure = Figure(
        category=row["category"],
        value=row["value"],
        quote=row["quote"],
        span=(row["span_start"], row["span_end"]),
        qualifier=row["qualifier"],
        measure=row["measure"],
        army=row["army"],
        unit_id=row["unit_id"],
        unit_name_en=row["unit_name_en"],
        unit_mention=row["unit_mention"],
        subunit=bool(row["subunit"]),
        period_start=row["period_start"],
        period_end=row["period_end"],
    )
    return {"id": row["id"], **figure.to_dict()}


def _span(row) -> tuple[int, int] | None:
    return (row.span_start, row.span_end) if row.span_start is not None else None
