"""Writing the knowledge base out: `json` (one document), `csv` (one table), `ftm` (entities).

Each format's module says what it writes (`json_document`, `tables`, `ftm`). Every format
is streamed from the database to the output; a file named with ``out`` appears whole or not
at all (it is written beside and renamed).
"""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

from awol.errors import AwolError
from awol.export import ftm, json_document, tables
from awol.store.db import Store

FORMATS = ("ftm", "csv", "json")
TABLES = tuple(tables.TABLES)


def export(
    store: Store, fmt: str, out: TextIO | str | Path | None = None, *, table: str | None = None
) -> int:
    """Write the knowledge base in ``fmt`` to ``out`` (a text stream, a file path, or None
    for stdout); return the number of records written (entities, rows or items)."""
    if fmt not in FORMATS:
        raise AwolError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if table is not None and fmt != "csv":
        raise AwolError("--table chooses the table of a CSV export; use it with --format csv")
    if table is not None and table not in tables.TABLES:
        raise AwolError(f"unknown table {table!r}: choose one of {', '.join(TABLES)}")
    with _output(out) as stream, store.engine.connect() as connection:
        if fmt == "json":
            return json_document.write(connection, stream)
        if fmt == "csv":
            return tables.write(connection, stream, table or tables.DEFAULT_TABLE)
        return ftm.write(connection, stream)


@contextmanager
def _output(out: TextIO | str | Path | None) -> Iterator[TextIO]:
    if out is None:
        yield sys.stdout
        return
    if not isinstance(out, (str, Path)):
        yield out
        return
    path = Path(out)
    if path.is_dir():
        raise AwolError(f"{path} is a folder: name the file to write")
    if not path.parent.is_dir():
        raise AwolError(f"cannot write {path}: the folder {path.parent} does not exist")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise AwolError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise AwolError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
