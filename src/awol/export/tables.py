"""`--format csv`: one table as a flat CSV (UTF-8, header line, one row a record).

`figures` (the default) carries its document's sha256, title, outlet and date and its
unit's English name, so the file stands on its own in a spreadsheet.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy.engine import Connection

from awol.export import reading

FIGURE_COLUMNS = (
    "id", "document_sha256", "document_title", "document_outlet", "document_published",
    "document_language", "category", "value", "qualifier", "measure", "army", "unit_id",
    "unit_name_en", "unit_mention", "subunit", "period_start", "period_end", "quote",
    "span_start", "span_end",
)
PERSON_COLUMNS = (
    "id", "document_sha256", "document_title", "document_published", "name", "role",
    "span_start", "span_end",
)
TABLES: dict[str, tuple[str, ...]] = {
    "figures": FIGURE_COLUMNS,
    "documents": reading.DOCUMENT_COLUMNS,
    "units": reading.UNIT_COLUMNS + ("aliases",),
    "verdicts": reading.VERDICT_COLUMNS + ("unit_name_en",),
    "persons": PERSON_COLUMNS,
}
DEFAULT_TABLE = "figures"


def write(connection: Connection, out: TextIO, table: str = DEFAULT_TABLE) -> int:
    """Write the table; return the number of rows written."""
    columns = TABLES[table]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for record in _records(connection, table):
        writer.writerow([_cell(record.get(column)) for column in columns])
        count += 1
    return count


def _records(connection: Connection, table: str) -> Iterator[dict[str, Any]]:
    if table == "figures":
        return reading.figures(connection)
    if table == "documents":
        return (dict(row._mapping) for row in reading.documents(connection))
    if table == "units":
        return ({**unit, "aliases": ";".join(unit["aliases"])} for unit in reading.units(connection))
    if table == "verdicts":
        return reading.verdicts(connection)
    return (dict(row._mapping) for row in reading.persons(connection))


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
