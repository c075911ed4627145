"""Cross-referencing two whole lists with Splink, on DuckDB (default) or Spark.

Each record is reduced to AWOL's name features (``record_features``, the one definition
used by both engines): the blocking keys of all its names (``awol.names.blocking_keys``),
its names' ASCII skeleton (words sorted) and its birth date. Splink then

- generates candidate pairs from records that share a name key (the key array is exploded),
- compares pairs on shared name keys, on the Jaro-Winkler similarity of the names' ASCII skeletons (`awol.names.translit.latin_skeleton`, words sorted) and
  on the birth date, with fixed m/u probabilities (documented in docs/screening.md) so that
  small lists link as reliably as big ones without training,
- keeps pairs at or above ``threshold`` match probability.

Every kept pair is also scored by AWOL's own matcher (``match_names``, best over all names
of both records), whose explanation goes into the output.

Where this runs depends on the engine. ``duckdb`` runs in memory in this process: features
and re-scoring are plain Python here. ``spark`` starts a local Spark session (or uses the
one given or active) whose scratch files go to a private temporary folder removed
afterwards; the records become a Spark DataFrame (``records_frame``, or any DataFrame given
to ``xref_frames``), the features are computed on the executors (``spark_features``:
``mapInArrow``, Arrow batches of records through ``record_features``), and the kept pairs are
re-scored on the executors too (``mapInArrow`` through the same ``_rescore``); only the final
pairs are collected to the driver. Nothing is logged about the records, and errors raised
while reading a record never carry its text.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import shutil
import sys
import tempfile
import uuid
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, cast

from awol.errors import AwolError

if TYPE_CHECKING:  # the executors import this module: keep it light
    from pyspark.sql import DataFrame, SparkSession

    from awol.store.db import Store

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
    from sqlalchemy import select

    from awol.store.schema import WatchlistEntryRow, WatchlistRow

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

FEATURES = ("name_norm", "name_keys", "dob", "birth_year")
_COLUMNS = ("unique_id", *FEATURES)


def record_features(name: str | None, aliases: Iterable[str | None] | None,
                    birth_dates: Iterable[str | None] | None) -> dict:
    """AWOL's name features of one record, as Splink compares them (both engines call this):

    ``name_keys`` the blocking keys of the name and its aliases (sorted, None if none),
    ``name_norm`` the name's ASCII skeleton with words sorted, ``dob`` the first full birth
    date (YYYY-MM-DD), ``birth_year`` the year of the first birth date. A name that cannot be
    read gives None features; nothing raises.
    """
    from awol.names import blocking_keys

    keys: set[str] = set()
    for text in (name, *(aliases or ())):
        if text is None:
            continue
        try:
            keys |= set(blocking_keys(text))
        except Exception:
            continue
    try:
        norm = _name_folder()(name) if name is not None else None
    except Exception:
        norm = None
    dates = [d for d in (birth_dates or ()) if d is not None]
    return {
        "name_norm": norm or None,
        "name_keys": sorted(keys) or None,
        "dob": next((d for d in dates if len(d) == 10), None),
        "birth_year": (dates[0][:4] or None) if dates else None,
    }


def _features(records: list[Record], prefix: str) -> list[dict]:
    """The feature rows of a list, in this process (the DuckDB engine)."""
    return [
        {"unique_id": f"{prefix}{n}", **record_features(rec.name, rec.aliases, rec.birth_dates)}
        for n, rec in enumerate(records)
    ]


@lru_cache(maxsize=1)
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


def _rescore(name_a, aliases_a, dates_a, name_b, aliases_b, dates_b,
             threshold: float) -> tuple[float, bool, list[str]]:
    """AWOL's verdict on a kept pair (both engines call this): the best ``match_names`` over
    all names of both records, with their first birth dates; ``match`` is ``score >=
    threshold`` (the driver's ``MATCH_THRESHOLD``, passed along so that executors agree).

    A name without letters is skipped; if a birth date cannot be read, the names are compared
    without birth dates; other errors are raised without their message (it could quote a name).
    """
    from awol.names import InvalidDateError, InvalidNameError, match_names

    dob_a = dates_a[0] if dates_a else None
    dob_b = dates_b[0] if dates_b else None
    best = None
    for one in (name_a, *(aliases_a or ())):
        for other in (name_b, *(aliases_b or ())):
            try:
                try:
                    result = match_names(one, other, dob_a=dob_a, dob_b=dob_b)
                except InvalidDateError:
                    result = match_names(one, other)
            except InvalidNameError:
                continue
            except Exception as exc:
                raise AwolError(f"AWOL's matcher failed on a pair ({type(exc).__name__})") from None
            if best is None or result.score > best.score:
                best = result
    if best is None:
        return 0.0, False, ["no name of the pair has letters to compare"]
    return float(best.score), bool(best.score >= threshold), list(best.explanation)


def _match_threshold() -> float:
    from awol.names import match as match_module

    return float(match_module.MATCH_THRESHOLD)


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
def _duckdb_api() -> Iterator[Any]:
    import duckdb
    from splink import DuckDBAPI

    connection = duckdb.connect(":memory:")
    try:
        yield DuckDBAPI(connection)
    finally:
        connection.close()


def _import_pyspark():
    try:
        import pandas  # noqa: F401  (pyspark requires it for mapInArrow)
        import pyarrow  # noqa: F401  (Arrow batches to and from the executors)
        import pyspark  # noqa: F401
    except ImportError:
        raise AwolError("the Spark engine needs pyspark, pyarrow and pandas: "
                        "pip install 'awol[spark]'") from None


_LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
logger.repl.name = org.apache.spark.repl.Main
logger.repl.level = error
"""


@contextmanager
def spark_session() -> Iterator["SparkSession"]:
    """A Spark session for xref, stopped afterwards: ``AWOL_SPARK_MASTER`` (default
    ``local[*]``), Splink's similarity functions, log level ERROR, scratch files (shuffles,
    spilled caches) in a private temporary folder (mode 0700) removed afterwards.

    In local mode the executors' Python is this interpreter (unless ``PYSPARK_PYTHON`` says
    otherwise), so they import the same ``awol``.
    """
    _import_pyspark()
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    master = os.environ.get("AWOL_SPARK_MASTER", "local[*]")
    scratch = tempfile.mkdtemp(prefix="awol-xref-")
    os.chmod(scratch, 0o700)
    spark = None
    try:
        # Log at level ERROR from the start (setLogLevel below only acts once Spark is up).
        log_config = os.path.join(scratch, "log4j2.properties")
        with open(log_config, "w", encoding="utf-8") as handle:
            handle.write(_LOG4J2)
        python_set = "PYSPARK_PYTHON" in os.environ
        if master.startswith("local") and not python_set:
            os.environ["PYSPARK_PYTHON"] = sys.executable  # read when the context starts
        try:
            spark = (
                SparkSession.builder.master(master)
                .appName("awol-xref")
                .config("spark.jars", similarity_jar_location())
                .config("spark.local.dir", scratch)
                .config("spark.sql.warehouse.dir", os.path.join(scratch, "warehouse"))
                .config("spark.sql.shuffle.partitions", "8")
                .config("spark.default.parallelism", "8")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.memory",
                        os.environ.get("AWOL_SPARK_DRIVER_MEMORY", "2g"))
                .config("spark.driver.extraJavaOptions",
                        f"-Dlog4j2.configurationFile=file:{log_config}")
                .getOrCreate()
            )
        finally:
            if master.startswith("local") and not python_set:
                os.environ.pop("PYSPARK_PYTHON", None)
        spark.sparkContext.setLogLevel("ERROR")
        yield spark
    finally:
        if spark is not None:
            spark.catalog.clearCache()
            spark.stop()
        shutil.rmtree(scratch, ignore_errors=True)


@contextmanager
def _spark_api(spark=None) -> Iterator[Any]:
    """Splink's Spark backend on ``spark``, else on the active session, else on a session of
    its own (``spark_session``) stopped afterwards. A session not ours is left running."""
    _import_pyspark()
    from pyspark.sql import SparkSession
    from splink import SparkAPI

    with ExitStack() as stack:
        if spark is None:
            spark = SparkSession.getActiveSession()
        if spark is None:
            spark = stack.enter_context(spark_session())
        yield SparkAPI(spark_session=spark, break_lineage_method="persist",
                       num_partitions_on_repartition=8)


# --- linking ------------------------------------------------------------------------------


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise AwolError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")


def _quiet_splink() -> None:
    # Splink's own logging describes the model, not the data; keep the console quiet anyway.
    logging.getLogger("splink").setLevel(logging.WARNING)


def xref(left: list[Record], right: list[Record], *, engine: str = "duckdb",
         threshold: float = 0.5, spark=None) -> XrefResult:
    """Pairs of records (one from each list) that Splink links at ``threshold`` or above."""
    _check_engine(engine)
    if not left or not right:
        return XrefResult(engine, len(left), len(right), [])
    _quiet_splink()
    if engine == "spark":
        with _spark_api(spark) as db_api:
            return _xref_spark(db_api, records_frame(db_api.spark, left),
                               records_frame(db_api.spark, right), threshold)
    return _xref_duckdb(left, right, threshold)


def _xref_duckdb(left: list[Record], right: list[Record], threshold: float) -> XrefResult:
    from splink import Linker

    left_rows, right_rows = _features(left, "a"), _features(right, "b")
    by_id = {f"a{n}": r for n, r in enumerate(left)} | {f"b{n}": r for n, r in enumerate(right)}
    with _duckdb_api() as db_api:
        sdf_left = db_api.register(_arrow_table(left_rows), dataset_display_name="list_a")
        sdf_right = db_api.register(_arrow_table(right_rows), dataset_display_name="list_b")
        linker = Linker([sdf_left, sdf_right], _settings(len(left), len(right)), log_level=None)
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        found = predictions.as_record_list()
    match_threshold = _match_threshold()
    pairs = []
    for row in found:
        a, b = str(row["unique_id_l"]), str(row["unique_id_r"])
        if a.startswith("b"):
            a, b = b, a
        rec_a, rec_b = by_id[a], by_id[b]
        score, match, explanation = _rescore(
            rec_a.name, rec_a.aliases, rec_a.birth_dates,
            rec_b.name, rec_b.aliases, rec_b.birth_dates, match_threshold,
        )
        pairs.append(Pair(
            rec_a.source_id, rec_b.source_id, rec_a.name, rec_b.name,
            float(row["match_probability"]), float(row["match_weight"]),
            score, match, explanation,
        ))
    pairs.sort(key=lambda p: (-p.match_probability, -p.awol_score))
    return XrefResult("duckdb", len(left), len(right), pairs)


def _arrow_table(rows: list[dict]):
    """The feature rows as an Arrow table with explicit types (columns may be all null)."""
    import pyarrow as pa

    schema = pa.schema([
        pa.field(c, pa.list_(pa.string()) if c == "name_keys" else pa.string()) for c in _COLUMNS
    ])
    return pa.Table.from_pylist(rows, schema=schema)


# --- the Spark engine ---------------------------------------------------------------------

RECORD_SCHEMA = ("source_id string, name string, aliases array<string>, "
                 "birth_dates array<string>")
_FEATURE_SCHEMA = ("name_norm string, name_keys array<string>, dob string, "
                   "birth_year string")
_PAIR_SCHEMA = ("left_id string, left_name string, right_id string, right_name string, "
                "match_probability double, match_weight double, awol_score double, "
                "awol_match boolean, explanation string")
_RECORDS_PER_PARTITION = 5000


def records_frame(spark: "SparkSession", records: list[Record]) -> "DataFrame":
    """The records as a Spark DataFrame of raw records (``RECORD_SCHEMA``), in partitions of
    about ``_RECORDS_PER_PARTITION`` records (each Python task costs a little to start)."""
    df = spark.createDataFrame(
        [(r.source_id, r.name, list(r.aliases), list(r.birth_dates)) for r in records],
        RECORD_SCHEMA,
    )
    return df.coalesce(max(1, -(-len(records) // _RECORDS_PER_PARTITION)))  # never more


def _raw_records(df: "DataFrame") -> "DataFrame":
    """``df`` reduced to the raw record columns, typed; aliases and birth_dates may be absent."""
    from pyspark.sql import functions as F

    missing = [c for c in ("source_id", "name") if c not in df.columns]
    if missing:
        raise AwolError(f"the records lack the column(s) {', '.join(missing)}; "
                        f"expected {RECORD_SCHEMA}")
    arrays = {c: (F.col(c) if c in df.columns else F.array()).cast("array<string>").alias(c)
              for c in ("aliases", "birth_dates")}
    return df.select(F.col("source_id").cast("string").alias("source_id"),
                     F.col("name").cast("string").alias("name"),
                     arrays["aliases"], arrays["birth_dates"])


def spark_features(df: "DataFrame") -> "DataFrame":
    """``df`` (with ``name``, ``aliases``, ``birth_dates``) plus the feature columns, computed
    on the executors: Arrow batches of records go through ``record_features`` (mapInArrow)."""
    from pyspark.sql.types import StructType

    feature_fields = cast(StructType, StructType.fromDDL(_FEATURE_SCHEMA)).fields
    schema = StructType([f for f in df.schema.fields if f.name not in FEATURES]
                        + list(feature_fields))
    return df.drop(*[c for c in FEATURES if c in df.columns]).mapInArrow(
        _feature_batches, schema)


def _feature_batches(batches):
    """Executor side of ``spark_features``: the input columns, then the features."""
    import pyarrow as pa

    types = {"name_keys": pa.list_(pa.string())}
    for batch in batches:
        features = [record_features(r["name"], r["aliases"], r["birth_dates"])
                    for r in batch.select(["name", "aliases", "birth_dates"]).to_pylist()]
        arrays = list(batch.columns)
        fields = list(batch.schema)
        for name in FEATURES:
            kind = types.get(name, pa.string())
            arrays.append(pa.array([f[name] for f in features], type=kind))
            fields.append(pa.field(name, kind))
        yield pa.RecordBatch.from_arrays(arrays, schema=pa.schema(fields))


def _rescore_batches(batches, threshold: float):
    """Executor side of the re-scoring: each kept pair through ``_rescore``."""
    import pyarrow as pa

    schema = pa.schema([  # as _PAIR_SCHEMA
        ("left_id", pa.string()), ("left_name", pa.string()),
        ("right_id", pa.string()), ("right_name", pa.string()),
        ("match_probability", pa.float64()), ("match_weight", pa.float64()),
        ("awol_score", pa.float64()), ("awol_match", pa.bool_()),
        ("explanation", pa.string()),
    ])
    for batch in batches:
        out = []
        for r in batch.to_pylist():
            score, match, explanation = _rescore(
                r["left_name"], r["left_aliases"], r["left_birth_dates"],
                r["right_name"], r["right_aliases"], r["right_birth_dates"], threshold,
            )
            out.append({
                "left_id": r["left_id"], "left_name": r["left_name"],
                "right_id": r["right_id"], "right_name": r["right_name"],
                "match_probability": r["match_probability"], "match_weight": r["match_weight"],
                "awol_score": score, "awol_match": match,
                "explanation": json.dumps(explanation, ensure_ascii=False),
            })
        yield pa.RecordBatch.from_pylist(out, schema=schema)


def xref_frames(left: "DataFrame", right: "DataFrame", *, threshold: float = 0.5) -> XrefResult:
    """``xref`` on Spark for lists that are already Spark DataFrames of raw records
    (``source_id``, ``name``, optional ``aliases`` and ``birth_dates`` arrays), e.g. read by
    Spark from Parquet: nothing about the records passes through the driver but the pairs
    found. The session is the DataFrames' (it needs Splink's similarity jar in ``spark.jars``,
    as ``spark_session`` sets it)."""
    _import_pyspark()
    _quiet_splink()
    with _spark_api(left.sparkSession) as db_api:
        return _xref_spark(db_api, left, right, threshold)


def _prepared(df: "DataFrame", prefix: str) -> "DataFrame":
    """Raw records with a unique id (``prefix`` + a Spark row id) and their features, cached so
    that the ids are fixed and the features computed once."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    with_id = _raw_records(df).withColumn(
        "unique_id", F.concat(F.lit(prefix), F.monotonically_increasing_id().cast("string")))
    return spark_features(with_id).persist(StorageLevel.MEMORY_AND_DISK)


def _xref_spark(db_api, left_df: "DataFrame", right_df: "DataFrame",
                threshold: float) -> XrefResult:
    from pyspark.sql import functions as F
    from splink import Linker

    left, right = _prepared(left_df, "a"), _prepared(right_df, "b")
    # The session may be reused: the input views get names of their own, dropped afterwards
    # with the tables Splink made (which uncaches them).
    views = [f"awol_xref_{uuid.uuid4().hex}_{side}" for side in ("a", "b")]
    try:
        n_left, n_right = left.count(), right.count()
        if not n_left or not n_right:
            return XrefResult("spark", n_left, n_right, [])
        sdf_left = db_api.register(left.select(*_COLUMNS), table_name=views[0],
                                   dataset_display_name="list_a")
        sdf_right = db_api.register(right.select(*_COLUMNS), table_name=views[1],
                                    dataset_display_name="list_b")
        linker = Linker([sdf_left, sdf_right], _settings(n_left, n_right), log_level=None)
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        found = predictions.as_spark_dataframe()
        a_first = F.col("unique_id_l").startswith("a")
        kept = found.select(
            F.when(a_first, F.col("unique_id_l")).otherwise(F.col("unique_id_r")).alias("id_a"),
            F.when(a_first, F.col("unique_id_r")).otherwise(F.col("unique_id_l")).alias("id_b"),
            F.col("match_probability").cast("double").alias("match_probability"),
            F.col("match_weight").cast("double").alias("match_weight"),
        )

        def side(df, key, label):
            return df.select(F.col("unique_id").alias(key),
                             *[F.col(c).alias(f"{label}_{c}") for c in
                               ("source_id", "name", "aliases", "birth_dates")])

        joined = (kept.join(side(left, "id_a", "left"), "id_a")
                  .join(side(right, "id_b", "right"), "id_b")
                  .withColumnRenamed("left_source_id", "left_id")
                  .withColumnRenamed("right_source_id", "right_id"))
        scored = joined.mapInArrow(partial(_rescore_batches, threshold=_match_threshold()),
                                   _PAIR_SCHEMA)
        rows = scored.collect()
    finally:
        with suppress(Exception):
            db_api.delete_tables_created_by_splink_from_db()
        for view in views:
            with suppress(Exception):
                db_api.spark.catalog.dropTempView(view)
        left.unpersist()
        right.unpersist()
    pairs = [
        Pair(r["left_id"], r["right_id"], r["left_name"], r["right_name"],
             float(r["match_probability"]), float(r["match_weight"]),
             float(r["awol_score"]), bool(r["awol_match"]), json.loads(r["explanation"]))
        for r in rows
    ]
    pairs.sort(key=lambda p: (-p.match_probability, -p.awol_score))
    return XrefResult("spark", n_left, n_right, pairs)


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
