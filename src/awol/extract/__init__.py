"""Multilingual extraction: figures (tied to units and periods), units, persons, cited sources.

    extract_document(document) -> Extraction
    extract_text(text, language=None, published=None) -> Extraction

Rules and lexicons only (data/*.csv); nothing is downloaded. Languages: nl de en fr ru uk.
"""

from __future__ import annotations

import re

from awol.model import Document, Extraction

__all__ = ["extract_document", "extract_text", "LANGUAGES"]

LANGUAGES = ("nl", "de", "en", "fr", "ru", "uk")
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]{1,500}>", re.IGNORECASE | re.DOTALL)
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_UK_LETTERS = re.compile(r"[іїєґ]", re.IGNORECASE)


def extract_document(document: Document) -> Extraction:
    return extract_text(document.text, language=document.language, published=document.published)


def extract_text(text: str, language: str | None = None, published: str | None = None) -> Extraction:
    from awol.extract.cues import lexicon
    from awol.extract.figures import FigureFinder
    from awol.extract.numbers import find_numbers
    from awol.extract.persons import find_persons
    from awol.extract.sentences import split_sentences
    from awol.extract.sources import find_sources
    from awol.extract.units_context import UnitContext

    if not text or not text.strip():
        return Extraction()
    if "<" in text and _TAGS.search(text):
        # Raw markup that reached us without the HTML reader: keep offsets, blank the tags.
        text = _TAGS.sub(lambda m: " " * len(m.group(0)), text)
    lang = language if language in LANGUAGES else guess_language(text)
    lex = lexicon(lang)
    sentences = split_sentences(text, lang)
    units = UnitContext(text, lang)
    numbers = find_numbers(text, lang)
    # Sentences in the other script (a Russian quote in a Dutch article, an English paragraph in
    # a Ukrainian one) are read with their own language's number words and cues.
    foreign = _foreign_sentences(text, sentences, lang)
    if foreign:
        other = guess_language(" ".join(text[a:b] for a, b in foreign[:20]))
        if other != lang:
            starts = [a for a, _ in foreign]
            inside = _inside(foreign, starts)
            numbers = [n for n in numbers if not inside(n.start)]
            other_numbers = [n for n in find_numbers(text, other) if inside(n.start)]
            other_figures = FigureFinder(text, other, lexicon(other), sentences, units, published,
                                         other_numbers).figures(other_numbers)
        else:
            other_figures = []
    else:
        other_figures = []
    figures = FigureFinder(text, lang, lex, sentences, units, published, numbers).figures(numbers)
    if other_figures:
        seen = {(f.category, f.value, f.unit_id) for f in figures}
        figures += [f for f in other_figures if (f.category, f.value, f.unit_id) not in seen]
        figures.sort(key=lambda f: f.span)
    unit_refs = units.units()
    sources = find_sources(text, units.lower)
    exclude = [u.span for u in unit_refs if u.span] + [(m.start, m.end) for m in units.named]
    persons = find_persons(text, lang, sentences, exclude)
    source_names = {s.lower() for s in sources}
    persons = [p for p in persons if p.name.lower() not in source_names]
    return Extraction(figures=figures, units=unit_refs, persons=persons, sources_cited=sources)


_LATIN = re.compile(r"[a-zà-ÿ]", re.IGNORECASE)


def _foreign_sentences(text: str, sentences: list[tuple[int, int]], lang: str) -> list[tuple[int, int]]:
    """Sentences written mostly in the script the document's language does not use."""
    cyrillic_doc = lang in ("ru", "uk")
    if (_CYRILLIC.search(text) is None) if not cyrillic_doc else (_LATIN.search(text) is None):
        return []
    out = []
    for start, end in sentences:
        part = text[start:end]
        cyr = len(_CYRILLIC.findall(part))
        lat = len(_LATIN.findall(part))
        if cyr + lat >= 20 and ((cyr > 2 * lat) if not cyrillic_doc else (lat > 2 * cyr)):
            out.append((start, end))
    return out


def _inside(spans: list[tuple[int, int]], starts: list[int]):
    import bisect

    def test(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and pos < spans[i][1]
    return test


def guess_language(text: str) -> str:
    """A cheap guess when the document carries no language: script first, then lingua."""
    sample = text[:3000]
    if _CYRILLIC.search(sample):
        return "uk" if len(_UK_LETTERS.findall(sample)) > 3 else "ru"
    try:
        from awol.ingest.language import detect_language

        found = detect_language(sample)
    except Exception:
        found = None
    return found if found in LANGUAGES else "en"
