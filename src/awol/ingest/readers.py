"""Turning one file's bytes into a Document: text, title, language, date, outlet, URL.

Each reader raises `UnreadableFile` with a reason a user can act on; nothing here writes.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from pathlib import Path

from awol.errors import AwolError
from awol.ingest.dates import find_date_in_text, normalise_date
from awol.ingest.language import detect_language
from awol.model import Document

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html"}
PDF_SUFFIXES = {".pdf": "pdf"}
FORMATS = {**TEXT_SUFFIXES, **HTML_SUFFIXES, **PDF_SUFFIXES}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class UnreadableFile(AwolError):
    """This file cannot become a document; the message says why."""


def format_of(path: Path) -> str | None:
    return FORMATS.get(path.suffix.lower())


def read_document(
    path: Path, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    fmt = format_of(path)
    if fmt is None:
        raise UnreadableFile(f"unsupported format {path.suffix or '(no extension)'}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableFile(
                f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB, see --max-size)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise UnreadableFile("empty file")
    return parse_bytes(data, fmt, path=str(path), encoding=encoding)


def parse_bytes(data: bytes, fmt: str, *, path: str | None = None, encoding: str | None = None) -> Document:
    sha = hashlib.sha256(data).hexdigest()
    if fmt == "pdf":
        fields = _read_pdf(data)
    elif fmt == "html":
        fields = _read_html(decode_text(data, encoding))
    else:
        fields = _read_plain(decode_text(data, encoding), markdown=fmt == "markdown")
    text = fields.pop("text").strip()
    if not text:
        raise UnreadableFile("no text in it")
    # A PDF's creation date is when the file was made, not when the report was published:
    # a dateline in the text wins over it.
    fallback_date = fields.pop("file_date", None)
    published = (
        normalise_date(fields.pop("date", None))
        or find_date_in_text(text)
        or normalise_date(fallback_date)
    )
    return Document(
        sha256=sha,
        format=fmt,
        text=text,
        size_bytes=len(data),
        path=path,
        title=fields.get("title") or _first_line(text),
        language=fields.get("language") or detect_language(text),
        published=published,
        outlet=fields.get("outlet"),
        url=fields.get("url"),
    )


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Decode strictly: UTF-8 (BOM allowed) or UTF-16 with BOM, or the encoding asked for."""
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise UnreadableFile(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"not valid {encoding} (at byte offset {exc.start})") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"not valid UTF-16 (at byte offset {exc.start})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8 or pass --encoding (e.g. cp1251)"
        ) from None
    if "\x00" in text:
        raise UnreadableFile("binary content (NUL bytes), not text")
    return text


# A leading header of `key: value` lines (or the seed's bare "date 2024-12" prefix).
_HEADER_KEYS = {
    "date": "date", "datum": "date", "дата": "date", "published": "date", "gepubliceerd": "date",
    "veröffentlicht": "date", "publié": "date", "опубликовано": "date", "опубліковано": "date",
    "title": "title", "titel": "title", "titre": "title", "заголовок": "title",
    "url": "url", "source": "outlet", "outlet": "outlet", "bron": "outlet", "quelle": "outlet",
    "источник": "outlet", "джерело": "outlet",
}
_HEADER_LINE = re.compile(r"^\s*([^\W\d_]+)\s*:\s*(.+?)\s*$")
_BARE_DATE_PREFIX = re.compile(
    r"^\s*(?:date|datum|дата)\s*:?\s*((?:19|20)\d\d-\d\d(?:-\d\d)?)\s+", re.IGNORECASE
)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def _read_plain(text: str, *, markdown: bool) -> dict:
    fields: dict = {}
    if markdown:
        front = _FRONT_MATTER.match(text)
        if front:
            _header_fields(front.group(1).splitlines(), fields)
            text = text[front.end():]
    bare = _BARE_DATE_PREFIX.match(text)
    if bare:
        fields["date"] = bare.group(1)
        text = text[bare.end():]
    else:
        lines = text.splitlines()
        used = _header_fields(lines[:8], fields)
        if used:
            text = "\n".join(lines[used:])
    if markdown and "title" not in fields:
        heading = re.search(r"^#\s+(.+)$", text, re.MULTILINE)
        if heading:
            fields["title"] = heading.group(1).strip()
    fields["text"] = text
    return fields


def _header_fields(lines: list[str], fields: dict) -> int:
    """Read `key: value` lines from the top; return how many lines were header."""
    used = 0
    for line in lines:
        found = _HEADER_LINE.match(line)
        key = _HEADER_KEYS.get(found.group(1).lower()) if found else None
        if not key:
            break
        fields.setdefault(key, found.group(2))
        used += 1
    if used and used < len(lines) and not lines[used].strip():
        used += 1
    return used


def _read_html(html: str) -> dict:
    import trafilatura

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_tables=True)
    if extracted is None or not (extracted.text or "").strip():
        raise UnreadableFile("no main text found in the HTML")
    lang = re.search(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", html[:2000])
    return {
        "text": extracted.text,
        "title": extracted.title,
        "date": extracted.date,
        "outlet": extracted.sitename,
        "url": extracted.url,
        "language": lang.group(1).lower() if lang and lang.group(1).lower() in _HTML_LANGS else None,
    }


_HTML_LANGS = {"nl", "de", "en", "ru", "uk", "fr"}


def _read_pdf(data: bytes) -> dict:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile("the PDF is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata or {}
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UnreadableFile(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise UnreadableFile(f"not a readable PDF ({type(exc).__name__})") from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text:
        raise UnreadableFile("the PDF has no text layer (scanned?); run OCR first")
    created = str(meta.get("/CreationDate") or "")
    pdf_date = re.match(r"D:(\d{4})(\d{2})(\d{2})", created)
    fields = _read_plain(text, markdown=False)
    fields.setdefault("title", str(meta.get("/Title") or "") or None)
    fields["file_date"] = "-".join(pdf_date.groups()) if pdf_date else None
    return fields


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0].strip()
    return line if len(line) <= 120 else line[:117].rstrip() + "…"
