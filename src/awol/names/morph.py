"""Russian and Ukrainian names in any grammatical case, back to the nominative (pymorphy3).

A name in running text is inflected: "Сергея Стерлядникова" (genitive), "Ивановой Марии"
(dative). One word alone is often ambiguous — "Стерлядникова" is his genitive or her
nominative — so the words of a name are read together: the case and gender chosen are the
ones that every word can carry (nominative preferred). When two readings stay plausible
("Александра Петрова": she, or his genitive) the gender is left open and both lemmas kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Any

_UKRAINIAN_LETTERS = frozenset("іїєґІЇЄҐ'")
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct")
_CASE_PRIOR = {"nomn": 1.0, "gent": 0.6, "datv": 0.45, "accs": 0.45, "ablt": 0.45, "loct": 0.35, "voct": 0.2}
_NAME_TAGS = ("Name", "Surn", "Patr")
_KEEP_RATIO = 0.35


# Case endings of -ов/-ев/-ин/-ский surnames, for words the dictionaries do not know well.
_SURNAME_ENDINGS = (
    ("ского", "ский"), ("скому", "ский"), ("ским", "ский"), ("ском", "ский"), ("ской", "ский"),
    ("скую", "ский"), ("цкого", "цкий"), ("цкому", "цкий"), ("цким", "цкий"), ("цкой", "цкий"),
    ("овой", "ов"), ("евой", "ев"), ("ёвой", "ёв"), ("иной", "ин"), ("ыной", "ын"),
    ("ову", "ов"), ("еву", "ев"), ("ину", "ин"), ("овым", "ов"), ("евым", "ев"), ("иным", "ин"),
    ("ове", "ов"), ("еве", "ев"), ("ине", "ин"), ("ова", "ов"), ("ева", "ев"), ("ина", "ин"),
    ("ьського", "ський"), ("ському", "ський"), ("ською", "ський"), ("ської", "ський"),
)


def _surname_stems(word: str) -> list[str]:
    for ending, base in _SURNAME_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return [word[: -len(ending)] + base]
    return []


@dataclass(frozen=True)
class WordForms:
    """A Cyrillic word read in context: its nominative lemmas and what pymorphy calls it."""

    lemmas: tuple[str, ...]
    tags: frozenset[str]  # among Name, Surn, Patr


@lru_cache(maxsize=2)
def _analyzer(lang: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=100_000)
def _parses(word: str, ukrainian: bool) -> tuple[tuple[str, str | None, str | None, frozenset[str], float], ...]:
    """(lemma, case, gender, name tags, weight) for each singular reading of one word."""
    out = []
    langs = (("uk", 1.0), ("ru", 0.8)) if ukrainian else (("ru", 1.0), ("uk", 0.8))
    for lang, weight in langs:
        analyzer = _analyzer(lang)
        if not analyzer.word_is_known(word):
            weight *= 0.3  # a guess from the word's ending, not a dictionary entry
        for p in analyzer.parse(word):
            tag = p.tag
            if tag.number == "plur":
                continue
            names = frozenset(t for t in _NAME_TAGS if t in tag)
            w = weight * (1.0 if names else 0.35)
            # Plain strings: pymorphy's grammemes compare slowly.
            case = str(tag.case) if "Fixd" not in tag and tag.case else None
            gender = str(tag.gender) if tag.gender in ("masc", "femn") else None
            out.append((p.normal_form, case, gender, names, w))
    return tuple(out)


_HYPOTHESES = tuple(product(_CASES, ("masc", "femn")))


@lru_cache(maxsize=400_000)
def _word_hypotheses(word: str, ukrainian: bool) -> tuple[tuple[tuple[str, frozenset[str]], float] | None, ...]:
    """For each (case, gender) of ``_HYPOTHESES``, the word's likeliest reading in it
    ((lemma, name tags), weight), or ``None`` when it has none. (Cached per word: the words
    of names recur far more often than whole names.)"""
    options = _parses(word, ukrainian)
    out = []
    for case, hyp_gender in _HYPOTHESES:
        best: tuple[tuple[str, frozenset[str]], float] | None = None
        for lemma, p_case, p_gender, names, w in options:
            if p_case not in (case, None) or p_gender not in (hyp_gender, None):
                continue
            if best is None or w > best[1]:
                best = ((lemma, names), w)
        out.append(best)
    return tuple(out)


def analyze(words: list[str]) -> tuple[list[WordForms], str | None]:
    """Read the Cyrillic ``words`` of one name together.

    Returns one ``WordForms`` per word and the gender the inflection shows (``"m"``,
    ``"f"`` or ``None`` when it cannot tell). (Cached on the words.)
    """
    forms, gender, _nominative = _analyze(tuple(words))
    return list(forms), gender


def nominative_gender(words: list[str]) -> str | None:
    """The gender of the name read in the nominative, when that reading is plausible and
    says one gender ("Евгения Медведева": a woman, though it may also be his genitive);
    ``None`` when the words cannot be a nominative or it does not tell. (Cached.)"""
    return _analyze(tuple(words))[2]


@lru_cache(maxsize=100_000)
def _analyze(words: tuple[str, ...]) -> tuple[tuple[WordForms, ...], str | None, str | None]:
    forms, gender, nominative = _analyze_uncached(words)
    return tuple(forms), gender, nominative


def _analyze_uncached(words: tuple[str, ...] | list[str]) -> tuple[list[WordForms], str | None, str | None]:
    lowered = [w.lower() for w in words]
    ukrainian = any(ch in _UKRAINIAN_LETTERS for w in words for ch in w)
    readings = [_word_hypotheses(w, ukrainian) for w in lowered]
    scored = []
    cases = []
    for h, (case, hyp_gender) in enumerate(_HYPOTHESES):
        total = _CASE_PRIOR[case]
        chosen: list[tuple[str, frozenset[str]]] = []
        for word, hypotheses in zip(lowered, readings):
            best = hypotheses[h]
            if best is None:
                chosen.append((word, frozenset()))
                total *= 0.02
            else:
                chosen.append(best[0])
                total *= best[1]
        scored.append((total, hyp_gender, chosen))
        cases.append(case)
    top = max(s[0] for s in scored)
    kept = [s for s in scored if s[0] >= top * _KEEP_RATIO and s[0] > 0]
    nominative_genders = {g for (total, g, _), c in zip(scored, cases)
                          if c == "nomn" and total >= top * _KEEP_RATIO and total > 0}
    nominative = None
    if len(nominative_genders) == 1:
        nominative = "m" if nominative_genders.pop() == "masc" else "f"
    genders = {g for _, g, _ in kept}
    gender: str | None = None
    if len(genders) == 1:
        gender = "m" if genders.pop() == "masc" else "f"
    forms = []
    for i, word in enumerate(lowered):
        lemmas = tuple(dict.fromkeys([word] + [c[i][0] for _, _, c in kept] + _surname_stems(word)))
        tags = frozenset().union(*(c[i][1] for _, _, c in kept)) if kept else frozenset()
        forms.append(WordForms(lemmas, tags))
    return forms, gender, nominative
