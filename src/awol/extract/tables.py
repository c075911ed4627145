"""Tables in running text, read by structure rather than by grammar.

A table row is a line whose tail is a run of value cells (numbers, or empty markers "–",
"n.d.") separated by "|", ";", tabs, runs of spaces, " / " or dashes, after a row label:

    Eingang Art. 337 (unerlaubtes Entfernen)            6'870         9'412
    Київ і Київська область; 9 412; 611
    1st Motor Rifle Battalion: 41 / 12 / 9
    Дезертирство (ст. 338 УК РФ): 87              (a key–value line: one cell after a colon)

The header line above a block of rows names the columns: categories ("Maand | gedeserteerd |
teruggekeerd", "Регіон; ст. 407; ст. 408", "… in the format AWOL / detained / returned:") or
periods ("2022  2023  2024  2025*", "1. Hj. 2024   1. Hj. 2025"). Columns are aligned from the
right, so a header may or may not have a cell over the row labels. A cell's category comes
from its column, else from its row label (category words, article numbers, verdicts); sub-rows
("darunter", "dont", "waarvan", "в т.ч.", "у т.ч.", "of which") take their own label's
category when it names one, else the parent row's. Acquittals are never figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Between two value cells: separators, empty cells, footnote marks, nothing else.
_GAP = re.compile(r"(?:[\s|;/:*\t]|[–—-]|n\.\s?d\.|n\.\s?a\.|n/a|k\.\s?A\.|н/д)*", re.I)
# An empty cell: a dash standing in a column (runs of spaces or bars around it, not " — " used
# as a separator), or a "n.d." word.
_EMPTY = re.compile(
    r"(?:(?<=\s\s)|(?<=[|;\t])|(?<=[|;\t]\s))[–—-](?=\s\s|\s*[|;\t]|\s*$)|"
    r"(?<![^\W\d_])(?:n\.\s?d\.|n\.\s?a\.|n/a|k\.\s?A\.|н/д)", re.I)
# A full stop after a word of five letters or more ends a sentence: prose, not a row label.
_SENTENCE_END = re.compile(r"[^\W\d_]{5,}[.!?]\s")
_LABEL_TRAIL = re.compile(
    r"(?:(?:[\s|;:\t]|(?<=\s)(?:[–—-]|n\.\s?d\.|n/a|н/д)(?=\s|$)))*$", re.I)
_HEADER_SPLIT = re.compile(r"\s*[|;\t]\s*|\s{2,}|\s+[/—–]\s+")
_SUBROW = re.compile(
    r"^\s*(?:darunter|davon|waarvan|daarvan|dont|of which|including|incl\.|в\s?т\.\s?ч\.|у\s?т\.\s?ч\.|"
    r"в том числе|у тому числі|из них|з них|із них)\s*:?\s*", re.I)
_ACQUITTAL = re.compile(r"freispr|freigespr|acquitt|оправда|виправда|vrijspr|vrijgespro|relaxe", re.I)
_VERDICT = re.compile(
    r"(?<![^\W\d_])(?:urteil\w*|verurteil\w*|bewährung\w*|verdicts?|sentences?|convictions?|convicted|"
    r"vonnis\w*|veroordel\w*|jugements?|condamn\w*|sursis|приговор\w*|осужд\w*|условн\w*|вирок\w*|"
    r"засудж\w*|умовн\w*)", re.I)
_ARTICLE = re.compile(r"(?<![^\W\d_])(?:ст\.|стат\w*|art\.?|article|artikel|§)\s*(\d{3})(?!\d)", re.I)
_ARTICLE_CATEGORY = {"337": "awol", "407": "awol", "338": "deserted", "408": "deserted", "332": "refused"}
_UA_ARTICLE = re.compile(r"(?<![^\W\d_])(?:ст\.|стат\w*|art\.?|article|artikel|§)\s*40[78](?!\d)", re.I)
_REGION = re.compile(
    r"област|(?<![^\W\d_])обл\.|oblast|region|région|gebiet|provin|(?<![^\W\d_])край|республик|"
    r"[^\W\d_]{3,}(?:ська|ская|цька|зька)(?![^\W\d_])", re.I)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_MAX_LABEL = 70


@dataclass
class Row:
    start: int  # the line, document offsets
    end: int
    label: str
    cells: list  # NumberMention or None (empty cell), left to right
    colon: bool  # "Label: value"
    categories: list = field(default_factory=list)
    periods: list = field(default_factory=list)
    ua: bool = False
    region: bool = False
    headed: bool = False  # the block has a header line naming its columns
    acquittal: bool = False
    block_start: int = 0


def _article_category(text: str) -> str | None:
    m = _ARTICLE.search(text)
    return _ARTICLE_CATEGORY.get(m.group(1)) if m else None


def _parse_row(text: str, start: int, end: int, numbers: list) -> Row | None:
    """The row whose value cells end the line, or None."""
    inside = [n for n in numbers if start <= n.start and n.end <= end]
    if not inside:
        return None
    pos = end
    cells: list = []
    first = None
    for n in reversed(inside):
        gap = text[n.end:pos]
        if not _GAP.fullmatch(gap):
            break
        if cells and not gap:
            break
        empties = len(_EMPTY.findall(gap))
        cells = [n] + [None] * empties + cells
        pos = n.start
        first = n
    if first is None:
        return None
    label_part = text[start:first.start]
    trail = _LABEL_TRAIL.search(label_part)
    label = label_part[:trail.start()] if trail else label_part
    sep = label_part[len(label):]
    cells = [None] * len(_EMPTY.findall(sep)) + cells
    values = [c for c in cells if c is not None]
    colon = ":" in sep
    if len(label) > _MAX_LABEL or _SENTENCE_END.search(label + " "):
        return None
    if len(cells) < 2 and not colon:
        return None
    if len(cells) >= 2 and not (sep.strip() or len(sep) >= 2 or not label.strip()):
        return None  # "… wounded 26 71"? a label glued to the first value is prose
    if colon and len(cells) == 1 and (";" in label or ": " in label):
        return None
    if text[end - 1:end] == "." and not values[-1].end == end:
        return None
    return Row(start, end, label.strip(), cells, colon)


def _is_year_row(row: Row) -> bool:
    raw = [c for c in row.cells if c is not None]
    return bool(raw) and all(1990 <= c.value <= 2100 and not c.words for c in raw) and len(raw) >= 2


def _lines(text: str):
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


class Tables:
    """Rows of every table in a text: number start → (category, period, row)."""

    def __init__(self, text: str, numbers: list, header_category, period_of) -> None:
        self.text = text
        self.cells: dict[int, tuple[str | None, object, Row]] = {}
        self.lines: list[tuple[int, int]] = []  # spans of table rows
        self._header_category = header_category
        self._period_of = period_of
        if not numbers:
            return
        self._read(numbers)

    def _category(self, cell: str) -> str | None:
        if _ACQUITTAL.search(cell):
            return None
        if _VERDICT.search(cell):
            return "convicted"
        return _article_category(cell) or self._header_category(cell)

    def _header(self, line: str, width: int, colon_prose: bool) -> tuple[list, list] | None:
        """(categories, periods) of the last `width` columns named by a header line."""
        parts = [p for p in _HEADER_SPLIT.split(line.strip()) if p.strip()]
        if colon_prose:
            parts = [p.strip().rstrip(":").strip() for p in parts]
            if parts:
                parts[0] = " ".join(parts[0].split()[-3:])
        if len(parts) < width or width < 1:
            return None
        parts = parts[-width:]
        categories = [self._category(p) for p in parts]
        periods = []
        for p in parts:
            period = self._period_of(p)
            if period is None:
                year = _YEAR.search(p)
                period = (year.group(1), year.group(1)) if year else None
            periods.append(period)
        if not any(categories) and not any(periods):
            return None
        return categories, periods

    def _read(self, numbers: list) -> None:
        text = self.text
        lines = list(_lines(text))
        rows: list[Row | None] = [_parse_row(text, s, e, numbers) if text[s:e].strip() else None
                                  for s, e, _ in lines]
        i = 0
        while i < len(lines):
            row = rows[i]
            if row is None or _is_year_row(row):
                i += 1
                continue
            # A block of consecutive rows of the same kind.
            j = i
            while j + 1 < len(lines) and rows[j + 1] is not None and not _is_year_row(rows[j + 1]):
                j += 1
            block = rows[i:j + 1]
            width = max(len(r.cells) for r in block)
            header = None
            caption_lines = []
            k = i - 1
            if k >= 1 and not lines[k][2].strip() and lines[k - 1][2].rstrip().endswith(":"):
                k -= 1  # "… in the format AWOL / detained / returned:" and a blank line
            if k >= 0 and lines[k][2].strip():
                prev = rows[k]
                line = lines[k][2]
                if prev is not None and _is_year_row(prev):
                    header = self._header(line, width, False)
                elif prev is None and _HEADER_SPLIT.search(line.strip()):
                    prose = line.rstrip().endswith(":") and " / " in line
                    if prose or (len(line) < 160 and not line.rstrip().endswith(".")):
                        header = self._header(line, width, prose)
                caption_lines.append(k)
                if k - 1 >= 0 and lines[k - 1][2].strip() and len(lines[k - 1][2]) < 80:
                    caption_lines.append(k - 1)
            caption_period = None
            for c in caption_lines:
                caption_period = self._period_of(lines[c][2])
                if caption_period:
                    break
            ua = any(_UA_ARTICLE.search(lines[c][2]) for c in caption_lines) or \
                any(_UA_ARTICLE.search(r.label) for r in block)
            if width == 1 and header is None and not all(r.colon for r in block):
                i = j + 1
                continue
            if header is not None:
                self.lines.append((lines[k][0], lines[k][1]))  # the header line: no figures
            parent: Row | None = None
            for r in block:
                sub = _SUBROW.match(r.label)
                label = r.label[sub.end():] if sub else r.label
                acquittal = bool(_ACQUITTAL.search(label))
                own = None if acquittal else self._category(label)
                n = len(r.cells)
                cols = header[0][-n:] if header else [None] * n
                pers = header[1][-n:] if header else [None] * n
                cols = [None] * (n - len(cols)) + list(cols)
                pers = [None] * (n - len(pers)) + list(pers)
                cats = []
                for idx in range(n):
                    if acquittal:
                        cats.append(None)
                    elif sub and own:
                        cats.append(own)
                    elif cols[idx]:
                        cats.append(cols[idx])
                    elif own:
                        cats.append(own)
                    elif sub and parent is not None and idx < len(parent.categories):
                        cats.append(parent.categories[len(parent.categories) - n + idx]
                                    if len(parent.categories) >= n else None)
                    else:
                        cats.append(None)
                r.categories = cats
                row_period = self._period_of(r.label) if r.label else None
                r.periods = [p or row_period or caption_period for p in pers]
                r.ua = ua
                r.headed = header is not None
                r.acquittal = acquittal
                r.block_start = block[0].start
                r.region = bool(_REGION.search(label))
                if not sub:
                    parent = r
                self.lines.append((r.start, r.end))
                for cell, cat, per in zip(r.cells, r.categories, r.periods):
                    if cell is not None:
                        self.cells[cell.start] = (cat, per, r)
            i = j + 1

    def row_at(self, pos: int) -> tuple[int, int] | None:
        for s, e in self.lines:
            if s <= pos < e:
                return (s, e)
        return None
