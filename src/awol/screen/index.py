"""An in-memory blocking-key index of the watchlists, for fast screening.

Every name and alias on a list is reduced to the names library's blocking keys (cheap keys
that every spelling of a surname shares, whatever the script or transliteration). The index
keeps one sorted array of (key hash, name number) pairs: finding the candidates of a query
is a binary search per key. A block larger than ``MAX_CANDIDATES`` (a common surname) is
pre-ranked by the similarity of the names' ASCII skeletons (RapidFuzz, in C), a given name
in common (any form of it, ids kept per name at build time) and a birth date in common; the
best candidates, plus the block's names born on the query's date (few, however common the
surname), are then scored by ``awol.names.match_names``.

The index lives in memory only (the names on a list are never written to a temp file) and
is cached per process; it is rebuilt when a list is imported, replaced or removed.
"""

from __future__ import annotations

import json
import re
import threading
import time
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import numpy as np
from sqlalchemy import select

from awol.store.db import Store
from awol.store.schema import WatchlistEntryRow, WatchlistRow

# How many names (pre-ranked within their blocks) the full matcher scores per query.
# 100 keeps p95 under 20 ms on 1M entries while finding ~91 % of the brute-force matches
# (40: ~80 %; 200: ~94 % at p95 27 ms; see benchmarks/RESULTS-screening.md).
MAX_CANDIDATES = 100
# How many parsed names (``awol.names.parse_name``) an index keeps, least recently used
# dropped first. A parsed name takes a few KiB, so a million of them would not fit the
# memory budget; 100,000 take a few hundred MiB and cover the names screened most often.
PARSE_CACHE = 100_000
# Candidates of the query's blocks whose birth date agrees with the query's (the same date,
# day and month swapped, or the same year/month when one side gives only that) are scored on
# top of the pre-ranked ``limit``: at most this many of them (the likeliest first).
MAX_DOB_EXTRA = 50
# Pre-ranking bonuses (the similarity is a token-set ratio, 0-100, plus half a ratio, 0-50).
GIVEN_BONUS = 40.0  # a given name in common (any form: Андрей / Andrij / Andrey)
YEAR_BONUS = 10.0  # a birth year in common
DOB_BONUS = 30.0  # a birth date that agrees (as above), on top of the year
_NO_GIVEN = -1

_SPLIT = re.compile(r"[\s,]+")


def _folder() -> Callable[[str], str]:
    from awol.names import latin_skeleton

    def fold(name: str) -> str:
        try:
            return " ".join(sorted(latin_skeleton(name).casefold().split()))
        except Exception:
            return ""

    return fold


def fold_name(name: str) -> str:
    """A name's ASCII skeleton (``awol.names.latin_skeleton``), words sorted: for pre-ranking."""
    return _folder()(name)


class _GivenNames:
    """Given-name ids (small integers) of a name's words, through the names library's
    given-name table: every form of one given name (Андрей, Andrey, Andrij, Андрій) gets the
    same id. Words are looked up once (a dict per index build / query)."""

    def __init__(self) -> None:
        from awol.names.given_names import table

        self._table = table()
        self._ids = {name_id: i for i, name_id in enumerate(sorted(self._table.names))}
        self._word: dict[str, tuple[int, ...]] = {}

    def word_ids(self, word: str) -> tuple[int, ...]:
        """The ids a word may spell, the likeliest (a full form rather than a diminutive) first."""
        try:
            return self._word[word]
        except KeyError:
            pass
        from awol.names.translit import coarse_keys

        w = word.strip(".-'").lower()
        ids: tuple[int, ...] = ()
        if len(w) > 1:
            try:
                hits = self._table.lookup_keys(coarse_keys(w))
            except Exception:  # noqa: BLE001 - a word the key function cannot read: no given name
                hits = {}
            if hits:
                order = sorted(hits, key=lambda i: (hits[i] == "diminutive", i))
                ids = tuple(self._ids[i] for i in order)
        if len(self._word) < 500_000:
            self._word[word] = ids
        return ids

    def of_name(self, name: str) -> tuple[int, int]:
        """The first two distinct given names of a name (``_NO_GIVEN`` where none)."""
        found: list[int] = []
        for word in _SPLIT.split(name):
            if not word:
                continue
            ids = self.word_ids(word)
            if ids and ids[0] not in found:
                found.append(ids[0])
                if len(found) == 2:
                    break
        found += [_NO_GIVEN] * (2 - len(found))
        return found[0], found[1]

    def all_of(self, name: str) -> set[int]:
        """Every given-name id any word of a name may spell."""
        out: set[int] = set()
        for word in _SPLIT.split(name):
            if word:
                out.update(self.word_ids(word))
        return out


_given_names: _GivenNames | None = None


def _given() -> _GivenNames:
    global _given_names
    if _given_names is None:
        _given_names = _GivenNames()
    return _given_names


def dob_agreement(query_dob: str, dobs: tuple[str, ...]) -> int:
    """How an entry's birth dates agree with the query's: 2 = the same date (or day and
    month swapped, or the same year / year-month when one side gives only that), 1 = the
    same year, 0 = none. Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    best = 0
    q = query_dob
    for d in dobs:
        if d[:4] != q[:4]:
            continue
        if d.startswith(q) or q.startswith(d):
            return 2
        if len(d) == 10 and len(q) == 10 and d[5:7] == q[8:10] and d[8:10] == q[5:7]:
            return 2
        best = 1
    return best


def _key_hash(key: str) -> int:
    # Python's string hash: fast, 64-bit, stable within a process (the index is per process).
    return hash(key)


@dataclass
class IndexStats:
    entries: int
    names: int
    postings: int
    build_seconds: float
    nbytes: int


class ScreeningIndex:
    """Watchlist entries and their blocking keys, in compact arrays.

    ``names[i]`` is the i-th name or alias, ``name_entry[i]`` the entry it belongs to.
    Entry ``e`` has database id ``entry_db_id[e]``, list ``entry_list[e]`` and birth dates
    ``entry_dobs[e]`` (a tuple, possibly empty).
    """

    def __init__(self, blocking_keys: Callable[[str], Iterable[str]] | None = None):
        if blocking_keys is None:
            from awol.names import blocking_keys as _bk

            blocking_keys = _bk
        self._blocking_keys = blocking_keys
        self.names: list[str] = []
        self.folded: list[str] = []  # each name's ASCII skeleton, words sorted (pre-ranking)
        self.name_entry = np.zeros(0, dtype=np.int32)
        self.entry_db_id = np.zeros(0, dtype=np.int64)
        self.entry_list = np.zeros(0, dtype=np.int32)
        self.entry_dobs: list[tuple[str, ...]] = []
        # The first two given names of each name (ids from ``_GivenNames``; -1 where none).
        self.name_given = np.zeros((0, 2), dtype=np.int16)
        self.key_hashes = np.zeros(0, dtype=np.int64)
        self.key_names = np.zeros(0, dtype=np.int32)
        self.version: tuple = ()
        self.stats = IndexStats(0, 0, 0, 0.0, 0)
        self._parse_cache: OrderedDict[str, object] = OrderedDict()
        self.parse_cache_size = PARSE_CACHE

    def parsed(self, n: int):
        """Name ``n`` read by ``awol.names.parse_name`` (``None`` if it cannot be read),
        cached by its text (namesakes spelled alike share one parse; least recently used
        dropped beyond ``parse_cache_size``)."""
        cache = self._parse_cache
        text = self.names[n]
        try:
            value = cache[text]
        except KeyError:
            from awol.names import parse_name

            try:
                value = parse_name(text)
            except ValueError:
                value = None
            cache[text] = value
            if len(cache) > self.parse_cache_size:
                cache.popitem(last=False)
            return value
        cache.move_to_end(text)
        return value

    # --- building -------------------------------------------------------------------------

    def build(
        self,
        records: Iterable[tuple[int, int, str, list[str], list[str]]],
        progress: Callable[[int], None] | None = None,
    ) -> ScreeningIndex:
        """Index (db id, list id, name, aliases, birth dates) records."""
        started = time.perf_counter()
        names: list[str] = []
        folded: list[str] = []
        fold = _folder()
        name_entry = array("i")
        entry_db_id = array("q")
        entry_list = array("i")
        entry_dobs: list[tuple[str, ...]] = []
        key_hashes = array("q")
        key_names = array("i")
        keys_of = self._blocking_keys
        given_of = _given().of_name
        name_given = array("h")
        no_dobs: tuple[str, ...] = ()
        for number, (db_id, list_id, name, aliases, dobs) in enumerate(records):
            entry = len(entry_db_id)
            entry_db_id.append(db_id)
            entry_list.append(list_id)
            entry_dobs.append(tuple(dobs) if dobs else no_dobs)
            for text in (name, *aliases):
                try:
                    keys = keys_of(text)
                except Exception:  # a name the key function cannot read gets no keys
                    keys = ()
                if not keys:
                    continue
                n = len(names)
                names.append(text)
                folded.append(fold(text))
                name_given.extend(given_of(text))
                name_entry.append(entry)
                for key in keys:
                    key_hashes.append(_key_hash(key))
                    key_names.append(n)
            if progress and number % 10000 == 0:
                progress(number)
        self.names = names
        self.folded = folded
        self._parse_cache.clear()
        self.name_entry = np.frombuffer(name_entry, dtype=np.int32).copy()
        self.entry_db_id = np.frombuffer(entry_db_id, dtype=np.int64).copy()
        self.entry_list = np.frombuffer(entry_list, dtype=np.int32).copy()
        self.entry_dobs = entry_dobs
        self.name_given = np.frombuffer(name_given, dtype=np.int16).copy().reshape(-1, 2)
        hashes = np.frombuffer(key_hashes, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        self.key_hashes = hashes[order]
        self.key_names = np.frombuffer(key_names, dtype=np.int32)[order]
        del key_hashes, key_names, order
        nbytes = sum(
            a.nbytes
            for a in (self.name_entry, self.entry_db_id, self.entry_list, self.key_hashes,
                      self.key_names, self.name_given)
        )
        self.stats = IndexStats(
            entries=len(self.entry_db_id),
            names=len(names),
            postings=len(self.key_hashes),
            build_seconds=time.perf_counter() - started,
            nbytes=nbytes,
        )
        return self

    # --- querying -------------------------------------------------------------------------

    def candidates(
        self,
        keys: Iterable[str],
        *,
        folded: str = "",
        dob: str | None = None,
        lists: set[int] | None = None,
        limit: int = MAX_CANDIDATES,
        name: str | None = None,
        dob_extra: int = MAX_DOB_EXTRA,
    ) -> np.ndarray:
        """Name numbers sharing a key with the query; the likeliest first.

        A block larger than ``limit`` (a common surname) is pre-ranked by how much of the
        query's ASCII skeleton each name shares (RapidFuzz token-set ratio, in C), a given name
        in common with the query ``name`` (any form of it) and a birth date agreeing with
        ``dob`` adding to it; the full matcher then scores the best ``limit``, plus up to
        ``dob_extra`` further names whose birth date agrees with the query's (the same date,
        day and month swapped, or the same year when one side gives only a year): namesakes
        are many, namesakes born the same day few.
        """
        if not len(self.key_hashes):
            return np.zeros(0, dtype=np.int32)
        hashes = np.fromiter((_key_hash(k) for k in set(keys)), dtype=np.int64)
        if not len(hashes):
            return np.zeros(0, dtype=np.int32)
        lo = np.searchsorted(self.key_hashes, hashes, side="left")
        hi = np.searchsorted(self.key_hashes, hashes, side="right")
        slices = [self.key_names[a:b] for a, b in zip(lo, hi) if b > a]
        if not slices:
            return np.zeros(0, dtype=np.int32)
        names = np.unique(np.concatenate(slices)) if len(slices) > 1 else slices[0]
        if lists is not None:
            allowed = np.fromiter(lists, dtype=np.int32)
            names = names[np.isin(self.entry_list[self.name_entry[names]], allowed)]
        if len(names) <= limit:
            return names
        from rapidfuzz import fuzz, process

        folded_names = self.folded
        choices = [folded_names[i] for i in names.tolist()]
        similarity = process.cdist(
            [folded], choices, scorer=fuzz.token_set_ratio, dtype=np.float32, workers=1
        )[0]
        similarity += 0.5 * process.cdist(
            [folded], choices, scorer=fuzz.ratio, dtype=np.float32, workers=1
        )[0]
        if name and len(self.name_given) == len(self.names):
            wanted = _given().all_of(name)
            if wanted:
                given = self.name_given[names]
                query_given = np.fromiter(wanted, dtype=np.int16)
                shared = np.isin(given[:, 0], query_given) | np.isin(given[:, 1], query_given)
                similarity += GIVEN_BONUS * shared
        agree = None
        if dob:
            dobs = self.entry_dobs
            entries = self.name_entry[names].tolist()
            agree = np.fromiter(
                (dob_agreement(dob, dobs[e]) if dobs[e] else 0 for e in entries),
                dtype=np.int8, count=len(entries),
            )
            similarity += np.where(agree >= 1, YEAR_BONUS, 0.0).astype(np.float32)
            similarity += np.where(agree == 2, DOB_BONUS, 0.0).astype(np.float32)
        top = np.argpartition(-similarity, limit - 1)[:limit]
        top = top[np.argsort(-similarity[top], kind="stable")]
        if agree is not None and dob_extra > 0:
            # Names born on the query's date, beyond the cap: always scored (the likeliest
            # first, at most ``dob_extra``).
            extra = np.flatnonzero(agree == 2)
            if len(extra):
                extra = extra[~np.isin(extra, top)]
            if len(extra):
                if len(extra) > dob_extra:
                    extra = extra[np.argpartition(-similarity[extra], dob_extra - 1)[:dob_extra]]
                extra = extra[np.argsort(-similarity[extra], kind="stable")]
                top = np.concatenate([top, extra])
        return names[top]

    def names_of(self, entry: int) -> list[str]:
        """The indexed names of one entry (its name first, then aliases)."""
        # Names of an entry are stored consecutively.
        start = int(np.searchsorted(self.name_entry, entry, side="left"))
        end = int(np.searchsorted(self.name_entry, entry, side="right"))
        return self.names[start:end]


# --- building from the knowledge base, cached per process ----------------------------------

_cache: dict[str, ScreeningIndex] = {}
_lock = threading.Lock()


def _store_version(store: Store) -> tuple:
    with store.session() as session:
        return tuple(session.execute(
            select(WatchlistRow.id, WatchlistRow.version).order_by(WatchlistRow.id)
        ).all())


def _records(store: Store, chunk: int = 20000) -> Iterator[tuple[int, int, str, list[str], list[str]]]:
    last = 0
    while True:
        with store.session() as session:
            rows = session.execute(
                select(
                    WatchlistEntryRow.id, WatchlistEntryRow.watchlist_id, WatchlistEntryRow.name,
                    WatchlistEntryRow.aliases, WatchlistEntryRow.birth_dates,
                )
                .where(WatchlistEntryRow.id > last)
                .order_by(WatchlistEntryRow.id)
                .limit(chunk)
            ).all()
        if not rows:
            return
        for db_id, list_id, name, aliases, dobs in rows:
            yield db_id, list_id, name, json.loads(aliases or "[]"), json.loads(dobs or "[]")
        last = rows[-1][0]


def index_for(store: Store) -> ScreeningIndex:
    """The index of every watchlist in ``store``, built once per process and list version."""
    version = _store_version(store)
    with _lock:
        cached = _cache.get(store.url)
        if cached is not None and cached.version == version:
            return cached
        for _attempt in range(3):
            index = ScreeningIndex().build(_records(store))
            # A list replaced while the index was being read: read it again.
            if _store_version(store) == version:
                break
            version = _store_version(store)
        index.version = version
        _cache[store.url] = index
        return index


def forget(store: Store | None = None) -> None:
    """Drop the cached index (of one store, or all)."""
    with _lock:
        if store is None:
            _cache.clear()
        else:
            _cache.pop(store.url, None)
