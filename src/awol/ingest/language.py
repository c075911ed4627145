"""Language detection (lingua, offline, built once per process)."""

from __future__ import annotations

from functools import lru_cache

# Our six working languages, plus neighbours that would otherwise be mistaken for them.
_CODES = {
    "DUTCH": "nl",
    "GERMAN": "de",
    "ENGLISH": "en",
    "RUSSIAN": "ru",
    "UKRAINIAN": "uk",
    "FRENCH": "fr",
    "BELARUSIAN": "be",
    "POLISH": "pl",
    "SPANISH": "es",
    "ITALIAN": "it",
}
_CYRILLIC = ("RUSSIAN", "UKRAINIAN", "BELARUSIAN")
SAMPLE_CHARS = 2000


@lru_cache(maxsize=2)
def _detector(cyrillic: bool):
    from lingua import Language, LanguageDetectorBuilder

    # The script already rules out half the languages; fewer candidates, faster answers.
    names = [n for n in _CODES if (n in _CYRILLIC) == cyrillic]
    return LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in names)).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text gives too little to tell."""
    sample = text[:SAMPLE_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 10:
        return None
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in letters) > len(letters) / 2
    language = _detector(cyrillic).detect_language_of(sample)
    return _CODES.get(language.name) if language else None
