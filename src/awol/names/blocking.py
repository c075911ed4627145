"""Blocking keys: cheap keys that every spelling of a name shares, for candidate retrieval.

A screening index of a million names cannot compare a query with every entry; it looks up
entries sharing a key and scores only those with ``match_names``. Full-text search misses
whole spelling families (Chruschtschow never shares a token with Khrushchev). These keys do
not: each surname-like word gives the consonant frame of its coarse key (every reading,
every transliteration family), with case endings and feminine endings cut off, so
"Стерлядникова", "Sterljadnikow" and "Sterlâdnikov" all give ``s:strldnkv``.

Keys stay selective: given names and patronymics give no key of their own, and a very
common surname (Ivanov, Shevchenko) gives only keys combined with the initial of the given
name (``s:ivnv|i:a``); without any given name it falls back to the bare key. Computing the
keys of a name takes a few microseconds once its words have been seen (per-word caches).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .given_names import table as given_table
from .normalize import normalize_name
from .translit import coarse, coarse_keys, czech_feminine_bases, read_data

COMMON_RANK = 30  # surnames ranked 1..30 in either country get only combined keys
_CASE_ENDING = re.compile(r"(?:ogo|omu|imi|ami|oi|ei|om|im|em|ui|[aeiou])$")
_VOWELS = re.compile(r"[aeiou]")
_WORD = re.compile(r"[^\s,.]+")
_PATRONYMIC = re.compile(r"(?:oviC|eviC|ovn|evn|ivn|iCn)[aeiou]*$")
_SURNAME_ENDING = re.compile(r"(?:ov|ev|in|sk|ck|enk|uk|uk|ik|ic)$")


_CZECH_FEMININE = re.compile(r"(?<=[oe]v|in)ova$")  # Černovová = Чернова


def _stem(key: str) -> str:
    if len(key) > 7:
        key = _CZECH_FEMININE.sub("", key)
    s = _CASE_ENDING.sub("", key)
    return s if len(s) >= 3 else key


def frame(key: str) -> str:
    """The consonant frame of a coarse key: first letter, then consonants (stem only)."""
    stem = _stem(key)
    out = stem[:1] + _VOWELS.sub("", stem[1:])
    return out if len(out) >= 3 else stem


@lru_cache(maxsize=1)
def _common_frames() -> frozenset[str]:
    out = set()
    for line in read_data("surname_frequency.tsv").splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, rank = line.split("\t")
        if int(rank) <= COMMON_RANK:
            out.add(frame(coarse(name.lower())))
    return frozenset(out)


@lru_cache(maxsize=1)
def _given_stems() -> dict[str, frozenset[str]]:
    """Given-name initials by stem of every form in the table (inflection-proof lookup)."""
    table = given_table()
    out: dict[str, set[str]] = {}
    for key, ids in table.by_key.items():
        stem = key.rstrip("aeiou")
        for name_id in ids:
            out.setdefault(stem, set()).update(table.initials.get(name_id, ()))
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=400_000)
def _word_info(word: str) -> tuple[str, frozenset[str], frozenset[str]]:
    """(kind, frames, initials) of one lower-case word; kind is given, patronymic or surname."""
    keys = coarse_keys(word)
    if not keys:
        return "none", frozenset(), frozenset()
    frames = frozenset(frame(k) for k in keys) | frozenset(
        frame(b) for k in keys for b in czech_feminine_bases(word, k))
    stems = _given_stems()
    exact = given_table().by_key
    initials: set[str] = {k[0] for k in keys}
    given = exact_hit = False
    for k in keys:
        for candidate in (k, _CASE_ENDING.sub("", k)):
            hit = stems.get(candidate.rstrip("aeiou"))
            if hit is not None:
                given = True
                exact_hit = exact_hit or k in exact
                initials |= hit
    if any(_PATRONYMIC.search(k) for k in keys):
        return "patronymic", frames, frozenset(initials)
    if exact_hit or (given and not any(_SURNAME_ENDING.search(_stem(k)) for k in keys)):
        return "given", frames, frozenset(initials)
    return "surname", frames, frozenset(initials)


def blocking_keys(name: str) -> set[str]:
    """Keys for candidate retrieval; two spellings of one person share at least one."""
    words = [w.strip("-'") for w in _WORD.findall(normalize_name(name)[:300])]
    infos = []
    initials: set[str] = set()
    for w in words[:8]:
        if not w:
            continue
        if len(w) <= 2 and not any(ch.islower() for ch in w[1:]):
            initials |= {k[0] for k in coarse_keys(w.lower()) if k}
            continue
        infos.append(_word_info(w.lower()))
    surnames = [i for i in infos if i[0] == "surname"] or [i for i in infos if i[0] != "none"]
    for kind, _, inits in infos:
        if kind == "given":
            initials |= inits
    common = _common_frames()
    keys: set[str] = set()
    for index, (_, frames, _) in enumerate(surnames):
        # A given name the table cannot read (a typo: "Vikoriya") is taken for a second
        # surname; its first letter may still be the initial a common surname is keyed with.
        word_initials = initials | {i for j, other in enumerate(surnames) if j != index for i in other[2]}
        for fr in frames:
            if fr in common and word_initials:
                keys.update(f"s:{fr}|i:{i}" for i in word_initials)
            else:
                keys.add(f"s:{fr}")
    return keys
