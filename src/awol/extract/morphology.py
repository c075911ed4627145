"""pymorphy3 analyzers for Russian and Ukrainian, built once per process, with cached parses."""

from __future__ import annotations

from functools import lru_cache

_NAMEISH = {"Name", "Surn", "Patr"}


@lru_cache(maxsize=None)
def analyzer(lang: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk" if lang == "uk" else "ru")


def _grammemes(tag) -> set[str]:
    return set(str(tag).replace(" ", ",").split(","))


@lru_cache(maxsize=200_000)
def name_tags(word: str, lang: str) -> frozenset[str]:
    """Name grammemes (Name, Surn, Patr, Geox, Orgn) over a word's likely parses, plus
    COMMON when its best dictionary parse is an ordinary word, UNKNOWN when not in the dictionary."""
    tags: set[str] = set()
    parses = analyzer(lang).parse(word)
    for parse in parses[:5]:
        grammemes = _grammemes(parse.tag)
        if parse.score >= 0.05:
            tags |= grammemes & (_NAMEISH | {"Geox", "Orgn", "Abbr"})
    best = parses[0] if parses else None
    if best is not None:
        known = any(type(m[0]).__name__ == "DictionaryAnalyzer" for m in best.methods_stack)
        if not known:
            tags.add("UNKNOWN")
        elif not (_grammemes(best.tag) & _NAMEISH):
            tags.add("COMMON")
        else:
            tags.add("BEST_NAME")
    return frozenset(tags)


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    return analyzer(lang).parse(word)[0].normal_form
