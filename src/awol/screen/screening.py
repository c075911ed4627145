"""Screening a name (and birth date) against the watchlists.

Candidates come from the blocking-key index (``awol.screen.index``) and are scored by the
names library (``awol.names.NameMatcher``, the batch form of ``match_names``: same scores,
the query parsed once): every result carries its calibrated score, the
matcher's explanation and the list entry it refers to.

Privacy: the names screened belong to confidential cases. They are never logged, never put
in an exception message and never written anywhere but the command's own output.
"""

from __future__ import annotations

import csv
import heapq
import json
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy import select

from awol.errors import AwolError
from awol.screen.index import (MAX_CANDIDATES, MAX_PLAUSIBLE, PRUNE_MARGIN, ScreeningIndex, fold_name,
                               index_for)
from awol.screen.watchlists import parse_birth_date, watchlist_ids
from awol.store.db import Store
from awol.store.schema import WatchlistEntryRow

MAX_QUERY_CHARS = 300
DEFAULT_LIMIT = 10
DEFAULT_MIN_SCORE = 0.25


class QueryError(AwolError):
    """A query that cannot be screened; the message never quotes the query."""


@dataclass
class Query:
    name: str
    dob: str | None = None


def check_query(name: str | None, dob: str | None = None) -> Query:
    """A screenable query, or a QueryError saying (without quoting it) what is wrong."""
    text = "".join(
        " " if unicodedata.category(ch)[0] in "CZ" else ch for ch in (name or "")
    )
    text = " ".join(text.split())
    if not text:
        raise QueryError("the name is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the name is too long ({len(text)} characters; at most {MAX_QUERY_CHARS})"
        )
    words = ["".join(ch for ch in w if ch.isalpha()) for w in text.split()]
    words = [w for w in words if w]
    if not words:
        raise QueryError("the name has no letters")
    if all(len(w) <= 1 for w in words):
        raise QueryError("the name has only initials; give at least a surname in full")
    parsed_dob = None
    if dob is not None and str(dob).strip():
        try:
            parsed_dob = parse_birth_date(str(dob))
        except ValueError:
            raise QueryError(
                "the birth date is not a valid date (use YYYY-MM-DD, YYYY-MM, YYYY or DD.MM.YYYY)"
            ) from None
    return Query(text, parsed_dob)


@dataclass
class Candidate:
    """One list entry that may be the person screened."""

    score: float
    match: bool
    explanation: list[str]
    matched_name: str
    entry_no: int
    entry: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "score": round(self.score, 4),
            "match": self.match,
            "matched_name": self.matched_name,
            "explanation": self.explanation,
            "entry": self.entry,
        }


def _best_dob(query_dob: str | None, dobs: tuple[str, ...]) -> str | None:
    """The entry's birth date that agrees best with the query's (longest shared prefix)."""
    if not dobs:
        return None
    if not query_dob:
        return dobs[0]

    def shared(d: str) -> int:
        n = 0
        for a, b in zip(d, query_dob):
            if a != b:
                break
            n += 1
        return n

    return max(dobs, key=shared)


def _logit(p: float) -> float:
    if p <= 0.0:
        return -math.inf
    p = min(p, 1 - 1e-12)
    return math.log(p / (1 - p))


def rank(
    index: ScreeningIndex,
    query: Query,
    *,
    lists: set[int] | None = None,
    limit: int = DEFAULT_LIMIT,
    min_score: float = DEFAULT_MIN_SCORE,
    max_candidates: int = MAX_CANDIDATES,
    keys: Iterable[str] | None = None,
    max_plausible: int = MAX_PLAUSIBLE,
) -> list[Candidate]:
    """Score the index's candidates for ``query``; the best ``limit`` at or above min_score.

    The query is parsed once (``awol.names.NameMatcher``) and every candidate name is parsed
    once per index (``ScreeningIndex.parsed``, a bounded cache). Candidates are first scored
    without explanations; only the ``limit`` returned get their explanation written. The
    scores are exactly those of ``awol.names.match_names``.
    """
    from awol.names import NameMatcher, blocking_keys
    from awol.names.match import surname_commonness

    if keys is None:
        keys = blocking_keys(query.name)
    matcher = NameMatcher(query.name, query.dob)
    names, estimates = index.candidates(
        keys, folded=fold_name(query.name), dob=query.dob, lists=lists, limit=max_candidates,
        name=query.name, plausible=max_plausible, with_estimates=True,
        commonness=surname_commonness(matcher.query.surname_keys)[0])
    best: dict[int, tuple[float, int, str | None]] = {}
    name_entry, entry_dobs = index.name_entry, index.entry_dobs
    # Candidates come best estimate first: stop when the rest cannot be shown.
    floor = _logit(min_score) - PRUNE_MARGIN
    kth = -math.inf  # the limit-th best score found so far, as log-odds
    top_scores: list[float] = []
    for n, estimate in zip(names.tolist(), estimates.tolist()):
        if estimate < floor or estimate < kth - PRUNE_MARGIN:
            break
        entry = int(name_entry[n])
        parsed = index.parsed(n)
        if parsed is None:  # a name the parser cannot read (the blocking keys could)
            continue
        entry_dob = _best_dob(query.dob, entry_dobs[entry])
        score = matcher.probability(parsed, entry_dob)
        known = best.get(entry)
        # An entry counts with its best name (on a tie, the one listed first).
        if known is None or score > known[0] or (score == known[0] and n < known[1]):
            best[entry] = (score, n, entry_dob)
            # The best `limit` scores so far (an entry's older, lower score may linger: the
            # bound is then lower than it could be, never higher).
            heapq.heappush(top_scores, score)
            if len(top_scores) > limit:
                heapq.heappop(top_scores)
            if len(top_scores) == limit:
                kth = _logit(top_scores[0])
    kept = sorted(
        ((score, entry, n, dob) for entry, (score, n, dob) in best.items() if score >= min_score),
        key=lambda x: -x[0],
    )[:limit]
    found = []
    for _score, entry, n, entry_dob in kept:
        r = matcher.score(index.parsed(n), entry_dob)
        found.append(Candidate(float(r.score), bool(r.match), list(r.explanation), index.names[n], entry))
    return found


def _entry_dict(row: WatchlistEntryRow, list_name: str) -> dict:
    return {
        "list": list_name,
        "entity_id": row.entity_id,
        "schema": row.schema,
        "name": row.name,
        "aliases": json.loads(row.aliases or "[]"),
        "birth_dates": json.loads(row.birth_dates or "[]"),
        "nationality": json.loads(row.nationality or "[]"),
        "position": json.loads(row.position or "[]"),
        "topics": json.loads(row.topics or "[]"),
    }


def _attach_entries(store: Store, index: ScreeningIndex, found: list[Candidate],
                    list_names: dict[int, str]) -> None:
    if not found:
        return
    ids = [int(index.entry_db_id[c.entry_no]) for c in found]
    with store.session() as session:
        rows = {
            r.id: r
            for r in session.scalars(select(WatchlistEntryRow).where(WatchlistEntryRow.id.in_(ids)))
        }
    for candidate, db_id in zip(found, ids):
        row = rows.get(db_id)
        if row is not None:
            candidate.entry = _entry_dict(row, list_names.get(row.watchlist_id, "?"))


@dataclass
class ScreenResult:
    query: Query
    lists: list[str]
    candidates: list[Candidate]

    def to_dict(self) -> dict:
        from awol.names import MATCH_THRESHOLD

        return {
            "query": {"name": self.query.name, "dob": self.query.dob},
            "lists": self.lists,
            "threshold": MATCH_THRESHOLD,
            "candidates": [c.to_dict() for c in self.candidates],
        }


class Screener:
    """Screens queries against the store's watchlists (the index is built once)."""

    def __init__(self, store: Store, lists: Iterable[str] | None = None):
        self.store = store
        all_lists = watchlist_ids(store)
        if not all_lists:
            raise AwolError("no watchlist imported yet: run `awol watchlist import FILE --list NAME`")
        self.list_names = all_lists
        selected = watchlist_ids(store, list(lists)) if lists else all_lists
        self.list_filter = set(selected) if lists else None
        self.selected_names = sorted(selected.values())
        self.index = index_for(store)

    def screen(
        self,
        name: str | None,
        dob: str | None = None,
        *,
        limit: int = DEFAULT_LIMIT,
        min_score: float = DEFAULT_MIN_SCORE,
    ) -> ScreenResult:
        query = check_query(name, dob)
        found = rank(self.index, query, lists=self.list_filter, limit=limit, min_score=min_score)
        _attach_entries(self.store, self.index, found, self.list_names)
        return ScreenResult(query, self.selected_names, found)


def screen(store: Store, name: str | None, dob: str | None = None, *,
           lists: Iterable[str] | None = None, limit: int = DEFAULT_LIMIT,
           min_score: float = DEFAULT_MIN_SCORE) -> ScreenResult:
    """Screen one name against the watchlists of ``store``."""
    check_query(name, dob)  # fail on bad input before building any index
    return Screener(store, lists).screen(name, dob, limit=limit, min_score=min_score)


# --- bulk ---------------------------------------------------------------------------------

BULK_OUT_HEADER = (
    "row", "query_id", "query_name", "query_dob", "rank", "score", "match", "list",
    "entity_id", "entry_name", "matched_name", "entry_birth_dates", "explanation", "error",
)


@dataclass
class BulkReport:
    queries: int = 0
    with_candidates: int = 0
    matches: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


def read_bulk_queries(path: Path) -> list[tuple[int, str, str, str]]:
    """(line, id, name, dob) of a CSV with a ``name`` column (``id``, ``birth_date`` optional)."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise AwolError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        if "name" not in header:
            raise AwolError("the CSV has no `name` column (expected: id,name,birth_date)")
        reader.fieldnames = header
        rows = []
        try:
            for n, row in enumerate(reader, start=1):
                dob = row.get("birth_date") or row.get("dob") or ""
                rows.append((reader.line_num, (row.get("id") or "").strip() or str(n),
                             row.get("name") or "", dob.strip()))
        except csv.Error:
            raise AwolError(f"{path.name}: unreadable CSV at line {reader.line_num}") from None
        return rows


def bulk_screen(
    store: Store,
    in_path: Path,
    out_path: Path,
    *,
    lists: Iterable[str] | None = None,
    limit: int = 3,
    min_score: float = DEFAULT_MIN_SCORE,
    progress: Callable[[int, int], None] | None = None,
) -> BulkReport:
    """Screen every row of a CSV, writing candidates (or the row's error) to ``out_path``."""
    queries = read_bulk_queries(Path(in_path))
    screener = Screener(store, lists)
    report = BulkReport()
    try:
        out = open(out_path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise AwolError(f"cannot write {out_path}: {exc.strerror}") from None
    with out:
        writer = csv.writer(out)
        writer.writerow(BULK_OUT_HEADER)
        for done, (line, qid, name, dob) in enumerate(queries, start=1):
            report.queries += 1
            try:
                result = screener.screen(name, dob or None, limit=limit, min_score=min_score)
            except QueryError as exc:
                report.rejected.append((line, str(exc)))
                writer.writerow([line, qid, name, dob, "", "", "", "", "", "", "", "", "", str(exc)])
            else:
                if result.candidates:
                    report.with_candidates += 1
                if any(c.match for c in result.candidates):
                    report.matches += 1
                if not result.candidates:
                    writer.writerow([line, qid, name, dob] + [""] * 10)
                for r, c in enumerate(result.candidates, start=1):
                    e = c.entry
                    writer.writerow([
                        line, qid, name, result.query.dob or "", r, f"{c.score:.4f}",
                        "yes" if c.match else "no", e.get("list", ""), e.get("entity_id", ""),
                        e.get("name", ""), c.matched_name, ";".join(e.get("birth_dates", [])),
                        " | ".join(c.explanation), "",
                    ])
            if progress:
                progress(done, len(queries))
    return report
