"""Resolve mentions of Russian units in nl, de, en, ru, uk and fr to the gazetteer.

A mention is read as a designation: a number (with its ordinal style: 20th, 20-я, 20-й, 20-та,
20e, 20ste, 20., 20ème, 20-ya), then words that say the echelon (division, полк, Brigade…), the
type (motor rifle, мсд, Panzer, luchtaanval…), Guards, "separate", and which army it belongs to
("ЗСУ", "Ukraine's", "NATO" mark units that are not Russian). The words come from
`data/unit_terms.csv` (one row per term, per language; Russian and Ukrainian terms are stems so
that inflected forms match); compound words (German, Dutch) are split into known parts. The
parsed designation is matched against profiles of every gazetteer unit, built by the same parser
from the unit's names and aliases: the number must agree exactly, the echelon must agree, the
types must be compatible (`data/type_compat.csv`). Names without a number (districts, "Pskov
Division") are matched as aliases, allowing Russian and Ukrainian case endings. Military unit
numbers ("в/ч 58550", "military unit 58550"…) are looked up directly.

Every match says how it was found (`via`), and a score: 1.0 for an exact alias or unit number,
about 0.95 when number, echelon, type and Guards agree, 0.7 when only number and echelon do. When
two units fit equally well, or the unit is Ukrainian or NATO, the mention resolves to nothing.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Iterable

from awol.units.gazetteer import DATA, Unit, read_gazetteer, with_extra_aliases

TERMS_CSV = DATA / "unit_terms.csv"
TYPE_COMPAT_CSV = DATA / "type_compat.csv"
SCAN_EXCLUDE_CSV = DATA / "alias_scan_exclude.csv"

LANGUAGES = ("nl", "de", "en", "ru", "uk", "fr")

# Scores (see the module docstring).
SCORE_EXACT = 1.0
SCORE_ALIAS_IN_TEXT = 0.95
SCORE_ALIAS_INFLECTED = 0.9
BASE_ECHELON = 0.6
BASE_TYPE_ONLY = 0.5
TYPE_AGREES = 0.3
TYPE_UNSTATED = 0.1
GUARDS_AGREE = 0.05
GUARDS_CONTRADICTED = -0.1
SEPARATE_AGREES = 0.03
SEPARATE_CONTRADICTED = -0.05
QUALIFIER_AGREES = 0.05  # Cossack, mountain, peacekeeping
QUALIFIER_CONTRADICTED = -0.1
BARE_NUMBER = -0.05
SCORE_CAP = 0.98
AMBIGUITY_MARGIN = 0.1

# The unit type column of the gazetteer, in the lexicon's type names.
_COLUMN_TYPES = {
    "motor_rifle", "tank", "airborne", "air_assault", "naval_infantry", "spetsnaz",
    "artillery", "engineer", "rosgvardia",
}
# An army that is named without its kind ("20th Guards Army") is a combined-arms army.
_DEFAULT_TYPES = {"army": frozenset({"combined_arms"})}


# --------------------------------------------------------------------------- text folding


def _fold_table() -> dict[int, str]:
    """Lower-case-independent, length-preserving folding: accents off Latin letters, ё→е, dashes."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and len(base) == 1 and base.isascii():
            table[code] = base
    for chars, target in (
        ("ёЁ", "е"), ("‐‑‒–—―−", "-"), ("’‘ʼ`´", "'"), ("«»„“”‟″", '"'),
        ("ᵉ", "e"), ("ʳ", "r"), ("\u00a0\u2009\u202f\u2007", " "), ("ºª", "o"),
    ):
        for char in chars:
            table[ord(char)] = target
    table[ord("ª")] = "a"
    return table


_FOLD = _fold_table()
_FOLD_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]")


def _fold_char(match: re.Match) -> str:
    return _FOLD[ord(match.group())]


def fold(text: str) -> str:
    """Lower case, accents off Latin letters, ё→е, one dash and quote style; same length as text."""
    folded = _FOLD_CHARS.sub(_fold_char, text).lower()
    if len(folded) != len(text):  # a few letters change length when lower-cased (İ)
        folded = "".join(c.translate(_FOLD).lower()[:1] or c for c in text)
    return folded


_ELISION = re.compile(r"^(?:d|l|qu)'(?=[^\W\d_])")
_POSSESSIVE = re.compile(r"'s?$")


@lru_cache(maxsize=65536)
def _norm(token: str) -> str:
    """A folded token without French elision (d'armée) or English possessive (Division's)."""
    return _POSSESSIVE.sub("", _ELISION.sub("", token))


# Tokens: dotted acronyms (u.s.), words (hyphen/apostrophe joined, with a trailing period kept so
# that "гв." can be told from a sentence end), numbers, single punctuation marks.
TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+(?:['\-][^\W\d_]+)*\.?|\d+|[^\w\s]")
_WORD_PREFIX = re.compile(r"[^\W\d_]+")
_TRANSPARENT = frozenset('"()[]')
_CYRILLIC = re.compile(r"[а-яіїєґ]")


# --------------------------------------------------------------------------- the lexicon


@dataclass(frozen=True)
class Sense:
    """What a term says about a unit designation."""

    echelon: str | None = None
    types: frozenset[str] = frozenset()
    guards: bool = False
    separate: bool = False
    abbr: bool = False
    plural: bool = False
    nom: bool = False
    hon: bool = False
    det: bool = False
    conj: bool = False
    unitno: bool = False
    side: str | None = None
    quals: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, meaning: str) -> "Sense":
        values: dict = {"types": set(), "quals": set()}
        for item in meaning.split():
            key, _, value = item.partition("=")
            if key == "type":
                values["types"].add(value)
            elif key == "hon" and value:
                values["hon"] = True
                values["quals"].add(value)
            elif key in ("echelon", "side"):
                values[key] = value
            elif key in ("guards", "separate", "abbr", "plural", "nom", "hon", "det", "conj", "unitno"):
                values[key] = True
            else:
                raise ValueError(f"unknown meaning {item!r} in {TERMS_CSV.name}")
        values["types"] = frozenset(values["types"])
        values["quals"] = frozenset(values["quals"])
        return cls(**values)

    def merge(self, other: "Sense") -> "Sense":
        return Sense(
            echelon=other.echelon or self.echelon,
            types=self.types | other.types,
            guards=self.guards or other.guards,
            separate=self.separate or other.separate,
            abbr=self.abbr and other.abbr,
            plural=self.plural or other.plural,
            nom=self.nom and other.nom,
            hon=self.hon and other.hon,
            side=other.side or self.side,
            quals=self.quals | other.quals,
        )

    @property
    def descriptive(self) -> bool:
        """Says something about the unit itself (extends a mention's span)."""
        return bool(self.echelon or self.types or self.guards or self.separate)


@dataclass(frozen=True)
class _Term:
    lang: str
    words: tuple[tuple[str, str], ...]  # (kind, text): kind is "word", "stem" or "cased"
    sense: Sense


STEM_MAX_ENDING = 4
_LATIN_LANGS = ("en", "de", "nl", "fr", "translit")


class Lexicon:
    """The unit terms of `data/unit_terms.csv`, indexed for fast token lookup."""

    def __init__(self, path: Path = TERMS_CSV):
        self.single: dict[str, list[tuple[str, Sense]]] = {}
        self.cased: dict[str, list[tuple[str, Sense]]] = {}
        self.stems: dict[str, list[tuple[str, Sense]]] = {}
        self.multi_word: dict[str, list[_Term]] = {}
        self.multi_stem: dict[str, list[_Term]] = {}
        self.morphemes: dict[str, Sense] = {}
        self.unitno_terms: list[_Term] = []
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                self._add(row["lang"].strip(), row["term"].strip(), row["match"].strip(),
                          Sense.parse(row["meaning"]))
        self.lookup = lru_cache(maxsize=65536)(self._lookup)
        self.multi_candidates = lru_cache(maxsize=65536)(self._multi_candidates_uncached)
        self.unitno_before = self._unitno_regex()

    def _add(self, lang: str, term: str, match: str, sense: Sense) -> None:
        if match not in ("word", "stem", "cased"):
            raise ValueError(f"unknown match {match!r} for {term!r} in {TERMS_CSV.name}")
        words = tuple((match, _norm(w)) for w in fold(term).split())
        if sense.unitno:
            self.unitno_terms.append(_Term(lang, words, sense))
            return
        if len(words) > 1:
            kind, first = words[0]
            index = self.multi_stem if kind == "stem" else self.multi_word
            index.setdefault(first, []).append(_Term(lang, words, sense))
            return
        text = words[0][1]
        target = {"word": self.single, "stem": self.stems, "cased": self.cased}[match]
        target.setdefault(text, []).append((lang, sense))
        if match == "word" and lang in _LATIN_LANGS and text.isalpha() and (
            sense.echelon or sense.types or sense.guards or sense.separate or sense.hon
        ) and not sense.plural:
            self.morphemes.setdefault(text, sense)

    @staticmethod
    def _pick(entries: list[tuple[str, Sense]], lang: str | None) -> Sense:
        if lang:
            for entry_lang, sense in entries:
                if entry_lang == lang:
                    return sense
        return entries[0][1]

    def _lookup(self, token: str, upper: bool, lang: str | None) -> Sense | None:
        """The sense of one normalised token (cached); None when it is not a unit term."""
        if upper and token in self.cased:
            return self._pick(self.cased[token], lang)
        if token in self.single:
            return self._pick(self.single[token], lang)
        for k in range(len(token), 1, -1):
            if len(token) - k > STEM_MAX_ENDING:
                break
            entries = self.stems.get(token[:k])
            if entries:
                return self._pick(entries, lang)
        if "-" in token:
            parts = [p for p in token.split("-") if p]
            senses = [self.lookup(p, False, lang) for p in parts]
            known = [s for s in senses if s is not None]
            if known and (len(known) == len(senses) or (senses[-1] is not None and senses[-1].echelon)):
                merged = known[0]
                for sense in known[1:]:
                    merged = merged.merge(sense)
                return merged
            return None
        if token.isascii() and token.isalpha() and len(token) >= 6:
            return self._segment(token)
        return None

    def _segment(self, token: str) -> Sense | None:
        """German/Dutch compounds: 'motorschutzendivision' = motorschutzen + division."""
        morphemes = self.morphemes
        n = len(token)

        @lru_cache(maxsize=None)
        def best(i: int) -> tuple[Sense, ...] | None:
            if i == n:
                return ()
            if n - i <= 2 and i > 0 and token[i:] in ("s", "n", "e", "en", "es"):
                return ()  # inflection or linking letters at the end (Regiments)
            for j in range(n, i + 1, -1):
                sense = morphemes.get(token[i:j])
                if sense is None:
                    continue
                for link in ("", "s", "en", "n", "e"):
                    if link and not token.startswith(link, j):
                        continue
                    rest = best(j + len(link))
                    if rest is not None:
                        return (sense,) + rest
            return None

        parts = best(0)
        if not parts or len(parts) < 2:
            return None
        merged = parts[0]
        for sense in parts[1:]:
            merged = merged.merge(sense)
        return merged

    @staticmethod
    def _word_matches(kind: str, text: str, token: str) -> bool:
        if kind == "stem":
            return token.startswith(text) and len(token) - len(text) <= STEM_MAX_ENDING
        return token == text

    def _multi_candidates_uncached(self, token: str) -> tuple[_Term, ...]:
        found = list(self.multi_word.get(token, ()))
        for k in range(len(token), 1, -1):
            if len(token) - k > STEM_MAX_ENDING:
                break
            found.extend(self.multi_stem.get(token[:k], ()))
        return tuple(sorted(found, key=lambda t: -len(t.words)))

    def match_multi(self, norms: list[str], i: int, lang: str | None) -> tuple[int, Sense] | None:
        """The longest multi-word term starting at token i: (number of tokens, sense)."""
        candidates = self.multi_candidates(norms[i])
        if not candidates:
            return None
        best: tuple[int, Sense] | None = None
        for term in candidates:
            size = len(term.words)
            if i + size > len(norms) or (best and size < best[0]):
                continue
            if all(self._word_matches(kind, text, norms[i + k])
                   for k, (kind, text) in enumerate(term.words)):
                if best is None or (lang and term.lang == lang):
                    best = (size, term.sense)
        return best

    def _unitno_regex(self) -> re.Pattern:
        alternatives = []
        for term in self.unitno_terms:
            parts = []
            for kind, text in term.words:
                piece = re.escape(text).replace(r"\.", r"\.?")
                if kind == "stem":
                    piece += r"[^\W\d_]*"
                parts.append(piece)
            alternatives.append(r"[\s.]*".join(parts))
        alternatives.sort(key=len, reverse=True)
        return re.compile(
            r"(?<![^\W\d_])(?:" + "|".join(alternatives) + r")\.?\s*(?:№|no\.?|nr\.?|n°|#)?\s*$"
        )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()


@lru_cache(maxsize=1)
def type_compat() -> dict[str, frozenset[str]]:
    compat: dict[str, set[str]] = {}
    with TYPE_COMPAT_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            a, b = row["type"].strip(), row["compatible"].strip()
            compat.setdefault(a, {a}).add(b)
            compat.setdefault(b, {b}).add(a)
    return {k: frozenset(v) for k, v in compat.items()}


@lru_cache(maxsize=1)
def _scan_excluded() -> frozenset[str]:
    with SCAN_EXCLUDE_CSV.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["alias"].strip() for row in csv.DictReader(handle))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class UnitMatch:
    """A unit found for a mention: how sure (score, 0–1) and how it was found (via)."""

    unit: Unit
    score: float
    via: str


@dataclass(frozen=True)
class UnitMention:
    """A unit named in a text: the span, and the unit when the gazetteer has exactly one that fits.

    ``unit`` is None when a unit was named but is not in the gazetteer, is ambiguous, or is not
    Russian (``side`` "ua" or "nato"); ``via`` says which.
    """

    start: int
    end: int
    text: str
    unit: Unit | None
    score: float
    via: str = ""
    side: str | None = None


@dataclass(frozen=True)
class Designation:
    """A parsed designation: what a mention says about the unit."""

    number: int | None
    echelon: str | None = None
    types: frozenset[str] = frozenset()
    guards: bool = False
    separate: bool = False
    ordinal: bool = True
    side: str | None = None
    quals: frozenset[str] = frozenset()


@dataclass
class _Phrase:
    end: int
    echelon: str | None = None
    types: set[str] = field(default_factory=set)
    guards: bool = False
    separate: bool = False
    side: str | None = None
    quals: set[str] = field(default_factory=set)
    plural: bool = False
    first_abbr: bool = False
    pre_head: list[tuple[str, str, Sense | None]] = field(default_factory=list)
    head_nom: bool = False

    @property
    def valid(self) -> bool:
        return bool(self.echelon or self.types)


@dataclass
class _Raw:
    start: int
    end: int
    kind: str  # "ordinal" (a numbered designation) or "unitno" (a military unit number)
    designation: Designation
    unit_number: str | None = None


# --------------------------------------------------------------------------- parsing

_NUMBER = re.compile(r"[aа]?\d+")
_DECIMAL_AFTER = re.compile(r"[.,:/]\d")
_SUFFIX = re.compile(
    r"(?:-(?:ого|ому|ая|ый|ий|ой|ую|ое|ей|ым|им|ом|го|му|та|ша|га|тя|ма|ва|ої|ій|ту|шу|гу|тю"
    r"|й|я|е|ю|м|ї"
    r"|aya|iya|ogo|omu|tya|sha|ya|yy|iy|yi|ii|ij|yj|oy|oi|oj|go|yu|ye|ja|ta|ha|ga|ma|va|mu|om|y|i|j)"
    r"|(?:ого|ая|ый|ий|ой|го|та|ша|га|тя|ма|й|я)"
    r"|(?:ieme|eme|ere|nde|ste|st|nd|rd|th|er|re|de|e))(?![^\W\d_])"
    r"|\.(?=[ \t]+[^\W\d_])"
)
_FIRST_WORD = re.compile(r"[ \t]*([^\W\d_]+(?:['\-][^\W\d_]+)*\.?)")
_NOM_ENDINGS = ("ая", "яя", "ый", "ий", "ой", "ій", "а", "я")


def _sentence_gap(folded: str, a: int, b: int) -> bool:
    return folded.count("\n", a, b) >= 2


def _trim_end(folded: str, s: int, e: int, full_stop: bool) -> int:
    """The end of a mention's last word without the sentence's full stop or an English 's."""
    if full_stop and folded[e - 1] == ".":
        e -= 1
    if folded.endswith("'s", s, e):
        return e - 2
    if folded.endswith("'", s, e):
        return e - 1
    return e


class _Parser:
    """Reads designations after a number; shared by the resolver and the profile builder."""

    def __init__(self, lex: Lexicon):
        self.lex = lex

    def sense_of(self, text: str, folded: str, s: int, e: int, lang: str | None) -> tuple[Sense | None, bool]:
        """(sense, ends_sentence) of the token text[s:e]."""
        raw = folded[s:e]
        upper = text[s:e].isupper()
        if raw.endswith(".") and len(raw) > 1:
            norm = _norm(raw)
            if norm in self.lex.single or (upper and norm in self.lex.cased):
                return self.lex.lookup(norm, upper, lang), False  # an abbreviation: гв., div.
            return self.lex.lookup(_norm(raw[:-1]), upper, lang), True  # a full stop
        return self.lex.lookup(_norm(raw), upper, lang), False

    def tokens(self, folded: str, pos: int, limit: int = 16) -> list[tuple[int, int]]:
        return [m.span() for m in islice(TOKEN.finditer(folded, pos, min(len(folded), pos + 200)), limit)]

    def phrase(self, text: str, folded: str, pos: int, lang: str | None) -> _Phrase:
        ph = _Phrase(end=pos)
        # Most numbers are counts or dates: reject them on the first word, without tokenising.
        first = _FIRST_WORD.match(folded, pos)
        if first is not None:
            s, e = first.span(1)
            if not text[s].isupper() and self.sense_of(text, folded, s, e, lang)[0] is None \
                    and not self.lex.multi_candidates(_norm(folded[s:e].rstrip("."))):
                return ph
        toks = self.tokens(folded, pos)
        norms = [_norm(folded[s:e].rstrip(".")) for s, e in toks]
        head = False
        unknown = 0
        prev_end = pos
        i = 0
        while i < len(toks):
            s, e = toks[i]
            if _sentence_gap(folded, prev_end, s):
                break
            raw = folded[s:e]
            if raw[0].isdigit():
                break
            if len(raw) == 1 and not raw.isalpha():
                if raw in _TRANSPARENT:
                    prev_end = e
                    i += 1
                    continue
                break
            if folded.startswith("-", e) and folded[e + 1:e + 2].isdigit():
                break  # a model designation, not a unit: АК-47, Су-34, Т-72
            size = 1
            ends = False
            multi = self.lex.match_multi(norms, i, lang)
            sense: Sense | None
            if multi:
                size, sense = multi
                e = toks[i + size - 1][1]
                ends = folded[e - 1] == "."
            else:
                sense, ends = self.sense_of(text, folded, s, e, lang)
            if sense is None:
                if head:
                    break
                if text[s].isupper() and unknown < 3:
                    unknown += 1
                    ph.pre_head.append((norms[i], text[s:e], None))
                    prev_end = e
                    i += 1
                    continue
                break
            if sense.det:
                if not head:
                    # "Order of Kutuzov": an article only inside a capitalised honorific
                    if i + 1 < len(toks):
                        ns, ne = toks[i + 1]
                        nxt, _ = self.sense_of(text, folded, ns, ne, lang)
                        if nxt is None and text[ns].isupper() and unknown < 3 and ph.pre_head:
                            prev_end = e
                            i += 1
                            continue
                    break
                prev_end = e
                i += size
                continue
            if sense.conj or sense.unitno:
                break
            if sense.echelon:
                if head:
                    break
                head = True
                ph.echelon = sense.echelon
                ph.head_nom = sense.nom
                ph.plural = ph.plural or sense.plural
            if not ph.pre_head and sense.abbr:
                ph.first_abbr = True
            if not head or sense.echelon:
                ph.pre_head.append((norms[i], text[s:e], sense))
            ph.types.update(sense.types)
            ph.quals.update(sense.quals)
            ph.guards = ph.guards or sense.guards
            ph.separate = ph.separate or sense.separate
            if sense.side and sense.side != "ru":
                ph.side = sense.side  # a foreign marker (ЗСУ, ukrainienne) decides
            if sense.descriptive or (sense.side and sense.side != "ru"):
                ph.end = _trim_end(folded, s, e, ends)
            prev_end = e
            i += size
            if ends:
                break
        return ph

    def side_before(self, text: str, folded: str, start: int, lang: str | None) -> str | None:
        """'Ukraine's 47th', 'украинской 47-й', 'the U.S. 82nd': who the unit belongs to."""
        window = folded[max(0, start - 60):start]
        offset = max(0, start - 60)
        toks = [m.span() for m in TOKEN.finditer(window)]
        for s, e in reversed(toks[-4:]):
            raw = window[s:e]
            if len(raw) == 1 and not raw.isalpha():
                if raw in _TRANSPARENT:
                    continue
                return None
            if raw[0].isdigit():
                return None
            sense, _ = self.sense_of(text, folded, s + offset, e + offset, lang)
            if sense is None:
                return None
            if sense.side:
                return sense.side
            if not (sense.det or sense.hon or sense.guards or sense.separate):
                return None
        return None

    @staticmethod
    def bare_number_ok(ph: _Phrase, text: str) -> bool:
        """A number without ordinal marker names a unit only in designation style.

        "255 мсп", "20 гв. мсд", "11 Luchtmobiele Brigade", "20 гвардейская мотострелковая
        дивизия" — but not counts: "20 soldiers", "2 дивизии", "3 полка", "20 divisions".
        """
        if ph.plural or not ph.pre_head or any(sense is None for _, _, sense in ph.pre_head):
            return False
        if ph.first_abbr:
            return True
        first_norm, first_text, _ = ph.pre_head[0]
        if not ph.echelon:
            return False
        if _CYRILLIC.search(first_norm):
            if not ph.head_nom:
                return False
            for norm, _, sense in ph.pre_head:
                if sense is not None and sense.echelon:
                    continue
                if not norm.endswith(_NOM_ENDINGS):
                    return False
            return True
        # Latin script: a capitalised designation of known words only ("11 Luchtmobiele Brigade");
        # not "41 Russian army deserters".
        return all(sense is not None and sense.descriptive and not sense.side and raw[:1].isupper()
                   for _, raw, sense in ph.pre_head)

    def scan(self, text: str, folded: str, lang: str | None, strict: bool = True) -> list[_Raw]:
        """Numbered designations and military unit numbers in a text, without resolving them."""
        anchors = []
        for m in _NUMBER.finditer(folded):
            s, e = m.span()
            if s and (folded[s - 1].isalnum() or folded[s - 1] in "._/-,"):
                if not (e - s == 5 and folded[s - 1] in "чch"):  # в/ч58550, v/ch58550
                    continue
            if _DECIMAL_AFTER.match(folded, e):
                continue
            anchors.append((s, e))
        found: list[_Raw] = []
        borrowed: dict[int, _Raw] = {}
        for s, e in reversed(anchors):
            token = folded[s:e]
            lettered = not token[0].isdigit()
            digits = token.lstrip("aа")
            if (lettered and len(digits) == 4) or (not lettered and len(digits) == 5):
                prefix = self.lex.unitno_before.search(folded, max(0, s - 48), s)
                if prefix and not (e < len(folded) and folded[e].isalnum()):
                    side = "ua" if lettered else None
                    found.append(_Raw(prefix.start(), e, "unitno", Designation(None, side=side),
                                      unit_number=text[s:e]))
                continue
            if lettered or len(digits) > 3 or digits.startswith("0"):
                continue
            sfx = _SUFFIX.match(folded, e)
            ordinal = sfx is not None
            end = sfx.end() if sfx else e
            if not ordinal and end < len(folded) and folded[end].isalnum():
                continue
            number = int(digits)
            # "20-й и 150-й мотострелковых дивизий": the first number borrows the second's words.
            if ordinal:
                nxt = self.tokens(folded, end, 2)
                if len(nxt) == 2:
                    (cs, ce), (ns, _) = nxt
                    conj = folded[cs:ce] == "," or (
                        (sense := self.sense_of(text, folded, cs, ce, lang)[0]) is not None and sense.conj)
                    if conj and ns in borrowed:
                        d = borrowed[ns].designation
                        raw = _Raw(s, end, "ordinal", Designation(
                            number, d.echelon, d.types, d.guards, d.separate, True, d.side, d.quals))
                        borrowed[s] = raw
                        found.append(raw)
                        continue
            ph = self.phrase(text, folded, end, lang)
            if not ph.valid:
                continue
            if not ordinal and strict and not self.bare_number_ok(ph, text):
                continue
            side = ph.side if ph.side not in (None, "ru") else None
            if side is None:
                before = self.side_before(text, folded, s, lang)
                side = before if before not in (None, "ru") else None
            raw = _Raw(s, ph.end, "ordinal", Designation(
                number, ph.echelon, frozenset(ph.types), ph.guards, ph.separate, ordinal, side,
                frozenset(ph.quals)))
            if ordinal:
                borrowed[s] = raw
            found.append(raw)
        found.reverse()
        return found


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Profile:
    """One way a unit is designated (from its names and each numbered alias)."""

    number: int
    echelon: str
    types: frozenset[str]
    guards: bool
    separate: bool
    quals: frozenset[str]
    source: str


def _alias_key(text: str) -> str:
    return re.sub(r"[\s\"()\[\]]+", " ", fold(text)).strip(" .,;:")


_ENDINGS = sorted(
    ["ого", "его", "ому", "ему", "ими", "ыми", "ая", "яя", "ой", "ей", "ый", "ий", "ій", "ое",
     "ее", "ые", "ие", "ую", "юю", "ых", "их", "ым", "им", "ом", "ем", "ам", "ям", "ах", "ях",
     "ия", "ія", "ья", "ою", "ею", "ої", "а", "я", "о", "е", "ы", "и", "і", "ї", "у", "ю", "ь",
     "й", "є"],
    key=len, reverse=True,
)


def _alias_word_pattern(word: str) -> str:
    """A regex for one folded alias word that allows case endings (ru/uk) and -s/-en (Latin)."""
    if _CYRILLIC.search(word) and len(word) >= 4 and word.isalpha():
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        return re.escape(word) + r"[^\W\d_]{0,4}"
    if word.isascii() and len(word) >= 4 and word.isalpha():
        for ending in ("er", "en", "es", "em", "e"):  # German adjectives: Südlicher, im Südlichen
            if len(word) >= 6 and word.endswith(ending):
                word = word[: -len(ending)]
                break
        return re.escape(word) + r"(?:e|er|en|es|em|s|n|'s)?"
    return re.escape(word)


@dataclass(frozen=True)
class _AliasPattern:
    alias: str
    unit_id: str
    regex: re.Pattern
    exact_case: bool


# --------------------------------------------------------------------------- the resolver


class UnitResolver:
    """Finds gazetteer units in mentions and in whole documents (see the module docstring)."""

    def __init__(self, units: Iterable[Unit]):
        self.units: dict[str, Unit] = {u.id: u for u in units}
        self.lexicon = lexicon()
        self._parser = _Parser(self.lexicon)
        self._compat = type_compat()
        self._by_unit_number: dict[str, Unit] = {}
        self._alias_index: dict[str, set[str]] = {}
        self._profiles: dict[int, list[tuple[str, Profile]]] = {}
        self._alias_groups: dict[str, tuple[re.Pattern, list[_AliasPattern]]] = {}
        self._build()

    # ---- construction

    @classmethod
    def from_gazetteer(cls) -> "UnitResolver":
        """From the bundled gazetteer CSV plus `data/aliases_extra.csv`."""
        return _cached_resolver(tuple(with_extra_aliases(read_gazetteer())))

    @classmethod
    def from_store(cls, store) -> "UnitResolver":
        """From the knowledge base's `units` and `unit_aliases` tables."""
        from awol.units.loading import units_from_store

        return _cached_resolver(tuple(units_from_store(store)))

    def _build(self) -> None:
        scan_excluded = _scan_excluded()
        patterns: dict[str, list[_AliasPattern]] = {}
        for unit in self.units.values():
            if unit.military_unit_number:
                self._by_unit_number[unit.military_unit_number] = unit
            names = [unit.name_en, unit.name_ru, *unit.aliases]
            for name in dict.fromkeys(n for n in names if n):
                self._alias_index.setdefault(_alias_key(name), set()).add(unit.id)
            self._add_profiles(unit)
            for name in dict.fromkeys(n for n in names if n):
                if any(ch.isdigit() for ch in name) or name in scan_excluded:
                    continue
                pattern = self._alias_pattern(unit, name)
                if pattern is not None:
                    key, ap = pattern
                    patterns.setdefault(key, []).append(ap)
        for key, group in patterns.items():
            # Every pattern of a group starts with the key's letters: a literal prefix lets the
            # regex engine skip quickly to candidate places; the left word boundary is checked
            # after the match.
            rests = sorted((ap.regex.pattern[len(key):] for ap in group), key=len, reverse=True)
            combined = re.compile(re.escape(key) + "(?:" + "|".join(rests) + r")(?![^\W\d_])")
            self._alias_groups[key] = (combined, group)

    def _alias_pattern(self, unit: Unit, name: str) -> tuple[str, _AliasPattern] | None:
        folded = fold(name)
        words = [w for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)*", folded)]
        if not words:
            return None
        body = r"[\s\-\"']+".join(_alias_word_pattern(w) for w in words)
        exact_case = len(words) == 1 and len(name) <= 6 and any(c.isupper() for c in name[1:])
        key = words[0][:3]
        if not body.startswith(re.escape(key)):
            return None
        return key, _AliasPattern(name, unit.id, re.compile(body), exact_case)

    def _add_profiles(self, unit: Unit) -> None:
        column_types = {unit.type} & _COLUMN_TYPES
        seen: set[tuple] = set()
        canonical = None
        for source in (unit.name_en, unit.name_ru):
            d = self._designation_of(source)
            if d is None:
                continue
            if canonical is None:
                canonical = d
            else:
                canonical = Designation(
                    canonical.number, canonical.echelon, canonical.types | d.types,
                    canonical.guards or d.guards, canonical.separate or d.separate,
                    quals=canonical.quals | d.quals)
        entries: list[tuple[Designation, str]] = []
        if canonical is not None:
            entries.append((canonical, "name"))
        for alias in unit.aliases:
            d = self._designation_of(alias)
            if d is not None:
                entries.append((d, "alias " + alias))
        for d, source in entries:
            if d.number is None or d.side not in (None, "ru"):
                continue
            echelon = d.echelon or unit.echelon
            if source == "name":
                echelon = unit.echelon
            profile = Profile(d.number, echelon, frozenset(d.types | column_types), d.guards,
                              d.separate, d.quals, source)
            key = (profile.number, profile.echelon, profile.types, profile.guards, profile.separate,
                   profile.quals)
            if key in seen:
                continue
            seen.add(key)
            self._profiles.setdefault(profile.number, []).append((unit.id, profile))

    def _designation_of(self, name: str) -> Designation | None:
        for raw in self._parser.scan(name, fold(name), None, strict=False):
            if raw.kind == "ordinal":
                return raw.designation
        return None

    # ---- matching

    def _score(self, d: Designation, p: Profile) -> tuple[float, str] | None:
        parts = ["number"]
        if d.echelon:
            if d.echelon != p.echelon:
                return None
            score = BASE_ECHELON
            parts.append("echelon")
        else:
            score = BASE_TYPE_ONLY
        if d.types:
            wanted: set[str] = set()
            for t in d.types:
                wanted |= self._compat.get(t, {t})
            if not (wanted & p.types):
                return None
            score += TYPE_AGREES
            parts.append("type")
        elif not p.types or p.types <= _DEFAULT_TYPES.get(p.echelon, frozenset()):
            score += TYPE_AGREES
        else:
            score += TYPE_UNSTATED
            parts.append("type unstated")
        if d.guards:
            if p.guards:
                score += GUARDS_AGREE
                parts.append("guards")
            else:
                score += GUARDS_CONTRADICTED
                parts.append("guards not in gazetteer")
        if d.separate:
            if p.separate:
                score += SEPARATE_AGREES
                parts.append("separate")
            else:
                score += SEPARATE_CONTRADICTED
        for qual in sorted(d.quals):
            if qual in p.quals:
                score += QUALIFIER_AGREES
                parts.append(qual)
            else:
                score += QUALIFIER_CONTRADICTED
        if not d.ordinal:
            score += BARE_NUMBER
        return min(score, SCORE_CAP), "+".join(parts)

    def match_designation(self, d: Designation) -> tuple[Unit | None, float, str]:
        """The unit a parsed designation names: (unit or None, score, via)."""
        if d.side == "ua":
            return None, 0.0, "Ukrainian unit"
        if d.side == "nato":
            return None, 0.0, "NATO or other foreign unit"
        if d.number is None:
            return None, 0.0, "no number"
        best: dict[str, tuple[float, str, Profile]] = {}
        for unit_id, profile in self._profiles.get(d.number, ()):
            scored = self._score(d, profile)
            if scored is None:
                continue
            score, via = scored
            if unit_id not in best or score > best[unit_id][0]:
                best[unit_id] = (score, via, profile)
        if not best:
            return None, 0.0, "not in the gazetteer"
        ranked = sorted(best.items(), key=lambda item: -item[1][0])
        top_id, (top_score, via, profile) = ranked[0]
        if len(ranked) > 1 and ranked[1][1][0] > top_score - AMBIGUITY_MARGIN + 1e-9:
            tied = ", ".join(uid for uid, _ in ranked if _[0] > top_score - AMBIGUITY_MARGIN + 1e-9)
            return None, 0.0, f"ambiguous: {tied}"
        if profile.source != "name":
            via += f" ({profile.source})"
        return self.units[top_id], round(top_score, 3), via

    # ---- public API

    def resolve(self, text: str, lang: str | None = None) -> UnitMatch | None:
        """The unit a mention names (any of the six languages, or a military unit number)."""
        text = (text or "").strip()
        if not text:
            return None
        ids = self._alias_index.get(_alias_key(text))
        if ids and len(ids) == 1:
            return UnitMatch(self.units[next(iter(ids))], SCORE_EXACT, "alias")
        bare = re.fullmatch(r"[#№]?\s*(\d{5})", text)
        if bare:
            unit = self._by_unit_number.get(bare.group(1))
            return UnitMatch(unit, SCORE_EXACT, f"military unit number {bare.group(1)}") if unit else None
        # A longer text: the best resolved mention in it (the first one on a tie).
        found = [(m.unit, m.score, m.via) for m in self.find_mentions(text, lang) if m.unit]
        if not found:
            return None
        unit, score, via = max(found, key=lambda item: item[1])
        return UnitMatch(unit, score, via)

    def find_mentions(self, text: str, lang: str | None = None) -> list[UnitMention]:
        """Every unit mention in a document, with character spans into ``text``.

        Mentions of units not in the gazetteer (or not Russian) are returned with unit None, so
        that callers can see that a unit was named.
        """
        if not text:
            return []
        folded = fold(text)
        candidates: list[UnitMention] = []
        for raw in self._parser.scan(text, folded, lang):
            candidates.append(self._mention(text, raw))
        candidates.extend(self._alias_mentions(text, folded))
        return _merge(candidates)

    def _mention(self, text: str, raw: _Raw) -> UnitMention:
        span = text[raw.start:raw.end]
        if raw.kind == "unitno":
            number = raw.unit_number or ""
            if raw.designation.side == "ua":
                return UnitMention(raw.start, raw.end, span, None, 0.0,
                                   f"Ukrainian military unit number {number}", "ua")
            unit = self._by_unit_number.get(number)
            if unit is None:
                return UnitMention(raw.start, raw.end, span, None, 0.0,
                                   f"military unit number {number} not in the gazetteer")
            return UnitMention(raw.start, raw.end, span, unit, SCORE_EXACT,
                               f"military unit number {number}")
        d = raw.designation
        unit, score, via = self.match_designation(d)
        return UnitMention(raw.start, raw.end, span, unit, score, via, d.side)

    def _alias_mentions(self, text: str, folded: str) -> list[UnitMention]:
        keys = {w[:3] for w in _WORD_PREFIX.findall(folded)} & self._alias_groups.keys()
        found = []
        for key in keys:
            combined, group = self._alias_groups[key]
            for m in combined.finditer(folded):
                s, e = m.span()
                if s and (folded[s - 1].isalpha()):
                    continue
                matched = folded[s:e]
                for ap in group:
                    if not ap.regex.fullmatch(matched):
                        continue
                    if ap.exact_case and text[s:e] != ap.alias:
                        continue
                    exact = matched == fold(ap.alias)
                    found.append(UnitMention(
                        s, e, text[s:e], self.units[ap.unit_id],
                        SCORE_ALIAS_IN_TEXT if exact else SCORE_ALIAS_INFLECTED,
                        "alias" if exact else "alias (inflected)"))
                    break
        return found


def _merge(candidates: list[UnitMention]) -> list[UnitMention]:
    """Overlapping mentions: keep the resolved one with the best score, then the longest."""
    ranked = sorted(candidates, key=lambda m: (m.unit is None, -m.score, -(m.end - m.start), m.start))
    kept: list[UnitMention] = []
    for m in ranked:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


@lru_cache(maxsize=4)
def _cached_resolver(units: tuple[Unit, ...]) -> UnitResolver:
    return UnitResolver(units)
