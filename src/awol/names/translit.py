"""Transliteration between Cyrillic and Latin, and the phonetic skeleton that folds the
transliteration families together.

Three layers, all driven by the tables in ``data/``:

* ``transliterate(s, system)`` writes Cyrillic in Latin letters by one named system (the
  tables in ``data/translit/*.tsv``; see ``SYSTEMS``), or with ``system="cyrillic"`` reads a
  Latin spelling back into Cyrillic, guessing which family wrote it.
* ``readings(word)`` reads one Latin word back into Cyrillic once per *family* of spelling
  (English/passport, German, French, Dutch, Polish, Czech/ISO 9; ``data/readings/*.tsv``).
  "Chruschtschow" read the German way is "хрущов", read the English way it is nonsense;
  the matcher keeps every reading and lets the best one speak.
* ``coarse(cyrillic)`` folds what transliteration cannot keep apart: е/ё/э/є, и/ы/і/й,
  я → а, ю → у, soft and hard signs, з/с, ж/ш, "о" after hushing consonants (ё written o:
  Gorbatschow), glides before vowels (Mariia, Marija, Maria), doubled letters (Vassili).
  Two spellings of the same Cyrillic word have the same coarse form.

``latin_skeleton(name)`` is the coarse form of each word, written in plain ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

from .scripts import CYRILLIC, LATIN, char_script

SYSTEMS: dict[str, str] = {
    "icao": "ICAO Doc 9303 (2015); Russian passports since 2013 — Aleksandr, Iurii, Sergei",
    "gost52535": "GOST R 52535.1-2006; Russian passports 2010–2013 — Tcvetkov, Iurii",
    "passport1997": "Russian passports 1997–2010 — Yuriy, Sergey, Dmitriy",
    "bgn": "BGN/PCGN 1947 with diacritics — Yelena, Fëdor, Il'ya",
    "english": "English press (simplified BGN/PCGN) — Yevgeny, Dmitry, Gorbachev",
    "german": "German (Duden) — Sergej, Juri, Gorbatschow, Schukow",
    "french": "French — Sergueï, Iouri, Khrouchtchev, Joukov",
    "dutch": "Dutch — Joeri, Sjtsjoerba, Gorbatsjov",
    "polish": "Polish — Siergiej, Jurij, Chruszczow, Władimir",
    "czech": "Czech — Sergej, Jurij, Chruščov, Žukov",
    "iso9": "ISO 9:1995 / GOST 7.79 system A — Sterlâdnikov, Hruŝëv",
    "scientific": "scientific transliteration — Xruščëv, Jurij, Ilʹja",
    "ukrainian": "Ukrainian national system (KMU 2010) — Oleksandr, Mykola, Serhii, Yurii",
}
TO_CYRILLIC = "cyrillic"
FAMILIES: tuple[str, ...] = ("en", "de", "fr", "nl", "pl", "cs")

CYR_VOWELS = frozenset("аеёиоуыэюяіїє")
_CYR_SOFTENING = CYR_VOWELS | frozenset("ьъй'")
LAT_VOWELS = frozenset("aeiouyéèêëïîôâûäöüáíóúýěůàìòù")


class UnknownSystemError(ValueError):
    """Raised for a transliteration system name that is not in ``SYSTEMS``."""


@dataclass(frozen=True)
class _Rule:
    out: str
    ctx: str
    arg: frozenset[str]


_Table = dict[str, list[_Rule]]


def read_data(path: str) -> str:
    """The text of a data file under ``awol/names/data/``."""
    return resources.files("awol.names").joinpath("data", *path.split("/")).read_text(encoding="utf-8")


def _read_tsv(folder: str, name: str) -> list[list[str]]:
    text = read_data(f"{folder}/{name}")
    rows = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows


def _parse_rules(rows: list[list[str]]) -> _Table:
    table: _Table = {}
    for row in rows:
        key = unicodedata.normalize("NFC", row[0])
        out = unicodedata.normalize("NFC", row[1]) if len(row) > 1 else ""
        ctx = row[2].strip() if len(row) > 2 else ""
        arg: frozenset[str] = frozenset()
        if ":" in ctx:
            ctx, letters = ctx.split(":", 1)
            arg = frozenset(letters)
        table.setdefault(key, []).append(_Rule(out, ctx, arg))
    return table


@lru_cache(maxsize=None)
def _encode_table(system: str) -> tuple[_Table, int]:
    if system not in SYSTEMS:
        known = ", ".join(sorted(SYSTEMS))
        raise UnknownSystemError(f"unknown transliteration system {system!r}; known: {known}, {TO_CYRILLIC}")
    table = _parse_rules(_read_tsv("translit", f"{system}.tsv"))
    if system != "icao":
        # Letters a system does not cover (Ukrainian і ї є ґ in a Russian table) follow ICAO.
        for key, rules in _encode_table("icao")[0].items():
            table.setdefault(key, rules)
    return table, max(len(k) for k in table)


@lru_cache(maxsize=None)
def _decode_table(family: str) -> tuple[_Table, int]:
    table = _parse_rules(_read_tsv("readings", f"{family}.tsv"))
    for key, rules in _parse_rules(_read_tsv("readings", "common.tsv")).items():
        table.setdefault(key, []).extend(rules)
    return table, max(len(k) for k in table)


def _context_ok(rule: _Rule, word: str, i: int, j: int, vowels: frozenset[str], soft: frozenset[str]) -> bool:
    ctx = rule.ctx
    if not ctx:
        return True
    prev = word[i - 1] if i > 0 else ""
    nxt = word[j] if j < len(word) else ""
    if ctx == "initial":
        return i == 0
    if ctx == "final":
        return j == len(word)
    if ctx == "after_vowel":
        return prev != "" and prev in soft
    if ctx == "after":
        return prev != "" and prev in rule.arg
    if ctx == "before":
        return nxt != "" and nxt in rule.arg
    if ctx == "between_vowels":
        return prev in vowels and nxt in vowels and prev != "" and nxt != ""
    raise ValueError(f"unknown context {ctx!r} in a transliteration table")


def _rewrite(word: str, table: _Table, maxlen: int, vowels: frozenset[str], soft: frozenset[str]) -> str:
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        for size in range(min(maxlen, n - i), 0, -1):
            rules = table.get(word[i : i + size])
            if not rules:
                continue
            hit = next((r for r in rules if _context_ok(r, word, i, i + size, vowels, soft)), None)
            if hit is not None:
                out.append(hit.out)
                i += size
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def _restore_case(source: str, result: str) -> str:
    letters = [ch for ch in source if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return result.upper()
    if letters and letters[0].isupper():
        return result[:1].upper() + result[1:]
    return result


_CYR_RUN = re.compile(r"[\u0400-\u04FF'ʼ]+")
_LAT_RUN = re.compile(r"[A-Za-z\u00C0-\u024F\u02B9\u02BA'’ʼ\u0300-\u036F]+")


def _map_runs(s: str, pattern: re.Pattern[str], convert: Callable[[str], str]) -> str:
    def repl(m: re.Match[str]) -> str:
        run = m.group(0)
        return _restore_case(run, convert(run.lower()))

    return pattern.sub(repl, s)


def transliterate(s: str, system: str) -> str:
    """Write ``s`` in another script.

    ``system`` is one of ``SYSTEMS`` (Cyrillic → Latin; Latin letters pass through) or
    ``"cyrillic"`` (Latin → Cyrillic, guessing the spelling family of each word; Cyrillic
    passes through). ``transliterate("Стерлядников", "german") == "Sterljadnikow"``.
    """
    s = unicodedata.normalize("NFC", s)
    if system == TO_CYRILLIC:
        return _map_runs(s, _LAT_RUN, lambda w: decode(w, guess_family(w)))
    table, maxlen = _encode_table(system)
    return _map_runs(s, _CYR_RUN, lambda w: _rewrite(w, table, maxlen, CYR_VOWELS, _CYR_SOFTENING))


@lru_cache(maxsize=400_000)
def decode(word: str, family: str) -> str:
    """Read one lower-case Latin word into Cyrillic the way ``family`` spells."""
    table, maxlen = _decode_table(family)
    return _rewrite(unicodedata.normalize("NFC", word), table, maxlen, LAT_VOWELS, LAT_VOWELS)


def guess_family(word: str) -> str:
    """The spelling family that most likely wrote a lower-case Latin word."""
    w = word.lower()
    if any(ch in w for ch in "čšžŝâûèìʹʺê"):
        return "cs"
    if any(ch in w for ch in "łżśćńź") or any(d in w for d in ("sz", "cz", "rz")):
        return "pl"
    if re.search(r"c[^hkaeiouy]", w) or (re.search(r"[^aeiouy][bdfgkmnprstvwz]ie", w) and ("w" in w or "j" in w)):
        return "pl"
    if any(d in w for d in ("oe", "sj", "zj", "tsj")):
        return "nl"
    if any(d in w for d in ("ou", "tch", "ï", "é", "gue", "gui")) or w.endswith(("ine", "off", "eff")):
        return "fr"
    if any(d in w for d in ("sch", "tz", "w")) or re.search(r"j[aeou]", w):
        return "de"
    return "en"


def _is_latin_word(word: str) -> bool:
    return any(char_script(ch) == LATIN for ch in word) and not any(char_script(ch) == CYRILLIC for ch in word)


def primary_reading(word: str) -> str:
    """The single most likely Cyrillic reading of a lower-case word."""
    w = unicodedata.normalize("NFC", word).lower()
    return decode(w, guess_family(w)) if _is_latin_word(w) else w


# Letters and digraphs that at least one family reads its own way; a word without any of
# them reads the same in every family.
_FAMILY_SENSITIVE = re.compile(r"[chjwxzsqy'’ʼ\u00c0-\u024f\u02b9\u02ba]|oe|ou|ie|io|ia|iu|gu|ff|ine$")


@lru_cache(maxsize=400_000)
def readings(word: str) -> tuple[str, ...]:
    """Every Cyrillic reading of one word: itself when Cyrillic, one per spelling family when
    Latin (duplicates removed, the family's most likely one first)."""
    w = unicodedata.normalize("NFC", word).lower()
    if not _is_latin_word(w):
        return (w,)
    if not _FAMILY_SENSITIVE.search(w):
        return (decode(w, "en"),)  # no letter the families read differently
    first = guess_family(w)
    order = (first,) + tuple(f for f in FAMILIES if f != first)
    return tuple(dict.fromkeys(decode(w, f) for f in order))


_COARSE_MAP = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "e", "ё": "e",
        "ж": "S", "з": "s", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
        "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h",
        "ц": "c", "ч": "C", "ш": "S", "щ": "Q", "ъ": "", "ь": "", "ы": "i", "э": "e", "ю": "u",
        "я": "a", "'": "", "-": "", "’": "", "ʼ": "", ".": "",
        # Latin letters no table turned into Cyrillic (rare) fold the same way.
        "y": "i", "j": "i", "w": "v", "z": "s", "x": "ks", "q": "k",
    }
)
_AFTER_HUSHING_O = re.compile(r"(?<=[SCQ])o")
_GLIDE = re.compile(r"i(?=[aeou])")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=400_000)
def coarse(cyrillic: str) -> str:
    """Fold a lower-case Cyrillic word to the key that every transliteration of it shares.

    The key uses a private alphabet: S = ж/ш, C = ч, Q = щ, c = ц, h = х; the rest are
    Latin letters for their obvious Cyrillic ones.
    """
    s = cyrillic.translate(_COARSE_MAP)
    s = "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))
    s = _AFTER_HUSHING_O.sub("e", s)
    s = _DOUBLE.sub(r"\1", s)
    for _ in range(4):
        t = _GLIDE.sub("", s)
        if t == s:
            break
        s = t
    return _DOUBLE.sub(r"\1", s)


@lru_cache(maxsize=400_000)
def coarse_keys(word: str) -> frozenset[str]:
    """The coarse keys of every reading of a word."""
    return frozenset(k for k in (coarse(r) for r in readings(word)) if k)


_ASCII = str.maketrans({"S": "sh", "C": "ch", "Q": "shch", "c": "ts", "h": "kh"})


def to_ascii(key: str) -> str:
    """A coarse key written in plain ASCII (``"gorbaCev"`` → ``"gorbachev"``)."""
    return key.translate(_ASCII)


def latin_skeleton(s: str) -> str:
    """A phonetic key of a name in plain ASCII that folds the transliteration families:
    ``latin_skeleton("Sterljadnikow") == latin_skeleton("Стерлядников") ==
    latin_skeleton("Sterlâdnikov") == "sterladnikov"``. Words keep their order."""
    from .normalize import normalize_name

    out = []
    for word in re.split(r"[\s,]+", normalize_name(s)):
        word = word.strip(".-'")
        if not word:
            continue
        w = word.lower()
        reading = decode(w, guess_family(w)) if _is_latin_word(w) else w
        key = coarse(reading)
        if key:
            out.append(to_ascii(key))
    return " ".join(out)


def czech_feminine_bases(word: str, key: str) -> tuple[str, ...]:
    """Keys of the surname a Czech feminine form is made from: Czech adds -ová to a woman's
    surname, whatever its origin (Tymošenková = Тимошенко, Šojguová = Шойгу, Putinová =
    Путина). Only for words written with the Czech á; ``key`` is a coarse key of ``word``."""
    if not word.lower().endswith("ová") or not key.endswith("ova") or len(key) < 7:
        return ()
    base = key[:-3]
    return (base, base + "o") if base.endswith("k") else (base,)
