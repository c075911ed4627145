"""Small language tables shared by ingest and extraction (data files beside this module)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent


@lru_cache(maxsize=1)
def month_forms() -> dict[str, int]:
    """Every month word (lower case, any of the six languages) → month number."""
    forms: dict[str, int] = {}
    with (DATA / "months.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for form in row["forms"].split(";"):
                forms[form.strip().lower()] = int(row["month"])
    return forms
