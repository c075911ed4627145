"""Figures: each number expression that counts people (or cases…) in a category, attached to
its cue, its counted noun, its unit and its period.

A number is a figure when, in its clause (or failing that its sentence), a category cue names
the event ("deserteerden 151", "15 killed", "более тысячи военнослужащих самовольно оставили
часть"), nothing marks it as a non-count (years, dates, unit designations, article numbers,
prison terms, money, percentages), and it is not negated, hypothetical or asked.
A predicate cue wins over a bare noun ("zes deserteurs die asiel kregen" is asylum_granted only).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from awol.extract.cues import Lexicon
from awol.extract.numbers import NumberMention
from awol.extract.periods import _month_regex, find_period
from awol.extract.sentences import split_clauses
from awol.extract.tables import _ACQUITTAL, _ARTICLE as _TABLE_ARTICLE, _ARTICLE_CATEGORY, Tables
from awol.extract.units_context import UnitChoice, UnitContext, _units_by_id
from awol.model import Figure

_MONTH_AFTER = None
_DEFINITE = re.compile(
    r"(?:^|\s)(?:de|het|die|der|den|the|these|those|les|ces|эти|этих|ці|цих|diese|deze|"
    r"all|alle|tous les|toutes les|des|все|всех|всі|усі|всіх|усіх)\s+$", re.IGNORECASE
)
# Categories that describe what a group is (deserters, AWOL, refuseniks), as opposed to
# something that happened to it: "de zes waren gevlucht" repeats, "все трое вернулись" is new.
_STATUS = frozenset({"deserted", "awol", "refused"})
# A range: "between 40 and 50", "от 40 до 50", "40–50" → the lower bound, at least.
_RANGE_BEFORE = re.compile(r"(?:^|[\s(\"'«„“])(?:between|zwischen|tussen|entre|от|між|между|від|vanaf|van)\s+$", re.I)
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|and|und|en|et|bis|tot|à|au|до|и|і|та|й)\s*$", re.I)
_CONJ = re.compile(r"^\s*(?:and|or|und|oder|en|of|et|ou|и|или|і|та|й|або|чи|/|&)\s*$", re.I)
_LABEL_GAP = re.compile(r"[ \t]*[:=][ \t]*$")
_HEAD_PARTITIVE = re.compile(
    r"\W*(?:of (?:the|these|those|all)|among (?:the|these)|van (?:de|deze)|onder (?:de|deze)|von (?:den|diesen)|"
    r"unter (?:den|diesen)|parmi (?:les|ces)|sur (?:les|ces)|из|среди|з|із|серед)\s+(?:[^\W\d_]+\s+){0,2}$", re.I)
# "elf van de 23", "двоє з трьох", "one in five": the second number is the whole, not a count.
_OF_WHOLE = re.compile(r"^\s+(?:van(?: de| die)?|von(?: den)?|of(?: the)?|out of|in|sur|из|з|із)\s+$", re.I)
_DASH_AFTER = re.compile(r"^\s*(?:[-–—:(.!…]|$)")
# A preposition of reason or article before a status word: "wegen Fahnenflucht", "pour désertion",
# "for desertion", "по статье 338 о дезертирстве", "за СЗЧ".
_REASON = re.compile(
    r"(?:^|[\s(])(?:wegen|wegens|voor|vanwege|pour|for|because of|under|à cause de|по|за|о|об|про|через)"
    r"\s+(?:[\w.]+\s+){0,4}$", re.IGNORECASE,
)
_DETACHED = re.compile(r"[-–—:;(),]")
# Quoted names and titles ("I Want to Live", «Хочу жить»): their words are not the sentence's.
_SHORT_QUOTE = re.compile(r"[\"“„«][^\"“”„«»\n]{1,40}[\"”»]")
_AFTER_QUALIFIER = [
    (re.compile(r"^\s*[-–]\s*\d"), "at_least"),
    (re.compile(r"^\s*(?:or more|and more|of meer|en meer|oder mehr|und mehr|ou plus|et plus|и более|и больше|або більше|і більше|чи більше|\+)", re.I), "at_least"),
]
_NEGATION_EXCEPTIONS = re.compile(
    r"^\s*(?:менее|меньше|более|больше|менше|більше|only|alleen|nur|seulement|less|fewer|more|minder|weniger)\b",
    re.IGNORECASE,
)
_ARTICLE_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:ст\.|стат\w*|article|artikel|art\.|§|paragraphe?|paragraaf)\s*$", re.IGNORECASE)
_TOTAL = re.compile(
    r"(?<![^\W\d_])(?:итого?|всего|всього|усього|разом|загалом|total|totaal|insgesamt|gesamt|au total|in totaal)\b",
    re.IGNORECASE)
_QUESTION = re.compile(r"\?\s*[\"'»”’)]*\s*$")


@dataclass
class _Match:
    start: int
    end: int
    label: str
    kind: str = ""


_HAS_NUMBER = re.compile(r"\d|[^\W\d_]{3,}")
_PHRASE_BREAK = re.compile(r"[,;.:!?]")
_WORDS_BETWEEN = re.compile(r"[^\W\d_]{4,}")


def _merge_windows(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 2:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _matches(regex: re.Pattern | None, text: str, label: str, kind: str = "",
             windows: list[tuple[int, int]] | None = None) -> list[_Match]:
    if regex is None:
        return []
    if windows is None:
        return [_Match(m.start(), m.end(), label, kind) for m in regex.finditer(text)]
    return [_Match(m.start(), m.end(), label, kind)
            for start, end in windows for m in regex.finditer(text, start, end)]


class FigureFinder:
    def __init__(self, text: str, lang: str, lex: Lexicon, sentences: list[tuple[int, int]],
                 units: UnitContext, published: str | None, numbers: list[NumberMention] | None = None) -> None:
        self.text, self.lang, self.lex, self.units, self.published = text, lang, lex, units, published
        self._all_numbers = numbers or []
        self._starts: dict[int, list[int]] = {}
        self.sentences = sentences
        self.sentence_starts = [s for s, _ in sentences]
        self._sentence_cache: dict[int, tuple[int, int] | None] = {}
        # Cues only matter in sentences that hold a number: match only there (most of the time).
        windows = _merge_windows(
            [s for s in sentences if _HAS_NUMBER.search(text, s[0], s[1])] if numbers is None else
            sorted({self._sentence_span(n.start) for n in numbers} - {None})
        )
        cues: list[_Match] = []
        measures: list[_Match] = []
        self.context = {kind: [] for kind in lex.context}
        for (group, label, kind), m in lex.matcher.finditer(text, self._lower(), windows):
            if group == "cue":
                cues.append(_Match(m.start(), m.end(), label, kind))
            elif group == "measure":
                measures.append(_Match(m.start(), m.end(), label))
            else:
                self.context[label].append(_Match(m.start(), m.end(), label))
        self.cues = _drop_after_awol(text, _drop_nested(sorted(cues, key=lambda m: (m.start, -m.end))))
        self.measures = sorted(measures, key=lambda m: m.start)
        for kind in self.context:
            self.context[kind].sort(key=lambda m: m.start)
        quotes = [(m.start(), m.end()) for w0, w1 in windows for m in _SHORT_QUOTE.finditer(text, w0, w1)]
        if quotes:
            for kind in ("negation", "hypothetical"):
                if kind in self.context:
                    self.context[kind] = [c for c in self.context[kind]
                                          if not any(q0 < c.start and c.end < q1 for q0, q1 in quotes)]
        self.topic = self._topic()
        self._periods: dict[tuple[int, int], tuple[str, str] | None] = {}
        self._clauses: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self.tables = self._tables()
        self.table_reader = Tables(text, self._all_numbers, self._header_category,
                                   lambda s: find_period(s, lang, published))
        self._table_numbers: set[int] = set()
        # Figures found so far (number, figure) and the numbers that may be counts, for
        # continuations ("… in June — 187", "85 verdicts … and another 12") and ranges.
        self._history: list[tuple[NumberMention, Figure]] = []
        self._countable: list[NumberMention] = []
        self._range_second: set[int] = set()
        self._range_first: set[int] = set()

    def _lower(self) -> str:
        lower = getattr(self.units, "lower", None)
        return lower if lower is not None and len(lower) == len(self.text) else self.text.lower()

    def _topic(self) -> str:
        counts: dict[str, int] = {}
        for cue in self.cues:
            if cue.label in ("deserted", "awol", "refused"):
                counts[cue.label] = counts.get(cue.label, 0) + 1
        return max(counts, key=counts.get) if counts else "deserted"

    # -- helpers ------------------------------------------------------------------------
    def _sentence_span(self, pos: int) -> tuple[int, int] | None:
        return self._sentence_of(pos)

    def _sentence_of(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        if i < 0:
            return None
        start, end = self.sentences[i]
        return (start, end) if pos < end else None

    def _within(self, items: list[_Match], lo: int, hi: int) -> list[_Match]:
        """Matches inside [lo, hi); `items` are sorted by start (bisect, not a scan)."""
        key = id(items)
        starts = self._starts.get(key)
        if starts is None:
            starts = self._starts[key] = [m.start for m in items]
        i = bisect.bisect_left(starts, lo)
        j = bisect.bisect_left(starts, hi, i)
        return [m for m in items[i:j] if m.end <= hi]

    def _not_a_count(self, number: NumberMention) -> bool:
        text = self.text
        if self.units.covers(number.start, number.end):
            return True
        after = text[number.end:number.end + 30]
        before = text[max(0, number.start - 30):number.start]
        if self.lex.after.match(after):
            return True
        if _ARTICLE_BEFORE.search(before):
            return True  # "по статье 338 и 900 дел": an article number even with a measure after
        if self.lex.before.search(before) and not self._measure_attached(number):
            return True  # "из 90 человек", "article 337"; but "из 3140 приговоров" counts verdicts
        raw = text[number.start:number.end]
        if not number.words and raw.isdigit() and len(raw) == 4 and 1900 <= number.value <= 2100:
            return True  # a year
        if not number.words and raw.startswith("0") and len(raw) > 1:
            return True  # a code, not a count
        months = _month_regex()
        head = months.match(after.lstrip(" .")) if after[:1] in (" ", ".", "\u00a0") else None
        if head and head.start() == 0:
            return True  # "19 ноября", "3 October"
        tail = re.search(r"([^\W\d_]+)\.?\s*$", before)
        if self.lang == "en" and tail and number.value <= 31 and (
            tail.group(1).lower() in _month_forms_set() or tail.group(1).lower() in _EN_MONTH_ABBR
        ) and not self._counted_noun_after(number, self._phrase_end(number.end, number.end + 30), 25):
            return True  # "October 3", "Nov. 19"
        if re.match(r"^\s*[-–]\s*\d", after) and not number.words:
            return False
        return False

    def _phrase_end(self, pos: int, limit: int) -> int:
        """The first comma, semicolon or full stop after pos (or limit)."""
        m = _PHRASE_BREAK.search(self.text, pos, limit)
        return m.start() if m else limit

    def _measure_attached(self, number: NumberMention, label: str | None = None) -> bool:
        """A measure noun right after the number: "3140 приговоров", "3 000 demandes"."""
        for m in self._starts_within(self.measures, number.end, number.end + 16):
            if label is None or m.label == label:
                if not _WORDS_BETWEEN.search(self.text, number.end, m.start):
                    return True
        return False

    def _ranges(self) -> None:
        """"between 40 and 50" → 40 at least, 50 no figure; "від п'яти до десяти років" → no figure."""
        nums = self._countable
        for a, b in zip(nums, nums[1:]):
            if b.start - a.end > 12 or not _RANGE_JOIN.match(self.text[a.end:b.start]):
                continue
            if self._sentence_of(a.start) in self.tables:
                continue  # "Janvier — 29 — 8 — 3": cells of a table row, not a range
            if self.lex.after.match(self.text[b.end:b.end + 30]):
                continue  # handled below: the upper bound is a duration, so is the lower
            if _RANGE_BEFORE.search(self.text[max(0, a.start - 12):a.start]) or \
                    self.text[a.end:b.start].strip() in ("-", "–", "—"):
                self._range_first.add(a.start)
                self._range_second.add(b.start)
        # A range whose upper bound is a duration or an amount ("від п’яти до десяти років").
        all_numbers = self._all_numbers
        for a, b in zip(all_numbers, all_numbers[1:]):
            if b.start - a.end <= 12 and _RANGE_JOIN.match(self.text[a.end:b.start]) and \
                    self.lex.after.match(self.text[b.end:b.end + 30]):
                self._range_second.add(a.start)

    def _definite(self, number: NumberMention) -> bool:
        return bool(_DEFINITE.search(" " + self.text[max(0, number.start - 12):number.start]))

    def _is_anaphoric(self, number: NumberMention, clause_end: int) -> bool:
        """"De zes waren … gevlucht": a definite article and no counted noun → a group named before."""
        if not self._definite(number):
            return False
        return not self._counted_noun_after(number, clause_end, window=40)

    def _counted_noun_after(self, number: NumberMention, limit: int, window: int = 45) -> bool:
        """A counted noun ("soldaten", "военнослужащих", "cases") shortly after the number."""
        hi = min(limit, number.end + window)
        if hi <= number.end:
            return False
        if self._starts_within(self.context.get("person_noun", []), number.end, hi):
            return True
        if any(c.kind == "noun" for c in self._starts_within(self.cues, number.end, hi)):
            return True
        return bool(self._starts_within(self.measures, number.end, hi))

    def _starts_within(self, items: list[_Match], lo: int, hi: int) -> list[_Match]:
        key = id(items)
        starts = self._starts.get(key)
        if starts is None:
            starts = self._starts[key] = [m.start for m in items]
        return items[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]

    def _qualifier(self, number: NumberMention) -> str:
        if number.approx:
            return "about"
        before = self.text[max(0, number.start - 30):number.start]
        for qualifier, regex in self.lex.qualifiers:
            if regex.search(before):
                return qualifier
        after = self.text[number.end:number.end + 20]
        for regex, qualifier in _AFTER_QUALIFIER:
            if regex.match(after):
                return qualifier
        return "exact"

    def _negated(self, number: NumberMention, cue: _Match, lo: int, hi: int) -> bool:
        for neg in self._within(self.context.get("negation", []), lo, hi):
            if _NEGATION_EXCEPTIONS.match(self.text[neg.end:neg.end + 12]):
                continue
            if neg.end <= cue.start and cue.start - neg.end <= 25:
                return True
            if neg.end <= number.start and number.start - neg.end <= 12:
                return True
        return False

    def _army(self, clause: tuple[int, int], sentence: tuple[int, int]) -> str:
        ua = self.context.get("ua_marker", [])
        ru = self.context.get("ru_marker", [])
        if self._within(ua, *clause) and not self._within(ru, *clause):
            return "ua"
        if self._within(ua, *sentence) and not self._within(ru, *sentence):
            return "ua"
        return "ru"

    def _period(self, sentence: tuple[int, int]) -> tuple[str, str] | None:
        if sentence not in self._periods:
            self._periods[sentence] = find_period(self.text[sentence[0]:sentence[1]], self.lang, self.published)
        return self._periods[sentence]

    # -- the figures ---------------------------------------------------------------------
    def figures(self, numbers: list[NumberMention]) -> list[Figure]:
        out: list[Figure] = []
        seen: set[tuple[str, int, str | None]] = set()
        wholes = {b.start for a, b in zip(self._all_numbers, self._all_numbers[1:])
                  if b.start - a.end <= 16 and _OF_WHOLE.match(self.text[a.end:b.start])}
        self._countable = [n for n in numbers if n.start not in wholes and not self._not_a_count(n)]
        self._countable_starts = [n.start for n in self._countable]
        self._ranges()
        for number in self._countable:
            figure = self._figure(number)
            if figure is None:
                continue
            self._history.append((number, figure))
            key = (figure.category, figure.value, figure.unit_id)
            if key in seen and number.start not in self._table_numbers:
                continue
            seen.add(key)
            out.append(figure)
        return out

    # -- tables ("Maand | gedeserteerd | teruggekeerd") ------------------------------------------
    def _tables(self) -> dict[tuple[int, int], list[str | None]]:
        """Table rows (sentence spans) → the category of each column, from the header row."""
        rows: dict[tuple[int, int], list[str | None]] = {}
        header: list[str | None] | None = None
        width = 0
        for sentence in self.sentences:
            line = self.text[sentence[0]:sentence[1]]
            cells = _cells(line)
            if len(cells) < 2:
                header = None
                continue
            if header is None or len(cells) != width:
                categories = [self._header_category(line[s:e]) for s, e in cells]
                if any(categories) and not re.search(r"\d", line):
                    header, width = categories, len(cells)
                else:
                    header = None
                continue
            rows[sentence] = header
        return rows

    def _cell_figure(self, number: NumberMention, category: str, period, row) -> Figure:
        """A table cell: its row line is the quote; region rows and Ukrainian tables have no unit,
        a sub-unit's row (battalion, company) takes the unit the text places it under."""
        quote = self.text[row.start:row.end].strip()
        unit_obj, mention = None, None
        if not row.ua and not row.region:
            named = [m for m in self.units.named if row.start <= m.start < row.end and m.unit is not None]
            if named:
                unit_obj, mention = named[0].unit, named[0].text
            else:
                choice = self.units.focus(row.block_start)
                unit_obj, mention = choice.unit, choice.mention
        return Figure(
            category=category, value=number.value, quote=quote, span=(number.start, number.end),
            qualifier=self._qualifier(number) if not row.colon else "exact",
            army="ua" if row.ua else "ru",
            unit_id=getattr(unit_obj, "id", None), unit_name_en=getattr(unit_obj, "name_en", None),
            unit_mention=mention if unit_obj is not None else None,
            period_start=period[0] if period else None, period_end=period[1] if period else None,
        )

    def _header_category(self, cell: str) -> str | None:
        for category, kinds in self.lex.cues.items():
            if any(regex.search(cell) for regex in kinds.values()):
                return category
        for category, regex in self.lex.table_headers:
            if regex.search(cell):
                return category
        return None

    def _table_figure(self, number: NumberMention, sentence: tuple[int, int]) -> Figure | None:
        line = self.text[sentence[0]:sentence[1]]
        cells = _cells(line)
        offset = number.start - sentence[0]
        column = next((i for i, (s, e) in enumerate(cells) if s <= offset < e), None)
        header = self.tables[sentence]
        if column is None or column == 0 or column >= len(header) or header[column] is None:
            return None
        cell = line[cells[column][0]:cells[column][1]].strip()
        if cell != line[offset:number.end - sentence[0]].strip():
            return None  # the cell holds more than the number (a note, a range)
        unit = self.units.focus(number.start)
        period = self._period(sentence)
        return Figure(
            category=header[column], value=number.value, quote=line, span=(number.start, number.end),
            unit_id=getattr(unit.unit, "id", None), unit_name_en=getattr(unit.unit, "name_en", None),
            unit_mention=unit.mention if unit.unit is not None else None,
            period_start=period[0] if period else None, period_end=period[1] if period else None,
        )

    def _figure(self, number: NumberMention) -> Figure | None:
        sentence = self._sentence_of(number.start)
        if sentence is None or number.start in self._range_second:
            return None
        cell = self.table_reader.cells.get(number.start)
        if cell is not None:
            category, period, row = cell
            if category is not None:
                self._table_numbers.add(number.start)
                return self._cell_figure(number, category, period, row)
            if any(row.categories) or row.headed or row.acquittal:
                return None  # a column or row outside the categories ("darunter Freisprüche")
        elif self.table_reader.row_at(number.start) is not None:
            return None  # a number inside a row label ("Art. 337", "1st Battalion")
        if sentence in self.tables:
            return self._table_figure(number, sentence)
        text = self.text
        if _QUESTION.search(text[sentence[0]:sentence[1]]):
            return None
        clause = next((c for c in self._clauses_of(sentence) if c[0] <= number.start < c[1]), sentence)
        anaphoric = self._is_anaphoric(number, clause[1]) or (
            self._definite(number) and self._antecedent(number) is not None)
        if self._within(self.context.get("age", []), *clause):
            return None  # "the oldest deserter on the roster is 58, the youngest 19": ages
        if self._within(self.context.get("non_event", []), *clause):
            return None  # people questioned, beaten, summoned: not a count of an event
        measure_match = self._measure(number, clause)
        if measure_match is not None and measure_match.label == "help_requests" and \
                self._measure_attached(number, "help_requests"):
            return None  # "3 000 demandes": applications and requests for help are not figures
        cue = self._cue(number, clause, sentence)
        if cue is not None and cue.label in _STATUS and _REASON.search(text[max(0, cue.start - 40):cue.start]):
            # "verurteilt – 190 wegen unerlaubten Entfernens, weitere 41 wegen Fahnenflucht": the
            # status word gives the reason; the event of the sentence (convicted) is the category.
            events = [c for c in self._within(self.cues, sentence[0], number.start)
                      if c.label not in _STATUS and c.kind == "verb"]
            if events:
                cue = events[-1]
        if cue is not None and cue.label in _STATUS:
            # "Of the convictions, 61 were under Article 337 …": the lead-in names the event.
            head = next((c for c in self._within(self.cues, sentence[0], min(number.start, sentence[0] + 60))
                         if c.label not in _STATUS and _HEAD_PARTITIVE.match(text, sentence[0], c.start)), None)
            if head is not None:
                cue = head
        acquittal = _ACQUITTAL.search(text, clause[0], clause[1])
        if acquittal is not None and (cue is None or abs(acquittal.start - number.start) < abs(cue.start - number.start)):
            return None  # "Only two defendants were acquitted": acquittals are not figures
        if cue is not None and cue.label in ("killed", "wounded") and self._combined_losses(cue):
            return None  # "1 500 убитыми и ранеными", "tués ou blessés": categories mixed
        inherited = None
        if cue is None or (cue.kind == "noun" and not self._noun_attached(number, cue)):
            inherited = self._continuation(number, clause, sentence)
        if inherited is not None:
            category, cue_span = inherited.category, None
            # The element's own words run back to the previous count of the sentence:
            # "…меньше (34), о неисполнении приказа (ст. 332) — 27".
            i = bisect.bisect_left(self._countable_starts, number.start)
            own = self._countable[i - 1].end if i > 0 and self._countable[i - 1].end > sentence[0] else clause[0]
            article = _TABLE_ARTICLE.search(text[min(own, clause[0]):number.start])
            if article is not None and category in _STATUS:
                # "дел о дезертирстве … (34), о неисполнении приказа (ст. 332) — 27": the article
                # named in the element's own clause decides its category.
                category = _ARTICLE_CATEGORY.get(article.group(1), category)
            if not inherited.quote:
                inherited = None  # only the category comes from the sentence's earlier cue
        elif cue is None:
            if measure_match is None or not (
                self._counted_noun_after(number, sentence[1], 30) or measure_match.end <= number.start
            ):
                return None
            category = self.topic
            cue_span = measure_match
        else:
            category = cue.label
            cue_span = cue
        if anaphoric and category in _STATUS:
            return None  # "de zes waren gevlucht": the group named before, not a new count
        if cue_span is not None:
            if self._negated(number, cue_span, *clause):
                return None
            if self._within(self.context.get("hypothetical", []), *clause):
                return None
            if not (clause[0] <= cue_span.start < clause[1]):
                # The cue comes from another clause: "…, weil sie desertieren wollten".
                cue_clause = next((c for c in self._clauses_of(sentence) if c[0] <= cue_span.start < c[1]), None)
                if cue_clause and (self._within(self.context.get("hypothetical", []), *cue_clause)
                                   or self._negated(number, cue_span, *cue_clause)):
                    return None
        elif self._within(self.context.get("hypothetical", []), *clause):
            return None
        unit = self.units.choose(number.start, clause, sentence)
        if unit.unit is not None and self._court_jurisdiction(number, sentence):
            unit = UnitChoice(None, None)  # the court's count, not the unit's
        army = self._army(clause, sentence)
        if inherited is not None and not unit.referenced:
            unit = UnitChoice(_unit_of(inherited), inherited.unit_mention, inherited.subunit)
            army = inherited.army
        elif not unit.referenced and (anaphoric or self._partitive(number)):
            # "все трое вернулись", "Zwölf von ihnen wurden festgenommen": the group's unit.
            antecedent = self._antecedent(number) if anaphoric else self._previous_figure(sentence)
            if antecedent is not None:
                unit = UnitChoice(_unit_of(antecedent), antecedent.unit_mention, antecedent.subunit)
                army = antecedent.army
        if not unit.referenced and self._inherits_focus(category, measure_match, sentence, number):
            unit = self.units.focus(number.start)
        elif not unit.referenced and inherited is None and category == "convicted" and \
                not self._within(self.context.get("national", []), *sentence):
            # "Sixty-eight servicemen of the 90th division were convicted … Of the convictions,
            # 61 …": later verdict counts break down the unit's count of the paragraphs before.
            earlier = self._earlier_unit_figure(category, sentence)
            if earlier is not None:
                unit = UnitChoice(_unit_of(earlier), earlier.unit_mention, earlier.subunit)
                army = earlier.army
        period = self._period(sentence)
        unit_obj = unit.unit if army == "ru" else None
        qualifier = "at_least" if number.start in self._range_first else self._qualifier(number)
        return Figure(
            category=category,
            value=number.value,
            quote=text[sentence[0]:sentence[1]],
            span=(number.start, number.end),
            qualifier=qualifier,
            measure=measure_match.label if measure_match else "people",
            army=army,
            unit_id=getattr(unit_obj, "id", None),
            unit_name_en=getattr(unit_obj, "name_en", None),
            unit_mention=unit.mention if unit_obj is not None else None,
            subunit=unit.subunit if unit_obj is not None else False,
            period_start=period[0] if period else None,
            period_end=period[1] if period else None,
        )

    def _court_jurisdiction(self, number: NumberMention, sentence: tuple[int, int]) -> bool:
        """"… поступило в Волгоградский гарнизонный суд, которому подсудны военнослужащие 20-й
        дивизии": the unit is named only as the court's jurisdiction."""
        cues = [c for c in self._within(self.context.get("jurisdiction", []), *sentence) if c.start > number.end]
        if not cues:
            return False
        return not any(sentence[0] <= m.start < cues[0].start for m in self.units.named)

    def _earlier_unit_figure(self, category: str, sentence: tuple[int, int]) -> Figure | None:
        """The last figure of this category in the three sentences before, if it has a unit."""
        if not self._history:
            return None
        index = bisect.bisect_left(self.sentence_starts, sentence[0])
        earliest = self.sentences[max(0, index - 5)][0]
        for n, f in reversed(self._history):
            if n.start < earliest:
                return None
            if f.category == category:
                line = self.text[sentence[0]:sentence[1]].strip()
                if "\n" in self.text[n.start:sentence[0]] and not line.endswith((".", "!", "»", '"', "”")):
                    return None  # a subhead opens another section
                return f if f.unit_id else None
        return None

    def _combined_losses(self, cue: _Match) -> bool:
        """"killed and wounded", "tués ou blessés", "убитыми и ранеными": one count of two events."""
        other = "wounded" if cue.label == "killed" else "killed"
        for c in self._within(self.cues, max(0, cue.start - 20), cue.end + 20):
            if c.label != other:
                continue
            lo, hi = (cue.end, c.start) if c.start >= cue.end else (c.end, cue.start)
            if hi >= lo and _CONJ.match(self.text[lo:hi]):
                return True
        return False

    # -- continuations ----------------------------------------------------------------------
    def _clauses_of(self, sentence: tuple[int, int]) -> list[tuple[int, int]]:
        found = self._clauses.get(sentence)
        if found is None:
            found = self._clauses[sentence] = split_clauses(self.text, *sentence)
        return found

    def _has_count(self, lo: int, hi: int) -> bool:
        i = bisect.bisect_left(self._countable_starts, lo)
        return i < len(self._countable_starts) and self._countable_starts[i] < hi

    def _noun_attached(self, number: NumberMention, cue: _Match) -> bool:
        """The noun cue counts this number: "151 deserters", "Russische deserteurs"."""
        if cue.start >= number.end:
            between = self.text[number.end:cue.start]
            return len(between.split()) <= 2 and not _DETACHED.search(between)
        return number.start - cue.end <= 20

    def _bare(self, number: NumberMention, clause: tuple[int, int]) -> bool:
        """Nothing of its own after the number: "в июне — 187", "ще 12 — у справах…",
        "150 gemobiliseerden", "a hundred of them", "une vingtaine"."""
        pos = number.end
        for items in (self.context.get("person_noun", []), self.measures):
            for m in self._starts_within(items, pos, pos + 3):
                pos = max(pos, m.end)
        partitive = self.context.get("partitive", [])
        for m in self._starts_within(partitive, pos, pos + 3):
            pos = max(pos, m.end)
        rest = self.text[pos:clause[1]]
        if _DASH_AFTER.match(rest):
            return True
        # "six in March, 11 in April": only a time after the number.
        return len(rest.split()) <= 3 and bool(_month_regex().search(rest)) and not \
            self._within(self.cues, pos, clause[1])

    def _continuation(self, number: NumberMention, clause: tuple[int, int],
                      sentence: tuple[int, int]) -> Figure | None:
        """A number that continues a list or an earlier figure takes that figure's category
        (and unit): "85 verdicts … and another 12 — for desertion", "у січні їх було 13 500",
        "Allein im Oktober waren es 712", "858 contractsoldaten, 150 gemobiliseerden"."""
        if not self._bare(number, clause):
            return None
        if any(c.kind == "verb" for c in self._within(self.cues, *clause)):
            return None
        earlier = [f for n, f in self._history if sentence[0] <= n.start < number.start]
        if earlier:
            noun = next((c for c in self._within(self.cues, *clause) if c.kind == "noun"), None)
            if noun is not None and earlier[-1].category in _STATUS:
                return None  # "60 тыс. производств о СЗЧ и около 10 тыс. — о дезертирстве": a parallel list
            return earlier[-1]
        # The sentence names the event before the number: "D'autres sont revenus : une vingtaine".
        before = [c for c in self._within(self.cues, sentence[0], clause[0])]
        if before:
            verbs = [c for c in before if c.kind == "verb"]
            cue = (verbs or before)[-1]
            return Figure(category=cue.label, value=number.value, quote="", span=(cue.start, cue.end))
        # A marker that points back ("waren es", "gaat het om", "of them", "из них"): the last
        # figure of the previous sentence.
        markers = self._within(self.context.get("continuation", []), sentence[0], number.start)
        if not markers and _month_regex().search(self.text, clause[0], number.start):
            # "Кількість справ зростала: у січні їх надійшло 43, у лютому — 58": a month series
            # continues the count of the sentences before.
            markers = [True]
        total = _TOTAL.search(self.text, sentence[0], number.start)
        if total and self._history:
            # "Итог в журнале за три месяца — 169 человек", "Всього — 1 245": a totals row
            # takes the first column (the first figure) of the rows above.
            index = bisect.bisect_left(self.sentence_starts, sentence[0])
            if index > 0:
                prev = self.sentences[index - 1]
                row = [f for n, f in self._history if prev[0] <= n.start < prev[1]]
                if row:
                    return row[0]
        if not (markers or self._partitive(number)) or not self._history:
            return None
        index = bisect.bisect_left(self.sentence_starts, sentence[0])
        earliest = self.sentences[max(0, index - 2)][0] if index > 0 else sentence[0]
        n, f = self._history[-1]
        if earliest <= n.start < sentence[0]:
            return f
        return None

    def _partitive(self, number: NumberMention) -> bool:
        return bool(self._starts_within(self.context.get("partitive", []), number.end, number.end + 3))

    def _previous_figure(self, sentence: tuple[int, int]) -> Figure | None:
        """The last figure of the two sentences before this one."""
        if not self._history:
            return None
        index = bisect.bisect_left(self.sentence_starts, sentence[0])
        earliest = self.sentences[max(0, index - 2)][0]
        n, f = self._history[-1]
        return f if earliest <= n.start < sentence[0] else None

    def _antecedent(self, number: NumberMention) -> Figure | None:
        """The earlier figure of the same value a definite number refers to ("все трое")."""
        for n, f in reversed(self._history):
            if f.value == number.value and number.start - n.start < 600:
                return f
        return None

    def _inherits_focus(self, category: str, measure: _Match | None, sentence: tuple[int, int],
                        number: NumberMention | None = None) -> bool:
        """A figure whose sentence names no unit is about the unit the text is about, unless it
        is a court or asylum statistic or national in scope; comrades share the unit."""
        if self._within(self.context.get("national", []), *sentence):
            return False
        region = self._starts_within(self.context.get("region", []), sentence[0], sentence[0] + 4)
        if region:
            return False  # "Dans la région de Rostov, jusqu'à 60 déserteurs …": a regional count
        if self._within(self.context.get("partitive", []), *sentence):
            # "Rund 500 von ihnen …": the group of the previous sentence decides the scope.
            index = bisect.bisect_left(self.sentence_starts, sentence[0])
            if index > 0 and self._within(self.context.get("national", []), *self.sentences[index - 1]):
                return False
        if self._within(self.context.get("comrade", []), *sentence):
            return True
        if category in ("convicted", "asylum_granted"):
            return False
        if measure is not None and (number is None or not self._counted_noun_after(number, sentence[1], 30)
                                    or self._measure_attached(number)):
            return False
        return True

    def _cue(self, number: NumberMention, clause: tuple[int, int], sentence: tuple[int, int]) -> _Match | None:
        def nearest(cues: list[_Match]) -> _Match | None:
            cues = [c for c in cues if not (number.start <= c.start and c.end <= number.end)]
            if not cues:
                return None
            return min(cues, key=lambda c: _distance(c, number))

        # A count in parentheses after its category word: "Gefallene (19), Verwundete (57)",
        # "desertion cases remain rare (512)", "дел о дезертирстве … заметно меньше (34)".
        if self.text[number.start - 1:number.start] == "(" and self.text[number.end:number.end + 1] == ")":
            before = [c for c in self._within(self.cues, max(sentence[0], number.start - 80), number.start)
                      if not _DETACHED.search(self.text, c.end, number.start - 1)
                      or self.text[c.end:number.start - 1].strip() == ""]
            if before:
                return before[-1]
        # A label and its value: "AWOL: 17,800; desertion: 1,900", "Fahnenflucht: 44".
        for c in self._within(self.cues, max(sentence[0], number.start - 40), number.start):
            if _LABEL_GAP.match(self.text, c.end, number.start):
                return c
        in_clause = self._within(self.cues, *clause)
        # A predicate around the number that runs past the clause ("kregen … negentien … asiel").
        in_clause += [c for c in self._starts_within(self.cues, sentence[0], number.start)
                      if c.end > number.end and c.kind == "verb" and c not in in_clause]
        verbs = [c for c in in_clause if c.kind == "verb"]
        if verbs:
            best = min(_PRIORITY.get(c.label, 9) for c in verbs)
            return nearest([c for c in verbs if _PRIORITY.get(c.label, 9) == best])
        found = nearest([c for c in in_clause if c.kind == "noun"])
        # A predicate in a neighbouring clause without a number of its own: "negentien Russische
        # deserteurs en dienstweigeraars een verblijfsvergunning asiel", "трех мобилизованных,
        # которые самовольно покинули позиции".
        attached = self._attached_verb(number, clause, sentence)
        if attached is not None and (found is None or _PRIORITY.get(attached.label, 9) < _PRIORITY.get(found.label, 9)):
            return attached
        if found:
            return found
        # The clause names no event: a counted number may take the sentence's nearest cue
        # ("1,010 servicemen, most of them contract soldiers, left the division").
        if not self._counted_noun_after(number, sentence[1], 40):
            return None
        in_sentence = self._within(self.cues, *sentence)
        for kind in ("verb", "noun"):
            found = nearest([c for c in in_sentence if c.kind == kind])
            if found and _distance(found, number) <= 160:
                return found
        return None

    def _attached_verb(self, number: NumberMention, clause: tuple[int, int],
                       sentence: tuple[int, int]) -> _Match | None:
        clauses = self._clauses_of(sentence)
        try:
            i = clauses.index(clause)
        except ValueError:
            return None
        # Forward: the clauses after this one, up to the next clause with a count of its own.
        for c in clauses[i + 1:]:
            if self._has_count(*c):
                break
            verbs = [m for m in self._within(self.cues, *c) if m.kind == "verb"]
            if verbs:
                best = min(verbs, key=lambda m: _PRIORITY.get(m.label, 9))
                return best if best.start - number.end <= 100 else None
        # Backward, only when no earlier count could own the predicate: "серед тих, хто здався, — шестеро".
        for j in range(i - 1, -1, -1):
            c = clauses[j]
            if self._has_count(*c):
                return None
            verbs = [m for m in self._within(self.cues, *c) if m.kind == "verb"]
            if verbs:
                if any(self._has_count(*clauses[k]) for k in range(j)):
                    return None
                return verbs[-1] if number.start - verbs[-1].end <= 100 else None
        return None

    def _measure(self, number: NumberMention, clause: tuple[int, int]) -> _Match | None:
        inside = [m for m in self._within(self.measures, *clause)
                  if not (m.start < number.end and number.start < m.end)]
        if not inside:
            return None
        return min(inside, key=lambda m: _distance(m, number))


_CELL_SPLIT = re.compile(r"\s*\|\s*|\t+|\s+[—–]\s+")


def _cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of the cells of a table line ("a | b | c", tab- or dash-separated), else []."""
    if "|" not in line and "\t" not in line and line.count(" — ") < 2 and line.count(" – ") < 2:
        return []
    cells, pos = [], 0
    for sep in _CELL_SPLIT.finditer(line):
        cells.append((pos, sep.start()))
        pos = sep.end()
    cells.append((pos, len(line)))
    cells = [(s, e) for s, e in cells if e > s or s == 0]
    return cells if len(cells) >= 2 else []


# What happened to people outranks what they had done: "six deserters were granted asylum",
# "5,000 soldiers were convicted for leaving their unit", "27 refuseniks were detained".
_PRIORITY = {
    "asylum_granted": 0, "convicted": 0, "captured": 1, "returned": 1, "killed": 1, "wounded": 1,
    "refused": 2, "deserted": 3, "awol": 3,
}


def _drop_nested(cues: list[_Match]) -> list[_Match]:
    """A cue inside a longer cue of another category gives way: "kehrten nicht aus dem Urlaub
    zurück" is awol, not returned; cues sorted by start, longest first."""
    out: list[_Match] = []
    reach: list[_Match] = []
    for cue in cues:
        reach = [c for c in reach if c.end > cue.start]
        if any(c.label != cue.label and c.start <= cue.start and cue.end <= c.end and
               (c.end - c.start) > (cue.end - cue.start) for c in reach):
            continue
        out.append(cue)
        reach.append(cue)
    return out


def _drop_after_awol(text: str, cues: list[_Match]) -> list[_Match]:
    """"самовольно ушли", "в СЗЧ ушли", "самовільно залишили частину": the leaving verb right
    after an AWOL word is the AWOL event, not desertion."""
    out: list[_Match] = []
    for cue in cues:
        if cue.label == "deserted" and cue.kind == "verb" and out and out[-1].label == "awol" and \
                out[-1].end <= cue.start and not text[out[-1].end:cue.start].strip():
            continue
        out.append(cue)
    return out


def _unit_of(figure: Figure):
    return _units_by_id().get(figure.unit_id) if figure.unit_id else None


def _distance(match: _Match, number: NumberMention) -> int:
    if match.start >= number.end:
        return match.start - number.end
    return max(0, number.start - match.end)


_EN_MONTH_ABBR = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec".split())
_MONTHS: frozenset[str] | None = None


def _month_forms_set() -> frozenset[str]:
    global _MONTHS
    if _MONTHS is None:
        from awol.lexicon import month_forms

        _MONTHS = frozenset(f for f in month_forms() if len(f) > 3)
    return _MONTHS
