"""Which script a name is written in, and repair of Latin/Cyrillic look-alike mixtures.

Lists copied from PDFs and web pages often mix scripts inside one word ("Ивaнов" with a
Latin "a"): the letters look the same but no exact comparison will ever find them. A word
that is mostly Cyrillic has its Latin look-alikes turned into Cyrillic, and the other way
round; a word whose odd letters have no look-alike is left as it is (it is reported as
"mixed").
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

CYRILLIC = "cyrillic"
LATIN = "latin"
MIXED = "mixed"
OTHER = "other"
NONE = "none"

# Latin letter -> Cyrillic letter that looks the same (lower and upper case).
_LATIN_TO_CYR = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "k": "к",
    "i": "і", "m": "м", "t": "т",
    "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р",
    "C": "С", "T": "Т", "X": "Х", "Y": "У", "I": "І",
    "ë": "ё", "Ë": "Ё",
}
_CYR_TO_LATIN = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "к": "k",
    "і": "i", "м": "m", "т": "t",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "ё": "ë", "Ё": "Ë",
}


@lru_cache(maxsize=8192)
def char_script(ch: str) -> str:
    """The script of one letter: cyrillic, latin or other."""
    if not ch.isalpha():
        return NONE
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return OTHER
    if name.startswith("CYRILLIC"):
        return CYRILLIC
    if name.startswith("LATIN") or name.startswith("MODIFIER LETTER"):
        return LATIN
    return OTHER


def detect_script(s: str) -> str:
    """The script of a name: ``cyrillic``, ``latin``, ``mixed`` (both, in any word),
    ``other`` (Greek, Georgian…) or ``none`` (no letters at all)."""
    seen = {char_script(ch) for ch in s if ch.isalpha()}
    seen.discard(NONE)
    if not seen:
        return NONE
    if seen == {CYRILLIC}:
        return CYRILLIC
    if seen == {LATIN}:
        return LATIN
    if CYRILLIC in seen and LATIN in seen:
        return MIXED
    return OTHER


def fix_lookalikes(word: str) -> str:
    """Turn look-alike letters of the minority script into the majority script.

    ``fix_lookalikes("Ивaнов")`` gives ``"Иванов"`` (all Cyrillic). Ties and words whose
    minority letters have no look-alike are returned unchanged.
    """
    cyr = sum(1 for ch in word if char_script(ch) == CYRILLIC)
    lat = sum(1 for ch in word if char_script(ch) == LATIN)
    if not cyr or not lat or cyr == lat:
        return word
    if cyr > lat:
        if all(ch in _LATIN_TO_CYR for ch in word if char_script(ch) == LATIN):
            return "".join(_LATIN_TO_CYR.get(ch, ch) if char_script(ch) == LATIN else ch for ch in word)
        return word
    if all(ch in _CYR_TO_LATIN for ch in word if char_script(ch) == CYRILLIC):
        return "".join(_CYR_TO_LATIN.get(ch, ch) if char_script(ch) == CYRILLIC else ch for ch in word)
    return word
