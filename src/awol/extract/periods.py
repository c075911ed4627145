"""The period a figure refers to: a month or year named in its sentence, resolved against
the publication date ("in oktober" in a text of 2024-12 → 2024-10; "last year" → 2023)."""

from __future__ import annotations

import re
from functools import lru_cache

from awol.extract.cues import lexicon
from awol.lexicon import month_forms

WAR_START = "2022-02"
_YEAR = re.compile(r"(?<![\d\w])((?:19|20)\d\d)(?![\d])")


@lru_cache(maxsize=None)
def _month_regex() -> re.Pattern:
    forms = sorted(month_forms(), key=len, reverse=True)
    forms = [f for f in forms if len(f) > 3]  # "mar", "may", "mai" abbreviations are too ambiguous
    return re.compile(
        r"(?<![\w])(" + "|".join(map(re.escape, forms)) + r")(?![\w])(?:\s+(?:of\s+)?((?:19|20)\d\d))?",
        re.IGNORECASE,
    )


@lru_cache(maxsize=None)
def _month_matcher():
    """The month regex, tried only where a word starts with a month's first letters."""
    from awol.extract.cues import Matcher

    return Matcher([("month", _month_regex())], start=r"(?<![\w])")


def _published_parts(published: str | None) -> tuple[int | None, int | None]:
    if not published:
        return None, None
    match = re.match(r"((?:19|20)\d\d)(?:-(\d\d))?", published)
    if not match:
        return None, None
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def find_period(sentence: str, lang: str, published: str | None) -> tuple[str, str] | None:
    """(start, end) as YYYY or YYYY-MM, or None when the sentence names no time."""
    lex = lexicon(lang)
    pub_year, pub_month = _published_parts(published)
    pub = f"{pub_year:04d}-{pub_month:02d}" if pub_year and pub_month else (str(pub_year) if pub_year else None)
    months = [m for _, m in _month_matcher().finditer(sentence, sentence.lower()) if not _is_may_verb(m, lang)]
    years = [int(y) for y in _YEAR.findall(sentence)]
    if lex.periods.get("since_war") and lex.periods["since_war"].search(sentence):
        return WAR_START, pub or WAR_START
    if months:
        found = months[0]
        month = month_forms()[found.group(1).lower()]
        year = int(found.group(2)) if found.group(2) else None
        if year is None:
            year = years[0] if years else _year_for_month(month, pub_year, pub_month)
        if year is None:
            return None
        # "from September 2022 to May 2024"
        if len(months) > 1 and months[1].group(2):
            end_month = month_forms()[months[1].group(1).lower()]
            end = f"{int(months[1].group(2)):04d}-{end_month:02d}"
            return f"{year:04d}-{month:02d}", end
        value = f"{year:04d}-{month:02d}"
        return value, value
    if years:
        if len(years) > 1 and years[-1] > years[0]:
            return str(years[0]), str(years[-1])
        return str(years[0]), str(years[0])
    if lex.periods.get("war_start") and lex.periods["war_start"].search(sentence):
        return "2022", "2022"
    if pub_year and lex.periods.get("last_year") and lex.periods["last_year"].search(sentence):
        return str(pub_year - 1), str(pub_year - 1)
    if pub_year and lex.periods.get("this_year") and lex.periods["this_year"].search(sentence):
        return str(pub_year), str(pub_year)
    return None


def _year_for_month(month: int, pub_year: int | None, pub_month: int | None) -> int | None:
    if pub_year is None:
        return None
    if pub_month is not None and month > pub_month:
        return pub_year - 1
    return pub_year


def _is_may_verb(match: re.Match, lang: str) -> bool:
    word = match.group(1)
    return lang == "en" and word.lower() == "may" and not match.group(2) and word == "may"
