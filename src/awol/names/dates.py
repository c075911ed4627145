"""Birth dates as vetting sources give them: a year, a month, or a day, sometimes with day
and month swapped (US vs European order)."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from awol.errors import AwolError

MIN_YEAR = 1900


class InvalidDateError(AwolError, ValueError):
    """A birth date that is not YYYY, YYYY-MM or YYYY-MM-DD (or DD.MM.YYYY), or no real date."""


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
        if self.day:
            out += f"-{self.day:02d}"
        return out


_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_date(value: object) -> PartialDate | None:
    """``None`` or ``""`` → ``None``; ``"1975"``, ``"1975-04"``, ``"1975-04-23"`` (and the Russian
    ``"23.04.1975"``) → a ``PartialDate``; anything else raises ``InvalidDateError``."""
    if value is None:
        return None
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, _dt.date):
        return PartialDate(value.year, value.month, value.day)
    text = str(value).strip()
    if not text:
        return None
    shown = text if len(text) <= 40 else text[:37] + "..."
    m = _ISO.match(text)
    if m:
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
    else:
        m = _DOTTED.match(text)
        if not m:
            raise InvalidDateError(f"invalid birth date {shown!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
        day, month, year = m.group(1), m.group(2), int(m.group(3))
    this_year = _dt.date.today().year
    if not MIN_YEAR <= year <= this_year:
        raise InvalidDateError(f"invalid birth date {shown!r}: year must be between {MIN_YEAR} and {this_year}")
    mon = int(month) if month else None
    d = int(day) if day else None
    if mon is not None and not 1 <= mon <= 12:
        raise InvalidDateError(f"invalid birth date {shown!r}: month must be 1-12")
    if d is not None:
        try:
            _dt.date(year, mon or 1, d)
        except ValueError:
            raise InvalidDateError(f"invalid birth date {shown!r}: no such day") from None
    return PartialDate(year, mon, d)


# Outcomes of comparing two birth dates.
ABSENT = "absent"
EXACT = "exact"
SWAPPED = "swapped"
PARTIAL = "partial"
CONFLICT = "conflict"


def compare_dates(a: PartialDate | None, b: PartialDate | None) -> tuple[str, str]:
    """(outcome, sentence) for two birth dates."""
    if a is None or b is None:
        return ABSENT, "birth date: not given on both sides (neutral)"
    if a.year != b.year:
        return CONFLICT, f"birth date: {a} vs {b} differ (evidence against: a namesake)"
    if a.month and b.month and a.day and b.day:
        if (a.month, a.day) == (b.month, b.day):
            return EXACT, f"birth date: {a} identical (evidence for)"
        if (a.month, a.day) == (b.day, b.month):
            return SWAPPED, f"birth date: {a} ~ {b}, day and month swapped (evidence for)"
        return CONFLICT, f"birth date: {a} vs {b} differ (evidence against: a namesake)"
    if a.month and b.month and a.month != b.month:
        # One side may give the day as month (swap) when the other lacks the day.
        other_day = a.day or b.day
        if other_day is None or other_day not in (a.month, b.month):
            return CONFLICT, f"birth date: {a} vs {b} differ (evidence against: a namesake)"
    return PARTIAL, f"birth date: {a} ~ {b} agree as far as both go (weak evidence for)"
