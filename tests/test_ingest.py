"""Ingest: every format becomes a document; bad files are reported and lose nothing else."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from awol.ingest.pipeline import IngestReport, collect_files, ingest_files
from awol.ingest.readers import UnreadableFile, read_document
from awol.store.db import open_store
from awol.store.schema import DocumentRow
from conftest import SEED_DIR

SEED = SEED_DIR / "deserters-2024-12.nl.txt"


def ingest(store, *paths, **kwargs) -> IngestReport:
    report = IngestReport()
    files = collect_files([Path(p) for p in paths], report)
    for _ in ingest_files(store, files, report, **kwargs):
        pass
    return report


def make_pdf(path: Path, lines: list[str], title: str = "Report") -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle(title)
    y = 800
    for line in lines:
        pdf.drawString(40, y, line)
        y -= 16
    pdf.save()


def documents(store) -> list[DocumentRow]:
    with store.session() as session:
        return list(session.scalars(select(DocumentRow).order_by(DocumentRow.id)))


def test_seed_is_a_dutch_document_dated_2024_12_with_hash_and_text(store):
    report = ingest(store, SEED)
    assert [p for p, _ in report.stored] == [str(SEED)]
    [doc] = documents(store)
    assert doc.language == "nl"
    assert doc.published == "2024-12"
    assert doc.sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert doc.text.startswith("„Deserteurs zijn geen verraders")
    assert "Sergej keerde niet terug" in doc.text
    assert doc.format == "text"


def test_reingesting_the_same_file_changes_nothing(store):
    ingest(store, SEED)
    again = ingest(store, SEED)
    assert again.stored == [] and again.unchanged == [str(SEED)]
    assert len(documents(store)) == 1


def test_markdown_front_matter_gives_title_date_outlet_and_url(store, tmp_path):
    md = tmp_path / "report.md"
    md.write_text(
        "---\ntitle: Deserteure aus der 20. Division\ndate: 2024-11-19\n"
        "source: Deutsche Welle\nurl: https://www.dw.com/de/a-1\n---\n\n"
        "# Deserteure\n\nMehr als tausend Soldaten haben die Division ohne Erlaubnis verlassen, "
        "berichtet das Portal iStories.\n",
        encoding="utf-8",
    )
    ingest(store, md)
    [doc] = documents(store)
    assert (doc.title, doc.published, doc.outlet, doc.url, doc.language, doc.format) == (
        "Deserteure aus der 20. Division", "2024-11-19", "Deutsche Welle",
        "https://www.dw.com/de/a-1", "de", "markdown",
    )


def test_html_keeps_the_article_and_drops_scripts_and_navigation(store, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='ru'><head><title>Медиазона</title>"
        "<meta property='og:site_name' content='Медиазона'>"
        "<meta property='article:published_time' content='2024-06-03T10:00:00'></head><body>"
        "<nav><a href='/'>Главная</a> <a href='/news'>Новости</a></nav>"
        "<script>var tracker = 'do not keep me';</script>"
        "<article><h1>Суды и СОЧ</h1><p>За месяц суды получили более ста дел о самовольном "
        "оставлении части. Большинство обвиняемых — мобилизованные, которые не вернулись "
        "из отпуска.</p><p>Адвокаты говорят, что сроки растут с каждым месяцем.</p></article>"
        "<footer>© 2024</footer></body></html>",
        encoding="utf-8",
    )
    ingest(store, page)
    [doc] = documents(store)
    assert "самовольном" in doc.text
    assert "tracker" not in doc.text and "Главная" not in doc.text
    assert doc.language == "ru" and doc.published == "2024-06-03"
    assert doc.outlet == "Медиазона" and doc.format == "html"


def test_pdf_text_layer_is_read(store, tmp_path):
    pdf = tmp_path / "report.pdf"
    make_pdf(pdf, ["Date: 2023-05-02", "More than a thousand soldiers left the 20th Guards",
                   "Motor Rifle Division without permission, iStories reports."])
    ingest(store, pdf)
    [doc] = documents(store)
    assert "thousand soldiers" in doc.text
    assert doc.format == "pdf" and doc.language == "en" and doc.published == "2023-05-02"


def test_bad_files_in_a_batch_are_reported_and_the_rest_is_stored(store, tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text("Sterliadnikov is een van de zes deserteurs.", encoding="utf-8")
    (batch / "empty.txt").write_bytes(b"")
    (batch / "latin1.txt").write_bytes("Déserteurs: l'armée russe".encode("latin-1"))
    (batch / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>\nthis is not a pdf\n%%EOF")
    (batch / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    make_pdf(batch / "scan.pdf", [])
    report = ingest(store, batch)
    failed = dict((Path(p).name, reason) for p, reason in report.failed)
    assert set(failed) == {"empty.txt", "latin1.txt", "corrupt.pdf", "scan.pdf"}
    assert failed["empty.txt"] == "empty file"
    assert "not valid UTF-8" in failed["latin1.txt"] and "offset 1" in failed["latin1.txt"]
    assert "not a readable PDF" in failed["corrupt.pdf"]
    assert "no text layer" in failed["scan.pdf"]
    assert [Path(p).name for p, _ in report.stored] == ["good.txt"]
    assert [Path(p).name for p in report.skipped] == ["photo.jpg"]
    assert len(documents(store)) == 1


def test_another_encoding_can_be_named(store, tmp_path):
    path = tmp_path / "cp1251.txt"
    path.write_bytes("Более тысячи военнослужащих покинули дивизию.".encode("cp1251"))
    with pytest.raises(UnreadableFile, match="not valid UTF-8"):
        read_document(path)
    ingest(store, path, encoding="cp1251")
    [doc] = documents(store)
    assert doc.text.startswith("Более тысячи") and doc.language == "ru"


def test_a_file_over_the_size_limit_is_refused_with_the_limit_named(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("a" * 2000, encoding="utf-8")
    with pytest.raises(UnreadableFile, match="too large .* the limit is"):
        read_document(path, max_bytes=1000)


def _awol(*args: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "awol", *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_a_killed_ingest_restarts_without_duplicates_or_half_written_documents(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = SEED.read_text(encoding="utf-8")
    total = 400
    for i in range(total):
        (corpus / f"doc-{i:04d}.txt").write_text(f"date 2024-{1 + i % 12:02d}\n{body}\nNummer {i}.\n", encoding="utf-8")
    db = tmp_path / "killed.db"
    proc = _awol("ingest", str(corpus), "--db", str(db))
    deadline = time.time() + 120
    while _count(db) < 10 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _count(db)
    assert 10 <= partial < total

    resumed = _awol("ingest", str(corpus), "--db", str(db))
    out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    assert f"{total - partial} stored, {partial} unchanged, 0 failed" in out

    clean_db = tmp_path / "clean.db"
    clean = _awol("ingest", str(corpus), "--db", str(clean_db))
    clean.communicate(timeout=600)
    query = (
        "select d.sha256, length(d.text), (select count(*) from figures f where f.document_id = d.id), "
        "(select count(*) from person_mentions p where p.document_id = d.id) from documents d order by 1"
    )
    with sqlite3.connect(db) as a, sqlite3.connect(clean_db) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
        assert a.execute("select count(distinct sha256), count(*) from documents").fetchone() == (total, total)
