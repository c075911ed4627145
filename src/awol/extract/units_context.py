"""Which unit a figure is about: named units (from `awol.units.resolver`), back-references
("deze divisie", "this brigade", "дивизия" after the division was named) and unnamed
sub-units ("Michail's regiment" of the 20th division → the division, marked as a sub-unit)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from awol.extract.cues import lexicon
from awol.model import UnitRef

# Echelons from small to large; a generic word refers back to a named unit of its echelon,
# or (as a sub-unit) to the nearest named unit above it.
RANK = {
    "company": 1, "battalion": 2, "regiment": 3, "brigade": 4, "division": 5,
    "corps": 6, "army": 7, "military_district": 8,
}
# Generic words that only refer back with a demonstrative ("this army"), because
# "the Russian army" / "российская армия" is the whole army, not a unit.
_NEED_DEMONSTRATIVE = {"army", "corps", "company"}
_DEMONSTRATIVE = re.compile(
    r"(?:deze|dit|die|diese[mnrs]?|dieser|this|that|the same|the|cette|ce|cet|la même|эт(?:а|ой|ого|у|им|ом|от|и)|эта|та же|эт\w*|ця|цієї|цю|цій|цьому|цей|цього|той|тієї)\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
_FOREIGN_BEFORE = re.compile(
    r"(?:oekraïens\w*|ukrainisch\w*|ukrainian|ukraine's|ukrainien\w*|украинск\w*|українськ\w*|всу|зсу)\s+(?:[\w'-]+\s+){0,3}$",
    re.IGNORECASE,
)


@dataclass
class NamedMention:
    start: int
    end: int
    text: str
    unit: object | None  # awol.units.gazetteer.Unit, or None for a unit outside the gazetteer


@dataclass
class UnitChoice:
    unit: object | None
    mention: str | None
    subunit: bool = False
    referenced: bool = True  # False: the sentence refers to no unit at all


@lru_cache(maxsize=1)
def _resolver():
    try:
        from awol.units.resolver import UnitResolver
    except ImportError:
        return _FallbackResolver()
    return UnitResolver.from_gazetteer()


class _FallbackResolver:
    """Exact alias matching, used only until `awol.units.resolver` is installed."""

    def __init__(self) -> None:
        from awol.units.gazetteer import gazetteer

        self.by_alias = {}
        for unit in gazetteer().values():
            for alias in (unit.name_en, unit.name_ru, *unit.aliases):
                if alias and len(alias) > 3:
                    self.by_alias[alias.lower()] = unit
        alt = "|".join(re.escape(a) for a in sorted(self.by_alias, key=len, reverse=True))
        self.regex = re.compile(rf"(?<!\w)(?:{alt})(?!\w)", re.IGNORECASE)

    def find_mentions(self, text: str, lang: str | None = None):
        return [
            NamedMention(m.start(), m.end(), m.group(0), self.by_alias[m.group(0).lower()])
            for m in self.regex.finditer(text)
        ]


def find_named_units(text: str, lang: str) -> list[NamedMention]:
    try:
        found = _resolver().find_mentions(text, lang=lang)
    except TypeError:
        found = _resolver().find_mentions(text)
    mentions = [NamedMention(m.start, m.end, m.text, getattr(m, "unit", None)) for m in found]
    mentions.sort(key=lambda m: m.start)
    return mentions


@lru_cache(maxsize=1)
def _units_by_id() -> dict:
    from awol.units.gazetteer import gazetteer

    return gazetteer()


class UnitContext:
    """Unit mentions of one document and the discourse memory over them."""

    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.named = find_named_units(text, lang)
        self.generic: list[tuple[int, int, str]] = []
        self.lower = text.lower()
        lower_spans = [(m.start, m.end) for m in self.named]
        for echelon, match in lexicon(lang).unit_matcher.finditer(text, self.lower):
            if True:
                if any(s <= match.start() < e for s, e in lower_spans):
                    continue
                before = text[max(0, match.start() - 40):match.start()]
                if echelon in _NEED_DEMONSTRATIVE and not _DEMONSTRATIVE.search(before):
                    continue
                if _FOREIGN_BEFORE.search(before):
                    self.generic.append((match.start(), match.end(), "foreign"))
                    continue
                self.generic.append((match.start(), match.end(), echelon))
        self.generic.sort()

    def units(self) -> list[UnitRef]:
        """Distinct gazetteer units named in the text, each with its first mention."""
        seen: dict[str, UnitRef] = {}
        for mention in self.named:
            unit = mention.unit
            if unit is None or unit.id in seen:
                continue
            seen[unit.id] = UnitRef(mention=mention.text, unit_id=unit.id, name_en=unit.name_en,
                                    span=(mention.start, mention.end))
        return list(seen.values())

    def covers(self, start: int, end: int) -> bool:
        """True when [start, end) lies inside a named unit mention (a unit number, not a count)."""
        # A mention across a line break ("… / 3\nCompany B") is a table cell and a row label.
        return any(m.start <= start and end <= m.end and "\n" not in self.text[m.start:m.end]
                   for m in self.named)

    def choose(self, pos: int, clause: tuple[int, int], sentence: tuple[int, int]) -> UnitChoice:
        """The unit a figure at `pos` is about."""
        for lo, hi in (clause, sentence):
            inside = [m for m in self.named if lo <= m.start < hi]
            if inside:
                best = min(inside, key=lambda m: (abs(m.start - pos), m.start > pos))
                if best.unit is None:
                    echelon = _echelon_of_text(best.text)
                    if 0 < RANK.get(echelon, 0) <= RANK["battalion"]:
                        # "в 3-м батальоне": a numbered sub-unit outside the gazetteer takes the
                        # unit the text places it under.
                        return self._refer_back(best.start, echelon, best.text)
                else:
                    # "15-го полку 2-ї дивізії": the regiment, not the division that qualifies it.
                    finer = [m for m in inside if m.unit is not None and _is_below(m.unit, best.unit)]
                    if finer:
                        best = min(finer, key=lambda m: (abs(m.start - pos), m.start > pos))
                return UnitChoice(best.unit, best.text)
            words = [g for g in self.generic if lo <= g[0] < hi]
            if words:
                start, end, echelon = min(words, key=lambda g: abs(g[0] - pos))
                if echelon == "foreign":
                    return UnitChoice(None, None)
                return self._refer_back(start, echelon, self.text[start:end])
        return UnitChoice(None, None, referenced=False)

    def _refer_back(self, pos: int, echelon: str, word: str) -> UnitChoice:
        rank = RANK.get(echelon, 0)
        before = [m for m in self.named if m.start < pos]
        # 1. The last named unit of the same echelon ("deze brigade" → the brigade named before).
        for mention in reversed(before):
            unit = mention.unit
            if unit is None:
                if "\n" in mention.text:
                    continue  # "2\nRegiment, total": a table cell and the next row label
                if RANK.get(_echelon_of_text(mention.text), -1) == rank:
                    if rank <= RANK["battalion"]:
                        # "2-й батальон бригады … батальон потерял": the numbered sub-unit is
                        # placed under the unit named before it.
                        return self._refer_back(mention.start, echelon, word)
                    return UnitChoice(None, None)  # a brigade outside the gazetteer
                continue
            if RANK.get(unit.echelon, 0) == rank:
                return UnitChoice(unit, word)
        # 2. The parent of a smaller unit named last ("the division" after its regiment).
        for mention in reversed(before):
            parent = _units_by_id().get(getattr(mention.unit, "parent_id", None) or "")
            while parent is not None and RANK.get(parent.echelon, 0) < rank:
                parent = _units_by_id().get(parent.parent_id or "")
            if parent is not None and RANK.get(parent.echelon, 0) == rank:
                return UnitChoice(parent, word)
        # 3. An unnamed sub-unit of the nearest larger unit ("Michail's regiment" of the division);
        # a named unit of that unit still above the sub-unit places it more precisely ("the
        # regiment of the division" → "my battalion" is the regiment's).
        for mention in reversed(before):
            unit = mention.unit
            if unit is not None and rank < RANK.get(unit.echelon, 0) <= RANK["division"]:
                finer = next((m.unit for m in reversed(before) if m.unit is not None
                              and rank < RANK.get(m.unit.echelon, 0) and _is_below(m.unit, unit)), None)
                return UnitChoice(finer or unit, word, subunit=True)
        return UnitChoice(None, None)

    def focus(self, pos: int) -> UnitChoice:
        """The unit the text is about at `pos`: the last named formation (battalion to division).

        Armies and districts named in passing ("part of the 35th Army") are not a focus."""
        before = [m for m in self.named if m.start < pos]
        if before and before[-1].unit is None:
            return UnitChoice(None, None)  # the text just turned to a unit outside the gazetteer
        counts: dict[str, int] = {}
        first: dict[str, NamedMention] = {}
        for mention in before:
            unit = mention.unit
            if unit is not None and (RANK.get(unit.echelon, 0) <= RANK["division"] or _BY_NUMBER.search(mention.text)):
                counts[unit.id] = counts.get(unit.id, 0) + 1
                first.setdefault(unit.id, mention)
        if not counts:
            return UnitChoice(None, None)
        # The unit named most often; on a tie, the one named first (the subject of the text).
        best = min(counts, key=lambda uid: (-counts[uid], first[uid].start))
        last = next((m for m in reversed(before) if m.unit is not None and m.unit.id in counts), None)
        if last is not None and _is_below(last.unit, first[best].unit) and \
                self.text.count("\n\n", last.end, pos) <= 1:
            # "Fast jeder dritte Verurteilte diente im 239. Regiment. / „Aus unserer Kompanie …":
            # a sub-unit named just before (this or the previous paragraph) is the text's focus there.
            return UnitChoice(last.unit, last.text)
        return UnitChoice(first[best].unit, first[best].text)


# A unit named by its military unit number ("в/ч 30683", "military unit 54096") is the subject
# of the text whatever its echelon, not a formation named in passing.
_BY_NUMBER = re.compile(r"в/ч|\bвч\b|в\.ч\.|войсков\w* част|військов\w* частин|military unit|"
                        r"militärische einheit|truppenteil|legeronderdeel|unité militaire", re.IGNORECASE)


def _is_below(unit, ancestor) -> bool:
    """True when `ancestor` is a parent (or grand-parent …) of `unit` in the gazetteer."""
    by_id = _units_by_id()
    seen = 0
    parent = by_id.get(unit.parent_id or "")
    while parent is not None and seen < 10:
        if parent.id == ancestor.id:
            return True
        parent, seen = by_id.get(parent.parent_id or ""), seen + 1
    return False


def _echelon_of_text(text: str) -> str:
    lower = text.lower()
    for lang in ("en", "ru", "uk", "de", "nl", "fr"):
        for echelon, regex in lexicon(lang).unit_words:
            if regex.search(lower):
                return echelon
    return ""
