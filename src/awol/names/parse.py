"""A personal name split into given name, patronymic, surname and initials, in any order.

Roles come from what each word is, not where it stands: a word the given-name table knows
is a given name, a word with a patronymic ending (-ovich, -ovna, -owitsch, -ovych…) is a
patronymic, the rest are surnames. Position only breaks ties (a patronymic follows the given
name; "Surname, Given" with a comma). When two readings of the roles stay equally good
("Roman Abramovich": given + surname, or given + patronymic?) the others are kept in
``alternatives`` and the matcher tries them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import product

from . import morph
from .given_names import table as given_table
from .normalize import normalize_name
from .scripts import CYRILLIC, char_script, detect_script
from .translit import coarse, coarse_keys, czech_feminine_bases, primary_reading

MAX_WORDS = 6
MAX_WORD_LENGTH = 40
MAX_NAME_LENGTH = 300

# Surname endings in coarse keys.
_MASC_SURNAME = ("ov", "ev", "in", "ski", "cki", "oi", "ii", "enko", "uk", "ko", "iC", "Svili", "dse", "ec")
_FEM_SURNAME = ("ova", "eva", "ina", "ska", "cka")
_CZECH_FEMININE = ("ovova", "evova", "inova")
_FEM_TO_MASC = (("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("ska", "ski"), ("cka", "cki"))

_INITIAL = re.compile(r"^(?:[^\W\d_]|[A-Z][a-z]|[A-Z][a-z][a-z]|Щ|Дж)\.$")
# J. / Y. may stand for Ю, Е, Я, Ё as well as И (Jurij, Yevgeny, Jakov, Josif); I. for И and
# for Ю, Я in the passport spelling (Iurii, Iakov), never for Е or Ё (Egor, not Iegor).
_GLIDE_INITIAL = frozenset("iueao")
_I_INITIAL = frozenset("iua")
_INITIAL_TAILS = ("h", "ch", "sch", "sh", "zh", "z", "s", "j", "sj", "zj")
_FEMININE_PATRONYMIC = re.compile(r"(?:ов|ев|ёв|ів|їв|ич)н(?:а|ы|е|у|ой|ою|и|ої|ій)$")
_TOKEN = re.compile(r"[^\s,]+")


class InvalidNameError(ValueError):
    """A name that cannot be read: empty, or without a single letter."""


@dataclass
class Word:
    text: str
    keys: frozenset[str]
    initial: bool = False
    tags: frozenset[str] = frozenset()
    given_ids: dict[str, str] = field(default_factory=dict)
    father_ids: frozenset[str] = frozenset()
    patronymic_gender: str | None = None
    index: int = 0
    primary: frozenset[str] = frozenset()  # keys of the most likely reading only
    given_primary: dict[str, str] = field(default_factory=dict)  # given names of that reading

    @property
    def surname_like(self) -> bool:
        return "Surn" in self.tags or any(k.endswith(_MASC_SURNAME + _FEM_SURNAME) and len(k) > 4 for k in self.keys)


@dataclass
class ParsedName:
    """A name read into its parts. ``given``/``patronymic``/``surname`` are the words as
    written (``None`` when absent); ``initials`` are the letters of initials (``("A", "S")``);
    ``gender`` is ``"m"``, ``"f"`` or ``None`` when the name does not say."""

    original: str
    given: str | None = None
    patronymic: str | None = None
    surname: str | None = None
    initials: tuple[str, ...] = ()
    gender: str | None = None
    script: str = "none"
    extra: tuple[str, ...] = ()
    # What the matcher compares (coarse keys, table ids); not part of the public shape.
    given_word: Word | None = field(default=None, repr=False, compare=False)
    patronymic_word: Word | None = field(default=None, repr=False, compare=False)
    surname_words: tuple[Word, ...] = field(default=(), repr=False, compare=False)
    given_initial: Word | None = field(default=None, repr=False, compare=False)
    patronymic_initial: Word | None = field(default=None, repr=False, compare=False)
    surname_keys: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    surname_primary: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    alternatives: tuple["ParsedName", ...] = field(default=(), repr=False, compare=False)
    # A Cyrillic name's gender read in the nominative (see ``morph.nominative_gender``).
    nominative_gender: str | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, object]:
        return {
            "given": self.given,
            "patronymic": self.patronymic,
            "surname": self.surname,
            "initials": list(self.initials),
            "gender": self.gender,
            "script": self.script,
        }


def _split_initials(token: str) -> list[str]:
    """"A.S." → ["A.", "S."]; "Yu.A." → ["Yu.", "A."]; other tokens unchanged."""
    if "." not in token:
        return [token]
    parts = [p for p in token.split(".")]
    pieces = [p + "." for p in parts[:-1] if p] + ([parts[-1]] if parts[-1] else [])
    if all(len(p.rstrip(".")) <= 3 for p in pieces[:-1]):
        return pieces
    return [token]


def tokens(name: str) -> tuple[list[str], int | None]:
    """Words of a normalised name and, when a comma marks "Surname, Given", the number of
    words before the comma."""
    before_comma = None
    if "," in name:
        head = name.split(",", 1)[0]
        before_comma = len([t for p in _TOKEN.findall(head) for t in _split_initials(p)])
    words = [t for p in _TOKEN.findall(name) for t in _split_initials(p)]
    words = [w.strip("-'") for w in words]
    return [w for w in words if any(ch.isalpha() for ch in w)], before_comma


def _is_initial(word: str) -> bool:
    letters = word.rstrip(".")
    if word.endswith(".") and 1 <= len(letters) <= 3 and letters[:1].isupper():
        return True
    return len(letters) == 1 and letters.isalpha()


def _make_word(text: str, index: int, lemmas: tuple[str, ...] = (), tags: frozenset[str] = frozenset()) -> Word:
    # Cached on the word: every name with this word shares one Word, which is never changed
    # in place (a narrowed reading is a new Word, made with ``replace``). Its position in the
    # name is not recorded (nothing reads it).
    return _make_word_cached(text, lemmas, tags)


@lru_cache(maxsize=200_000)
def _make_word_cached(text: str, lemmas: tuple[str, ...], tags: frozenset[str]) -> Word:
    index = 0
    table = given_table()
    bare = text.rstrip(".").lower()
    if _is_initial(text):
        keys = frozenset(k[:1] for k in coarse_keys(bare) if k)
        if len(bare) == 1 and bare.isascii():
            # A Latin initial is the first letter of a transliterated word: C. may be Ch (Х,
            # Ч), S. Sch/Sz (Ш), T. Tsch (Ч), Z. Zh (Ж), K. Kh (Х).
            keys = keys.union(*(frozenset(k[:1] for k in coarse_keys(bare + tail) if k)
                                for tail in _INITIAL_TAILS))
        if bare in ("j", "y", "й"):
            keys = _GLIDE_INITIAL | ({"S"} if bare == "j" else set())  # French J. = Ж.
        elif bare in ("i", "и"):
            keys = _I_INITIAL
        return Word(text, keys, initial=True, index=index)
    forms = lemmas or (bare,)
    keys = frozenset().union(*(coarse_keys(f) for f in forms))
    primary = frozenset(k for k in (coarse(primary_reading(f)) for f in forms) if k) or keys
    father, patr_gender = table.father(keys)
    if patr_gender and _FEMININE_PATRONYMIC.search(bare):
        patr_gender = "f"  # pymorphy's lemma of Петровны is the masculine Петрович
    given = table.lookup_keys(keys)
    return Word(text, keys, tags=tags, given_ids=given, father_ids=frozenset(father),
                patronymic_gender=patr_gender, index=index, primary=primary,
                given_primary=table.lookup_keys(primary))


def _assignments(words: list[Word], before_comma: int | None) -> list[tuple[float, str]]:
    """Every way to give the words roles (G given, P patronymic, S surname, X extra), with a
    plausibility score, best first. (Cached on what it reads of each word.)"""
    signature = tuple(
        (bool(w.given_ids), w.surname_like, bool(w.patronymic_gender), "Name" in w.tags,
         "Patr" in w.tags, "Surn" in w.tags)
        for w in words
    )
    return _assignments_of(signature, before_comma)


@lru_cache(maxsize=4096)
def _assignments_of(signature: tuple[tuple[bool, ...], ...], before_comma: int | None) -> list[tuple[float, str]]:
    n = len(signature)
    results: list[tuple[float, str]] = []
    for roles in product("GPSX", repeat=n):
        if roles.count("G") > 1 or roles.count("P") > 1 or "S" not in roles:
            continue
        score = 0.0
        for (given_ids, surname_like, patronymic_gender, name_tag, patr_tag, surn_tag), r in zip(signature, roles):
            if r == "G":
                score += 2.5 if given_ids else -0.5
                if surname_like and not given_ids:
                    score -= 2
                if patronymic_gender:
                    score -= 2
                if name_tag:
                    score += 1
            elif r == "P":
                score += 3 if patronymic_gender else -6
                if patr_tag:
                    score += 1
            elif r == "S":
                score += 1 if surname_like else 0
                if given_ids and not surname_like:
                    score -= 1.5
                if patronymic_gender:
                    score -= 1
                if surn_tag:
                    score += 0.5
            else:
                score -= 2.5
        if roles.count("S") > 1:
            score -= 1.0 * (roles.count("S") - 1)
        if "P" in roles:
            p = roles.index("P")
            if "G" in roles and roles.index("G") != p - 1:
                score -= 2
        if before_comma is not None and 0 < before_comma < n:
            if any(r == "S" for r in roles[before_comma:]) or any(r != "S" for r in roles[:before_comma]):
                score -= 1.5
        results.append((score, "".join(roles)))
    results.sort(key=lambda x: -x[0])
    return results


_ADJECTIVAL_FEMININE = ("ая", "aya", "aia", "aja", "aïa", "aâ", "aja")


def _choose_given(word: Word, patr: Word | None, surnames: tuple[Word, ...],
                  morph_gender: str | None, cyrillic: bool) -> dict[str, str]:
    """Narrow the given names a word may be. A diminutive of the other gender than the full
    name the word most likely spells is dropped (Valeriia is Валерия, not Валера, a man's
    diminutive); then the gender the rest of the name shows decides (Valera Ivanov)."""
    table = given_table()
    hits = word.given_ids
    full = {i for i, h in word.given_primary.items() if h != "diminutive"}
    if full:
        genders = {table.names[i].gender for i in full}
        hits = {i: h for i, h in hits.items() if h != "diminutive" or table.names[i].gender in genders}
    other = (patr.patronymic_gender if patr else None) or (morph_gender if cyrillic else _surname_gender(surnames))
    if other is not None:
        fitting = {i: h for i, h in hits.items() if table.names[i].gender == other}
        hits = fitting or hits
    return hits


def _surname_keys(word: Word, gender: str | None, keys_in: frozenset[str] | None = None) -> frozenset[str]:
    keys = set()
    adjectival = (word.text.lower().endswith(_ADJECTIVAL_FEMININE) and gender != "m") or gender == "f"
    for k in word.keys if keys_in is None else keys_in:
        keys.add(k)
        if adjectival and k.endswith("a") and len(k) > 4 and not k.endswith(_FEM_SURNAME):
            keys.add(k[:-1] + "i")  # Навальная → Навальный, Залужна → Залужний
        for fem, masc in _FEM_TO_MASC:
            if k.endswith(fem) and len(k) > len(fem) + 2 and gender != "m":
                keys.add(k[: -len(fem)] + masc)
        if gender != "m":
            keys.update(czech_feminine_bases(word.text, k))
        if gender != "m" and k.endswith(_CZECH_FEMININE) and len(k) > 7:
            # Czech adds -ová to the masculine form: Černovová = Чернова, Krivencovová = Кривенцова.
            keys.add(k[:-3])
            keys.add(k[:-3] + "a")
    return frozenset(keys)


def _surname_gender(words: tuple[Word, ...]) -> str | None:
    fem = any(k.endswith(_FEM_SURNAME) and len(k) > 5 for w in words for k in w.keys) or any(
        w.text.lower().endswith(_ADJECTIVAL_FEMININE) for w in words)
    masc = any(k.endswith(("ov", "ev", "in", "ski", "cki")) and len(k) > 4 for w in words for k in w.keys)
    if fem and not masc:
        return "f"
    if masc and not fem:
        return "m"
    return None


def _build(original: str, script: str, words: list[Word], initials: list[Word], roles: str,
           morph_gender: str | None, cyrillic: bool) -> ParsedName:
    table = given_table()
    given = next((w for w, r in zip(words, roles) if r == "G"), None)
    patr = next((w for w, r in zip(words, roles) if r == "P"), None)
    surnames = tuple(w for w, r in zip(words, roles) if r == "S")
    extra = tuple(w.text for w, r in zip(words, roles) if r == "X")
    given_initial = patr_initial = None
    queue = list(initials)
    if given is None and queue:
        given_initial = queue.pop(0)
    if patr is None and queue:
        patr_initial = queue.pop(0)
    extra += tuple(w.text for w in queue)

    if given is not None and given.given_ids:
        given = replace(given, given_ids=_choose_given(given, patr, surnames, morph_gender, cyrillic))
    votes = []
    if given is not None and given.given_ids:
        votes.append(table.gender(set(given.given_ids)))
    if patr is not None:
        votes.append(patr.patronymic_gender)
    votes = [v for v in votes if v]
    if cyrillic and morph_gender:
        votes.append(morph_gender)
    if len(set(votes)) == 1:
        gender = votes[0]
    elif votes:
        gender = None
    else:
        gender = _surname_gender(surnames) if not cyrillic else morph_gender
    if cyrillic and morph_gender is None and votes and len(set(votes)) == 1 and given is not None:
        # The given name decides; the surname's inflection was ambiguous.
        gender = votes[0]
    surname_keys = frozenset().union(*(_surname_keys(w, gender) for w in surnames)) if surnames else frozenset()
    surname_primary = frozenset().union(*(_surname_keys(w, gender, w.primary) for w in surnames)) if surnames else frozenset()
    return ParsedName(
        original=original,
        given=given.text if given else None,
        patronymic=patr.text if patr else None,
        surname=" ".join(w.text for w in surnames) or None,
        initials=tuple(w.text.rstrip(".") for w in initials),
        gender=gender,
        script=script,
        extra=extra,
        given_word=given,
        patronymic_word=patr,
        surname_words=surnames,
        given_initial=given_initial,
        patronymic_initial=patr_initial,
        surname_keys=surname_keys,
        surname_primary=surname_primary,
    )


def parse_name(s: str) -> ParsedName:
    """Read a name into given name, patronymic, surname and initials, in any word order.

    Raises ``InvalidNameError`` for a name with no letters. Very long input is cut to
    ``MAX_NAME_LENGTH`` characters and ``MAX_WORDS`` words (a name is never longer).
    """
    if s is None:
        raise InvalidNameError("the name is missing")
    clean = normalize_name(str(s)[: MAX_NAME_LENGTH * 4])[:MAX_NAME_LENGTH]
    found, before_comma = tokens(clean)
    if not found:
        raise InvalidNameError(f"the name {str(s)[:40]!r} has no letters" if str(s).strip() else "the name is empty")
    found = [w[:MAX_WORD_LENGTH] for w in found[: MAX_WORDS + 3]]
    script = detect_script(clean)
    full = [w for w in found if not _is_initial(w)][:MAX_WORDS]
    cyr_words = [w for w in full if any(char_script(ch) == CYRILLIC for ch in w)]
    morph_gender = None
    lemmas: dict[str, morph.WordForms] = {}
    if cyr_words:
        forms, morph_gender = morph.analyze(cyr_words)
        lemmas = dict(zip(cyr_words, forms))
    words = []
    initials = []
    for i, w in enumerate(found):
        if _is_initial(w):
            initials.append(_make_word(w, i))
        elif w in full:
            f = lemmas.get(w)
            words.append(_make_word(w, i, f.lemmas if f else (), f.tags if f else frozenset()))
    cyrillic = bool(cyr_words) and len(cyr_words) == len(full)
    if not words:
        # Only initials: the last one stands for the surname ("A. S. P.").
        parsed = ParsedName(original=str(s), initials=tuple(w.text.rstrip(".") for w in initials), script=script)
        parsed.given_initial = initials[0] if len(initials) > 1 else None
        parsed.surname_keys = frozenset(initials[-1].keys)
        return parsed
    ranked = _assignments(words, before_comma)
    best = ranked[0][0]
    builds = [
        _build(str(s), script, words, initials, roles, morph_gender, cyrillic)
        for score, roles in ranked
        if score >= best - 1.0
    ][:3]
    if cyrillic:
        nominative = morph.nominative_gender(cyr_words)
        for b in builds:
            b.nominative_gender = nominative
    primary = builds[0]
    primary.alternatives = tuple(builds[1:])
    return primary
