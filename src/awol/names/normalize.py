"""Cleaning a personal name before anything compares it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .scripts import fix_lookalikes

# Every kind of apostrophe and prime becomes "'" (Дар'я, Il'ya); ISO 9's soft and hard signs
# ʹ ʺ are letters (modifier letters) and are kept.
_APOSTROPHES = dict.fromkeys(map(ord, "’‘ʼ`´′ʻ"), "'")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_KEEP = re.compile(r"[^\w\s'\-.,ʹʺ]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[^\s]+")


def normalize_name(s: str) -> str:
    """A clean form of a name: Unicode NFC, one kind of apostrophe and dash, look-alike letters
    of the other script repaired (``"Ивaнов"`` with a Latin a → ``"Иванов"``), punctuation other
    than ``. , - '`` dropped, spaces collapsed, and words in capitals (``IVANOV``) title-cased.

    Case is otherwise kept, so the result can be shown to a person; comparisons casefold.
    """
    if not isinstance(s, str):
        raise TypeError("a name must be a string")
    s = unicodedata.normalize("NFC", s).translate(_APOSTROPHES).translate(_DASHES)
    s = _KEEP.sub(" ", s)
    s = s.replace("_", " ")
    s = re.sub(r"\d+", " ", s)
    s = _SPACES.sub(" ", s).strip(" ,-'")
    return _WORD.sub(lambda m: _tidy_word(m.group(0)), s)


@lru_cache(maxsize=200_000)
def _tidy_word(word: str) -> str:
    word = fix_lookalikes(word)
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) > 2 and all(ch.isupper() for ch in letters):
        word = "-".join(part.capitalize() for part in word.split("-"))
    return word
