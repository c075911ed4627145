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
SAMPLE_CHARS = 3000


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _CODES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text gives too little to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 10:
        return None
    language = _detector().detect_language_of(sample)
    return _CODES.get(language.name) if language else None
