"""Cited sources: outlets and organisations from `awol/sources/outlets.csv`, by name or alias,
tolerant of case (for longer names) and of Cyrillic inflection ("Медиазоны", "Медиазоне")."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

OUTLETS_CSV = Path(__file__).resolve().parent.parent / "sources" / "outlets.csv"
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_CYR_ENDING = re.compile(r"[аяоеыиуюйьі]$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _matchers() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    """(case-sensitive regex, case-insensitive regex, alias key → English name)."""
    exact: list[str] = []
    loose: list[str] = []
    names: dict[str, str] = {}
    with OUTLETS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["name"].strip()
            forms = [name] + [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
            for form in forms:
                key = form.lower()
                names.setdefault(key, name)
                body = re.escape(form)
                if _CYRILLIC.search(form):
                    # Inflected endings: "Медиазона" → "Медиазон(ы|е|у|ой)".
                    stem = _CYR_ENDING.sub("", form)
                    names.setdefault(stem.lower(), name)
                    exact.append(f"{re.escape(stem)}[а-яёіїєґ]{{0,3}}")
                    continue
                # Short or common-word names ("CIT", "NV", "Connection", "Insider") match in their
                # own case only; longer distinctive names in any case.
                if len(form) <= 4 or form.lower() in _COMMON_WORDS or " " not in form and form[0].isupper() and len(form) < 9:
                    exact.append(body)
                else:
                    loose.append(body)
    def build(parts: list[str], flags: int) -> re.Pattern:
        alt = "|".join(sorted(parts, key=len, reverse=True)) or "(?!)"
        return re.compile(rf"(?<![\w@/.])(?:{alt})(?![\w])", flags)
    return build(exact, 0), build(loose, re.IGNORECASE), names


_COMMON_WORDS = {"connection", "insider", "the insider", "get lost", "nos", "nrc", "ard", "ria", "spiegel"}


@lru_cache(maxsize=1)
def _matcher():
    from awol.extract.cues import Matcher

    exact, loose, _ = _matchers()
    return Matcher([("exact", exact), ("loose", loose)], start=r"(?<![\w@/.])")


def find_sources(text: str, lower: str | None = None) -> list[str]:
    """English names of cited outlets and organisations, in order of first mention."""
    _, _, names = _matchers()
    found: list[tuple[int, str]] = []
    for _, match in _matcher().finditer(text, lower if lower is not None else text.lower()):
        name = _name_for(match.group(0), names)
        if name:
            found.append((match.start(), name))
    found.sort()
    return list(dict.fromkeys(name for _, name in found))


def _name_for(mention: str, names: dict[str, str]) -> str | None:
    key = mention.lower()
    if key in names:
        return names[key]
    # An inflected Cyrillic form: try shorter stems.
    for cut in range(1, 4):
        stem = key[:-cut]
        if stem in names:
            return names[stem]
    return None
