"""Cross-referencing two whole lists with Splink, on DuckDB (default) or Spark.

Each record is reduced, in Python, to AWOL's name features: the blocking keys of all its
names (``awol.names.blocking_keys``), its normalised name (``awol.names.normalize_name``) and
its birth date. Splink then

- generates candidate pairs from records that share a name key (the key array is exploded),
- compares pairs on shared name keys, on the Jaro-Winkler similarity of the names' ASCII skeletons (`awol.names.translit.latin_skeleton`, words sorted) and
  on the birth date, with fixed m/u probabilities (documented in docs/screening.md) so that
  small lists link as reliably as big ones without training,
- keeps pairs at or above ``threshold`` match probability.

Every kept pair is also scored by AWOL's own matcher (``match_names``), whose explanation
goes into the output.

The engine is a detail: ``duckdb`` runs in memory in this process; ``spark`` starts a local
Spark session (or uses the one given) whose scratch files go to a private temporary folder
removed afterwards. Nothing is logged about the records.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import select

from awol.errors import AwolError
from awol.store.db import Store
from awol.store.schema import WatchlistEntryRow, WatchlistRow

ENGINES = ("duckdb", "spark")


@dataclass
class Record:
    """One person of a list to link."""

    source_id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)


@dataclass
class Pair:
    left_id: str
    right_id: str
    left_name: str
    right_name: str
    match_probability: float
    match_weight: float
    awol_score: float
    awol_match: bool
    explanation: list[str]


@dataclass
class XrefResult:
    engine: str
    left_records: int
    right_records: int
    pairs: list[Pair]


# --- reading lists ------------------------------------------------------------------------


def load_records(store: Store | None, ref: str) -> list[Record]:
    """A list to link: a file (.csv or .jsonl, read but not stored) or a watchlist's name."""
    path = Path(ref)
    if path.is_file():
        from awol.screen.watchlists import BadLine, read_list_file

        _sha, items = read_list_file(path)
        return [
            Record(item.entity_id, item.name, item.aliases, item.birth_dates)
            for _line, item in items
            if item is not None and not isinstance(item, BadLine)
        ]
    if store is None:
        raise AwolError(f"no such file: {ref}")
    with store.session() as session:
        list_id = session.scalar(select(WatchlistRow.id).where(WatchlistRow.name == ref))
        if list_id is None:
            raise AwolError(f"{ref} is neither a file nor an imported watchlist")
        rows = session.execute(
            select(WatchlistEntryRow.entity_id, WatchlistEntryRow.name,
                   WatchlistEntryRow.aliases, WatchlistEntryRow.birth_dates)
            .where(WatchlistEntryRow.watchlist_id == list_id)
            .order_by(WatchlistEntryRow.id)
        ).all()
    return [Record(eid, name, json.loads(al or "[]"), json.loads(bd or "[]"))
            for eid, name, al, bd in rows]


# --- features -----------------------------------------------------------------------------


def _features(records: list[Record], prefix: str) -> list[dict]:
    from awol.names import blocking_keys

    fold = _name_folder()
    rows = []
    for n, rec in enumerate(records):
        keys: set[str] = set()
        for text in (rec.name, *rec.aliases):
            try:
                keys |= set(blocking_keys(text))
            except Exception:
                continue
        try:
            norm = fold(rec.name)
        except Exception:
            norm = None
        dob = next((d for d in rec.birth_dates if len(d) == 10), None)
        year = rec.birth_dates[0][:4] if rec.birth_dates else None
        rows.append({
            "unique_id": f"{prefix}{n}",
            "name_norm": norm or None,
            "name_keys": sorted(keys) or None,
            "dob": dob,
            "birth_year": year,
        })
    return rows


def _name_folder():
    """Name → comparable text: AWOL's ASCII skeleton of each word (script and transliteration
    folded together), words sorted so that the order of name parts does not matter."""
    try:
        from awol.names.translit import latin_skeleton
    except ImportError:  # an older names library: its normal form (keeps the script)
        from awol.names import normalize_name as latin_skeleton

    def fold(name: str) -> str | None:
        words = sorted(str(latin_skeleton(name)).casefold().split())
        return " ".join(words) or None

    return fold


def _settings(n_left: int, n_right: int):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    # Fixed m/u probabilities (see docs/screening.md): the two name comparisons are
    # correlated, so the key overlap carries less weight than the name similarity; a birth
    # date that differs is strong evidence of two people.
    names = cl.JaroWinklerAtThresholds("name_norm", [0.95, 0.88]).configure(
        # levels (after null): exact, ≥0.95, ≥0.88, else
        m_probabilities=[0.5, 0.3, 0.15, 0.05],
        u_probabilities=[0.001, 0.005, 0.03, 0.964],
    )
    keys = cl.ArrayIntersectAtSizes("name_keys", [4, 2, 1]).configure(
        # levels (after null): ≥4 shared keys, ≥2, ≥1, none
        m_probabilities=[0.4, 0.45, 0.14, 0.01],
        u_probabilities=[0.1, 0.2, 0.4, 0.3],
    )
    dob = cl.CustomComparison(
        output_column_name="birth",
        comparison_levels=[
            cll.And(cll.NullLevel("dob"), cll.NullLevel("birth_year")),
            cll.ExactMatchLevel("dob"),
            cll.ExactMatchLevel("birth_year"),
            cll.ElseLevel(),
        ],
        comparison_description="birth date: same day, same year, different",
    ).configure(
        # levels (after null): same day, same year, different
        m_probabilities=[0.897, 0.1, 0.003],
        u_probabilities=[0.001, 0.03, 0.969],
    )
    expected_links = max(1, min(n_left, n_right))
    prior = min(0.5, expected_links / max(1, n_left * n_right))
    return SettingsCreator(
        link_type="link_only",
        comparisons=[names, keys, dob],
        blocking_rules_to_generate_predictions=[
            block_on("name_keys", arrays_to_explode=["name_keys"]),
        ],
        probability_two_random_records_match=prior,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


# --- engines ------------------------------------------------------------------------------


@contextmanager
def _duckdb_api() -> Iterator[object]:
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect(":memory:")
    try:
        yield DuckDBAPI(connection)
    finally:
        connection.close()


@contextmanager
def _spark_api(spark=None) -> Iterator[object]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise AwolError("the Spark engine needs pyspark: pip install 'awol[spark]'") from None
    from splink import SparkAPI
    from splink.backends.spark import similarity_jar_location

    scratch = None
    own_session = spark is None
    if own_session:
        # Spark spills shuffles to disk: keep them in a private folder, removed afterwards.
        scratch = tempfile.mkdtemp(prefix="awol-xref-")
        os.chmod(scratch, 0o700)
        spark = (
            SparkSession.builder.master(os.environ.get("AWOL_SPARK_MASTER", "local[*]"))
            .appName("awol-xref")
            .config("spark.jars", similarity_jar_location())
            .config("spark.local.dir", scratch)
            .config("spark.sql.warehouse.dir", os.path.join(scratch, "warehouse"))
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.default.parallelism", "8")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", os.environ.get("AWOL_SPARK_DRIVER_MEMORY", "2g"))
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
    try:
        yield SparkAPI(spark_session=spark, break_lineage_method="persist",
                       num_partitions_on_repartition=8)
    finally:
        if own_session:
            spark.catalog.clearCache()
            spark.stop()
            shutil.rmtree(scratch, ignore_errors=True)


def _engine(engine: str, spark=None):
    if engine == "duckdb":
        return _duckdb_api()
    if engine == "spark":
        return _spark_api(spark)
    raise AwolError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")


# --- linking ------------------------------------------------------------------------------


def xref(left: list[Record], right: list[Record], *, engine: str = "duckdb",
         threshold: float = 0.5, spark=None) -> XrefResult:
    """Pairs of records (one from each list) that Splink links at ``threshold`` or above."""
    from awol.names import match_names
    from splink import Linker

    if engine not in ENGINES:
        raise AwolError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if not left or not right:
        return XrefResult(engine, len(left), len(right), [])
    left_rows, right_rows = _features(left, "a"), _features(right, "b")
    by_id = {f"a{n}": r for n, r in enumerate(left)} | {f"b{n}": r for n, r in enumerate(right)}
    # Splink's own logging describes the model, not the data; keep the console quiet anyway.
    logging.getLogger("splink").setLevel(logging.WARNING)
    with _engine(engine, spark) as db_api:
        left_in, right_in = _table(engine, db_api, left_rows), _table(engine, db_api, right_rows)
        sdf_left = db_api.register(left_in, dataset_display_name="list_a")
        sdf_right = db_api.register(right_in, dataset_display_name="list_b")
        linker = Linker([sdf_left, sdf_right], _settings(len(left), len(right)), log_level=None)
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        found = predictions.as_record_list()
    pairs = []
    for row in found:
        a, b = str(row["unique_id_l"]), str(row["unique_id_r"])
        if a.startswith("b"):
            a, b = b, a
        rec_a, rec_b = by_id[a], by_id[b]
        best = _best_match(match_names, rec_a, rec_b)
        pairs.append(Pair(
            rec_a.source_id, rec_b.source_id, rec_a.name, rec_b.name,
            float(row["match_probability"]), float(row["match_weight"]),
            float(best.score), bool(best.match), list(best.explanation),
        ))
    pairs.sort(key=lambda p: (-p.match_probability, -p.awol_score))
    return XrefResult(engine, len(left), len(right), pairs)


_COLUMNS = ("unique_id", "name_norm", "name_keys", "dob", "birth_year")


def _table(engine: str, db_api, rows: list[dict]):
    """The feature rows as a table of the engine, with explicit types (columns may be all null)."""
    if engine == "spark":
        from pyspark.sql.types import ArrayType, StringType, StructField, StructType

        schema = StructType([
            StructField(c, ArrayType(StringType()) if c == "name_keys" else StringType())
            for c in _COLUMNS
        ])
        return db_api.spark.createDataFrame([tuple(r[c] for c in _COLUMNS) for r in rows], schema)
    import pyarrow as pa

    schema = pa.schema([
        pa.field(c, pa.list_(pa.string()) if c == "name_keys" else pa.string()) for c in _COLUMNS
    ])
    return pa.Table.from_pylist(rows, schema=schema)


def _best_match(match_names, a: Record, b: Record):
    dob_a = a.birth_dates[0] if a.birth_dates else None
    dob_b = b.birth_dates[0] if b.birth_dates else None
    best = None
    for name_a in (a.name, *a.aliases):
        for name_b in (b.name, *b.aliases):
            result = match_names(name_a, name_b, dob_a=dob_a, dob_b=dob_b)
            if best is None or result.score > best.score:
                best = result
    return best


XREF_HEADER = ("left_id", "left_name", "right_id", "right_name", "match_probability",
               "match_weight", "awol_score", "awol_match", "explanation")


def write_matches(result: XrefResult, out: Path) -> None:
    try:
        handle = open(out, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise AwolError(f"cannot write {out}: {exc.strerror}") from None
    with handle:
        writer = csv.writer(handle)
        writer.writerow(XREF_HEADER)
        for p in result.pairs:
            writer.writerow([p.left_id, p.left_name, p.right_id, p.right_name,
                             f"{p.match_probability:.4f}", f"{p.match_weight:.2f}",
                             f"{p.awol_score:.4f}", "yes" if p.awol_match else "no",
                             " | ".join(p.explanation)])
