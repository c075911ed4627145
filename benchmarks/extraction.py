"""Benchmark: ingest + extract + store throughput on SQLite, beside natasha's NER pass.

    .venv/bin/python benchmarks/extraction.py [--docs 10000] [--input DIR] [--keep DIR]

1. Generates --docs documents of about 4 KB in the six languages (paragraphs drawn from the
   development gold set and the seed, with their numbers varied), or reads .txt files from
   --input.
2. Runs, in a child process, the real pipeline (`awol.ingest.pipeline.ingest_files` with
   `awol.extract.extract_document`) into a fresh SQLite knowledge base: documents/s, MB/s,
   and the child's peak memory (ru_maxrss). It also times extraction alone on the Russian subset.
3. Runs, in a child process of a separate virtualenv (benchmarks/.venv-natasha, created on first
   use with `pip install natasha`, because natasha pins pymorphy2), natasha's Segmenter +
   NewsNERTagger over the same Russian subset, and reports the per-document ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GOLD = REPO / "tests" / "gold" / "extraction"
SEED = REPO / "examples" / "reports" / "deserters-2024-12.nl.txt"
NATASHA_VENV = HERE / ".venv-natasha"
LANGS = ("nl", "de", "en", "fr", "ru", "uk")
TARGET_BYTES = 4096


# -- corpus -----------------------------------------------------------------------------------
def _paragraphs() -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for path in sorted(GOLD.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        lang = data.get("language")
        if lang in by_lang:
            by_lang[lang] += [p.strip() for p in data["text"].split("\n\n") if p.strip()]
    if SEED.exists():
        by_lang["nl"] += [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n")[1:] if p.strip()]
    empty = [lang for lang, paras in by_lang.items() if not paras]
    if empty:
        raise SystemExit(f"no material for {empty}: the gold set (tests/gold/extraction) is needed")
    return by_lang


def _vary(paragraph: str, rng: random.Random) -> str:
    """Change counts a little so documents differ (years and unit numbers kept)."""
    def swap(match: re.Match) -> str:
        value = int(match.group(0))
        if 1900 <= value <= 2100 or value < 2:
            return match.group(0)
        return str(max(2, value + rng.randint(-value // 4 - 1, value // 4 + 1)))
    return re.sub(r"(?<![\w\-./])\d{1,4}(?![\w\-./])", swap, paragraph)


def generate(n: int, out: Path, seed: int = 20241201) -> list[Path]:
    rng = random.Random(seed)
    material = _paragraphs()
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        lang = LANGS[i % len(LANGS)]
        year, month, day = rng.choice((2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28)
        parts, size = [f"date: {year}-{month:02d}-{day:02d}", ""], 0
        while size < TARGET_BYTES:
            para = _vary(rng.choice(material[lang]), rng)
            parts.append(para)
            parts.append("")
            size += len(para.encode("utf-8")) + 2
        path = out / f"{lang}-{i:05d}.txt"
        path.write_text("\n".join(parts), encoding="utf-8")
        files.append(path)
    return files


# -- the AWOL child ---------------------------------------------------------------------------
def awol_worker(files_list: Path, db_path: Path, wal: bool = False) -> dict:
    sys.path.insert(0, str(REPO / "src"))
    from awol.extract import extract_document
    from awol.ingest.pipeline import IngestReport, ingest_files
    from awol.ingest.readers import read_document
    from awol.store.db import open_store

    files = [Path(line) for line in files_list.read_text().splitlines() if line]
    store = open_store(f"sqlite:///{db_path}")
    if wal:
        # WAL journal, fsync at checkpoints only: the setting recommended for bulk ingest.
        from sqlalchemy import event

        def _wal(connection, _record):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        event.listen(store.engine, "connect", _wal)
        store.engine.dispose()
    try:
        from awol.units.loading import load_gazetteer

        load_gazetteer(store)
    except ImportError:
        pass
    extract_document(read_document(files[0]))  # build lexicons and analyzers once (not timed)
    report = IngestReport()
    started = time.perf_counter()
    for _ in ingest_files(store, files, report, extractor=extract_document):
        pass
    elapsed = time.perf_counter() - started
    store.dispose()
    # Extraction alone per language (CPU time, so that other processes on the machine do not
    # count); the Russian subset also for the comparison with natasha.
    per_language = {}
    for lang in LANGS:
        documents = [read_document(f) for f in files if f.name.startswith(f"{lang}-")]
        if not documents:
            continue
        t0 = time.process_time()
        for document in documents:
            extract_document(document)
        per_language[lang] = 1000 * (time.process_time() - t0) / len(documents)
    russian = [read_document(f) for f in files if f.name.startswith("ru-")]
    t0 = time.perf_counter()
    for document in russian:
        extract_document(document)
    ru_elapsed = time.perf_counter() - t0
    return {
        "documents": len(files),
        "stored": len(report.stored),
        "failed": len(report.failed),
        "figures": report.figures,
        "bytes": sum(f.stat().st_size for f in files),
        "seconds": elapsed,
        "ru_documents": len(russian),
        "ru_extract_seconds": ru_elapsed,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "extract_ms_per_language": per_language,
    }


NATASHA_SCRIPT = r"""
import json, resource, sys, time
from pathlib import Path
from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
files = [Path(line) for line in Path(sys.argv[1]).read_text().splitlines() if line]
texts = [f.read_text(encoding="utf-8") for f in files]
segmenter = Segmenter(); ner = NewsNERTagger(NewsEmbedding())
t0 = time.perf_counter(); spans = 0
for text in texts:
    doc = Doc(text); doc.segment(segmenter); doc.tag_ner(ner); spans += len(doc.spans)
elapsed = time.perf_counter() - t0
print(json.dumps({"documents": len(texts), "seconds": elapsed, "spans": spans,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def natasha_python() -> Path | None:
    python = NATASHA_VENV / "bin" / "python"
    if python.exists():
        return python
    print(f"creating {NATASHA_VENV} (pip install natasha) …", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(NATASHA_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "natasha"], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"natasha unavailable: {exc}", file=sys.stderr)
        return None
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10000, help="documents to generate (default 10000)")
    parser.add_argument("--input", type=Path, help="read .txt documents from this folder instead")
    parser.add_argument("--keep", type=Path, help="write the generated documents here and keep them")
    parser.add_argument("--skip-natasha", action="store_true")
    parser.add_argument("--results", type=Path, help="append a Markdown report to this file")
    parser.add_argument("--sqlite-wal", action="store_true",
                        help="SQLite in WAL mode with synchronous=NORMAL (the store's default is a rollback journal, synchronous=FULL)")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(awol_worker(Path(args.worker[0]), Path(args.worker[1]), args.sqlite_wal)))
        return

    with tempfile.TemporaryDirectory(prefix="awol-bench-") as tmp:
        tmp_path = Path(tmp)
        if args.input:
            files = sorted(args.input.rglob("*.txt"))[: args.docs]
        else:
            t0 = time.perf_counter()
            files = generate(args.docs, args.keep or tmp_path / "docs")
            print(f"generated {len(files)} documents in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        listing = tmp_path / "files.txt"
        listing.write_text("\n".join(map(str, files)))
        ru_listing = tmp_path / "ru-files.txt"
        ru_listing.write_text("\n".join(str(f) for f in files if f.name.startswith("ru-")))

        awol = json.loads(subprocess.run(
            [sys.executable, __file__, "--worker", str(listing), str(tmp_path / "bench.db")]
            + (["--sqlite-wal"] if args.sqlite_wal else []),
            check=True, capture_output=True, text=True,
        ).stdout.strip().splitlines()[-1])

        natasha = None
        if not args.skip_natasha:
            python = natasha_python()
            if python:
                script = tmp_path / "natasha_pass.py"
                script.write_text(NATASHA_SCRIPT)
                proc = subprocess.run([str(python), str(script), str(ru_listing)], capture_output=True, text=True)
                if proc.returncode == 0:
                    natasha = json.loads(proc.stdout.strip().splitlines()[-1])
                else:
                    print(f"natasha pass failed: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)

    report = _report(args, awol, natasha)
    print(report)
    if args.results:
        args.results.write_text(report + "\n", encoding="utf-8")


def _report(args, awol: dict, natasha: dict | None) -> str:
    docs_s = awol["documents"] / awol["seconds"]
    mb_s = awol["bytes"] / 1e6 / awol["seconds"]
    lines = [
        f"command: `{' '.join(['.venv/bin/python', 'benchmarks/extraction.py'] + [a for a in sys.argv[1:]])}`",
        f"machine: {os.cpu_count()} CPUs visible, one core used; Python {sys.version.split()[0]}",
        "",
        "| measure | value |",
        "|---|---|",
        f"| documents (6 languages, ~4 KB each) | {awol['documents']} ({awol['bytes'] / 1e6:.1f} MB) |",
        f"| stored / failed | {awol['stored']} / {awol['failed']} |",
        f"| figures stored | {awol['figures']} |",
        f"| ingest + extract + store (SQLite{', WAL + synchronous=NORMAL' if args.sqlite_wal else ', store defaults'}) | {awol['seconds']:.1f} s |",
        f"| throughput | **{docs_s:.0f} documents/s**, {mb_s:.2f} MB/s |",
        f"| peak memory of the AWOL process (ru_maxrss) | {awol['peak_rss_mb']:.0f} MB |",
        f"| AWOL extraction alone, Russian subset | {awol['ru_documents']} docs, "
        f"{1000 * awol['ru_extract_seconds'] / max(1, awol['ru_documents']):.2f} ms/document |",
    ]
    per_language = awol.get("extract_ms_per_language") or {}
    if per_language:
        lines.append("| AWOL extraction alone, CPU ms/document by language | "
                     + ", ".join(f"{lang} {ms:.2f}" for lang, ms in per_language.items()) + " |")
    if natasha:
        per_doc = natasha["seconds"] / max(1, natasha["documents"])
        awol_full = awol["seconds"] / awol["documents"]
        awol_ru = awol["ru_extract_seconds"] / max(1, awol["ru_documents"])
        lines += [
            f"| natasha Segmenter + NewsNERTagger, Russian subset | {natasha['documents']} docs, "
            f"{1000 * per_doc:.2f} ms/document, peak {natasha['peak_rss_mb']:.0f} MB |",
            f"| natasha ms/doc ÷ AWOL extraction ms/doc (Russian) | **{per_doc / awol_ru:.1f}×** |",
            f"| natasha ms/doc ÷ AWOL ingest+extract+store ms/doc | **{per_doc / awol_full:.1f}×** |",
        ]
    else:
        lines.append("| natasha | not run |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
