"""Publication dates: from metadata, a leading `date` line, or a date near the top of the text."""

from __future__ import annotations

import re
from datetime import date

from awol.lexicon import month_forms

_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?\b")
_DOTTED = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d\d)\b")
_WORDY = re.compile(r"\b(\d{1,2})\.?\s+([^\W\d_]{3,12})\.?,?\s+((?:19|20)\d\d)\b")
_MONTH_YEAR = re.compile(r"\b([^\W\d_]{3,12})\s+((?:19|20)\d\d)\b")


def normalise_date(value: str | None) -> str | None:
    """Bring a date string into ISO form YYYY, YYYY-MM or YYYY-MM-DD, or None if it is not one."""
    if not value:
        return None
    value = value.strip()
    for found in (_ISO.search(value), _DOTTED.search(value), _WORDY.search(value)):
        if found:
            parsed = _from_match(found)
            if parsed:
                return parsed
    year = re.fullmatch(r"(?:19|20)\d\d", value)
    return year.group(0) if year else None


def _valid(year: int, month: int, day: int | None) -> bool:
    try:
        date(year, month, day or 1)
    except ValueError:
        return False
    return True


def _from_match(found: re.Match) -> str | None:
    pattern = found.re
    if pattern is _ISO:
        year, month = int(found.group(1)), int(found.group(2))
        day = int(found.group(3)) if found.group(3) else None
    elif pattern is _DOTTED:
        day, month, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
    else:
        month = month_forms().get(found.group(2).lower())
        if month is None:
            return None
        day, year = int(found.group(1)), int(found.group(3))
    if not _valid(year, month, day):
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def find_date_in_text(text: str, window: int = 400) -> str | None:
    """The first full date in the first few hundred characters (a dateline), if any."""
    head = text[:window]
    candidates = []
    for pattern in (_ISO, _DOTTED, _WORDY):
        for found in pattern.finditer(head):
            parsed = _from_match(found)
            if parsed:
                candidates.append((found.start(), parsed))
                break
    if candidates:
        return min(candidates)[1]
    for found in _MONTH_YEAR.finditer(head):
        month = month_forms().get(found.group(1).lower())
        if month:
            return f"{int(found.group(2)):04d}-{month:02d}"
    return None
