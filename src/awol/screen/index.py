"""An in-memory blocking-key index of the watchlists, for fast screening.

Every name and alias on a list is reduced to the names library's blocking keys (cheap keys
that every spelling of a surname shares, whatever the script or transliteration). The index
keeps one sorted array of (key hash, name number) pairs: finding the candidates of a query
is a binary search per key.

A block larger than ``MAX_CANDIDATES`` (a common surname) is pre-ranked before the full
matcher scores it: each name gets an estimate of the matcher's own log-odds, computed for the
whole block at once (numpy) from what the index keeps of every name — its given names and
its father's name (table ids, any form: Андрей / Andrij / Andrey), its first birth date, and
its ASCII skeleton — with the matcher's own weights (``awol.names`` model file). The best
``MAX_CANDIDATES`` are scored, and so is every further name whose estimate says it may be a
match (up to ``MAX_PLAUSIBLE`` in all): a query that has many namesakes which could be the
person gets them all scored, one whose namesakes are ruled out by a birth date or another
given name costs no more than the cap.

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

# How many names (pre-ranked within their blocks) the full matcher may score per query
# whatever their estimate (they fill the list of possible matches shown); names that may be a
# match are added beyond it (MAX_PLAUSIBLE). 50 rather than 100 saves 2-3 ms at p95 on 1M
# entries and changes no match found (see benchmarks/RESULTS-screening.md).
MAX_CANDIDATES = 50
# Names whose pre-rank estimate reaches the match threshold less PLAUSIBLE_MARGIN (log-odds)
# are scored beyond MAX_CANDIDATES, up to MAX_PLAUSIBLE names in all. The estimate cannot see
# everything the matcher does (a typo, an initial, a second given name); on 58,000 candidate
# pairs of the 1M benchmark it was never more than 0.77 below the matcher's log-odds for a
# true match, and names within 0.8 of the threshold were 3.7 % of the blocks.
MAX_PLAUSIBLE = 300
PLAUSIBLE_MARGIN = 0.8
# Screening stops scoring, in pre-rank order, once no candidate left can reach the lowest
# score shown (or the worst of the results already found, when the limit is reached): its
# estimate is more than PRUNE_MARGIN below. (On the 1M benchmark the matcher's log-odds of a
# pair scoring at least 0.25 was above the estimate by 0.5 at the 99th percentile.)
PRUNE_MARGIN = 2.5
# How many parsed names (``awol.names.parse_name``) an index keeps, least recently used
# dropped first. A parsed name takes a few KiB, so a million of them would not fit the
# memory budget; 100,000 take a few hundred MiB and cover the names screened most often.
PARSE_CACHE = 100_000
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
        self._father: dict[str, tuple[int, ...]] = {}

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

    def father_ids(self, word: str) -> tuple[int, ...]:
        """The ids of the father's name a patronymic spells (Сергеевич → Сергей); () if the
        word is no patronymic."""
        try:
            return self._father[word]
        except KeyError:
            pass
        from awol.names.translit import coarse_keys

        w = word.strip(".-'").lower()
        ids: tuple[int, ...] = ()
        if len(w) > 3:
            try:
                found, gender = self._table.father(coarse_keys(w))
            except Exception:  # noqa: BLE001 - a word the key function cannot read
                found, gender = set(), None
            if gender is not None:
                ids = tuple(sorted(self._ids[i] for i in found))
        if len(self._father) < 500_000:
            self._father[word] = ids
        return ids

    def father_of(self, name: str) -> int:
        """The father's name of a name's patronymic (``_NO_GIVEN`` where none is known)."""
        for word in _SPLIT.split(name):
            if word:
                ids = self.father_ids(word)
                if ids:
                    return ids[0]
        return _NO_GIVEN

    def fathers_all(self, name: str) -> set[int]:
        """Every father's-name id the patronymic(s) of a name may spell."""
        out: set[int] = set()
        for word in _SPLIT.split(name):
            if word:
                out.update(self.father_ids(word))
        return out

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


# Birth-date outcomes, as ``awol.names.dates.compare_dates`` names them.
DOB_ABSENT, DOB_EXACT, DOB_SWAPPED, DOB_PARTIAL, DOB_CONFLICT = range(5)


def _date_parts(text: str) -> tuple[int, int, int]:
    """(year, month, day) of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; 0 for a part not given."""
    try:
        year = int(text[:4])
        month = int(text[5:7]) if len(text) >= 7 else 0
        day = int(text[8:10]) if len(text) >= 10 else 0
    except ValueError:
        return 0, 0, 0
    return year, month, day


def dob_outcomes(query: tuple[int, int, int], year: np.ndarray, month: np.ndarray,
                 day: np.ndarray) -> np.ndarray:
    """``compare_dates`` of the query's date with many dates at once (arrays of parts, 0 for
    a part not given; a year of 0 is no date): an array of DOB_* outcomes."""
    qy, qm, qd = query
    out = np.full(len(year), DOB_PARTIAL, dtype=np.int8)
    if not qy:
        out[:] = DOB_ABSENT
        return out
    full = (month > 0) & (day > 0) & bool(qm and qd)
    if qm and qd:
        out[full] = DOB_CONFLICT
        out[full & (month == qm) & (day == qd)] = DOB_EXACT
        out[full & (month == qd) & (day == qm) & ~((month == qm) & (day == qd))] = DOB_SWAPPED
    if qm:
        # Different months, one day missing: a conflict unless the day given is a swapped month.
        other_day = np.where(day > 0, day, qd)
        differ = ~full & (month > 0) & (month != qm)
        swap_ok = (other_day > 0) & ((other_day == qm) | (other_day == month))
        out[differ & ~swap_ok] = DOB_CONFLICT
    out[year != qy] = DOB_CONFLICT
    out[year == 0] = DOB_ABSENT
    return out


_DOB_PREFERENCE = (DOB_EXACT, DOB_SWAPPED, DOB_PARTIAL, DOB_ABSENT, DOB_CONFLICT)


def _weights() -> tuple[dict[str, float], float]:
    """The matcher's model weights and bias (``awol.names`` model file)."""
    from awol.names.match import _model

    model = _model()
    return model["weights"], float(model["bias"])  # type: ignore[return-value]


def _logit_threshold() -> float:
    import math

    from awol.names import MATCH_THRESHOLD

    t = min(max(MATCH_THRESHOLD, 1e-6), 1 - 1e-6)
    return math.log(t / (1 - t))


def _commonness(name: str) -> float:
    """How common the query's surname is (``surname_commonness``; 0 when unreadable)."""
    from awol.names import parse_name
    from awol.names.match import surname_commonness

    try:
        return surname_commonness(parse_name(name).surname_keys)[0]
    except ValueError:
        return 0.0


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
        # The first two given names of each name and its father's name (ids from
        # ``_GivenNames``; -1 where none).
        self.name_given = np.zeros((0, 2), dtype=np.int16)
        self.name_father = np.zeros(0, dtype=np.int16)
        # Each entry's first birth date in parts (0 where not given); True where it has more.
        self.entry_dob_parts = np.zeros((0, 3), dtype=np.int16)
        self.entry_more_dobs = np.zeros(0, dtype=bool)
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
        father_of = _given().father_of
        name_given = array("h")
        name_father = array("h")
        dob_parts = array("h")
        more_dobs = bytearray()
        no_dobs: tuple[str, ...] = ()
        for number, (db_id, list_id, name, aliases, dobs) in enumerate(records):
            entry = len(entry_db_id)
            entry_db_id.append(db_id)
            entry_list.append(list_id)
            entry_dobs.append(tuple(dobs) if dobs else no_dobs)
            dob_parts.extend(_date_parts(dobs[0]) if dobs else (0, 0, 0))
            more_dobs.append(1 if dobs and len(dobs) > 1 else 0)
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
                name_father.append(father_of(text))
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
        self.name_father = np.frombuffer(name_father, dtype=np.int16).copy()
        self.entry_dob_parts = np.frombuffer(dob_parts, dtype=np.int16).copy().reshape(-1, 3)
        self.entry_more_dobs = np.frombuffer(bytes(more_dobs), dtype=np.uint8).astype(bool)
        hashes = np.frombuffer(key_hashes, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        self.key_hashes = hashes[order]
        self.key_names = np.frombuffer(key_names, dtype=np.int32)[order]
        del key_hashes, key_names, order
        nbytes = sum(
            a.nbytes
            for a in (self.name_entry, self.entry_db_id, self.entry_list, self.key_hashes,
                      self.key_names, self.name_given, self.name_father, self.entry_dob_parts,
                      self.entry_more_dobs)
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
        plausible: int = MAX_PLAUSIBLE,
        with_estimates: bool = False,
        commonness: float | None = None,
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Name numbers sharing a key with the query; the likeliest first.

        A block larger than ``limit`` (a common surname) is pre-ranked by ``estimate`` (the
        matcher's log-odds, estimated from what the index keeps of each name); the best
        ``limit`` are returned, and so is every further name whose estimate reaches the
        match threshold less ``PLAUSIBLE_MARGIN``, up to ``plausible`` names in all.
        ``with_estimates``: also return the estimates (then every block is estimated and
        sorted, however small).
        """
        empty = np.zeros(0, dtype=np.int32)
        none = (empty, np.zeros(0, dtype=np.float32)) if with_estimates else empty
        if not len(self.key_hashes):
            return none
        hashes = np.fromiter((_key_hash(k) for k in set(keys)), dtype=np.int64)
        if not len(hashes):
            return none
        lo = np.searchsorted(self.key_hashes, hashes, side="left")
        hi = np.searchsorted(self.key_hashes, hashes, side="right")
        slices = [self.key_names[a:b] for a, b in zip(lo, hi) if b > a]
        if not slices:
            return none
        names = np.unique(np.concatenate(slices)) if len(slices) > 1 else slices[0]
        if lists is not None:
            allowed = np.fromiter(lists, dtype=np.int32)
            names = names[np.isin(self.entry_list[self.name_entry[names]], allowed)]
        if len(names) <= limit and not with_estimates:
            return names
        z = self.estimate(names, folded=folded, dob=dob, name=name, commonness=commonness)
        if len(names) <= limit:
            order = np.argsort(-z, kind="stable")
            return names[order], z[order]
        top = np.argpartition(-z, limit - 1)[:limit]
        if plausible > limit:
            cut = _logit_threshold() - PLAUSIBLE_MARGIN
            more = np.flatnonzero(z >= cut)
            if len(more):
                more = more[~np.isin(more, top)]
            if len(more) > plausible - limit:
                more = more[np.argpartition(-z[more], plausible - limit - 1)[: plausible - limit]]
            if len(more):
                top = np.concatenate([top, more])
        top = top[np.argsort(-z[top], kind="stable")]
        return (names[top], z[top]) if with_estimates else names[top]

    def estimate(self, names: np.ndarray, *, folded: str = "", dob: str | None = None,
                 name: str | None = None, commonness: float | None = None) -> np.ndarray:
        """For each name number, an estimate of the matcher's log-odds that it is the
        query's person, from the same evidence the matcher weighs (its own weights): the
        surname (assumed to agree, less how far the ASCII skeletons differ), given name
        and father's name (the same, another, or not given), birth date (as
        ``compare_dates`` would find it, with the twins rule), and the surname's
        commonness when nothing corroborates it."""
        from rapidfuzz import fuzz, process

        weights, bias = _weights()
        choices = [self.folded[i] for i in names.tolist()]
        similarity = process.cdist([folded], choices, scorer=fuzz.token_set_ratio,
                                   dtype=np.float32, workers=1)[0]
        similarity += 0.5 * process.cdist([folded], choices, scorer=fuzz.ratio,
                                          dtype=np.float32, workers=1)[0]
        # The skeletons' similarity stands in for the surname's (up to 1.5 log-odds) and
        # orders names the other evidence cannot tell apart.
        z = (bias + weights["surname_exact"]) + (similarity - 150.0) / 100.0
        given_different = np.zeros(len(names), dtype=bool)
        patronymic_same = np.zeros(len(names), dtype=bool)
        patronymic_different = np.zeros(len(names), dtype=bool)
        if name and len(self.name_given) == len(self.names):
            lookup = _given()
            wanted = lookup.all_of(name)
            if wanted:
                given = self.name_given[names]
                query_given = np.fromiter(wanted, dtype=np.int16)
                shared = np.isin(given[:, 0], query_given) | np.isin(given[:, 1], query_given)
                given_different = ~shared & (given[:, 0] >= 0)
                z += np.where(shared, weights["given_same"], 0.0)
                z += np.where(given_different, weights["given_different"], 0.0)
            fathers = lookup.fathers_all(name)
            if fathers and len(self.name_father) == len(self.names):
                father = self.name_father[names]
                patronymic_same = np.isin(father, np.fromiter(fathers, dtype=np.int16))
                patronymic_different = ~patronymic_same & (father >= 0)
                z += np.where(patronymic_same, weights["patronymic_same"], 0.0)
                z += np.where(patronymic_different, weights["patronymic_different"], 0.0)
        corroborated = patronymic_same.copy()
        if dob:
            entries = self.name_entry[names]
            parts = self.entry_dob_parts[entries]
            outcome = dob_outcomes(_date_parts(dob), parts[:, 0], parts[:, 1], parts[:, 2])
            for i in np.flatnonzero(self.entry_more_dobs[entries]).tolist():
                # Several birth dates: the best of them counts (as the matcher takes the best).
                found = [dob_outcomes(_date_parts(dob), *(np.array([p]) for p in _date_parts(d)))[0]
                         for d in self.entry_dobs[int(entries[i])]]
                outcome[i] = min(found, key=_DOB_PREFERENCE.index)
            support = np.select(
                [outcome == DOB_EXACT, outcome == DOB_SWAPPED, outcome == DOB_PARTIAL],
                [weights["dob_exact"], weights["dob_swapped"], weights["dob_partial"]], 0.0)
            # Twins: a shared birth date does not count for different names (the matcher's rule).
            support = np.where(given_different | patronymic_different, 0.0, support)
            z += support
            z += np.where(outcome == DOB_CONFLICT, weights["dob_differs"], 0.0)
            corroborated |= support > 0
        if commonness is None:  # (a caller that has parsed the query passes it)
            commonness = _commonness(name) if name else 0.0
        if commonness:
            z += np.where(corroborated, 0.0, weights["common_uncorroborated"] * commonness)
        return z.astype(np.float32)

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
