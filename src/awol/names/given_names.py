"""Given names that are the same name: Russian and Ukrainian forms, diminutives, Latin
equivalents (``data/given_names.tsv``), and the father's name inside a patronymic."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .translit import coarse, coarse_keys, primary_reading, read_data

# Patronymic endings in coarse keys (Russian -ович/-евич/-овна/-евна/-ична, Ukrainian
# -ович/-івна; every transliteration of them folds to these).
PATRONYMIC_ENDINGS = ("oviC", "eviC", "ovna", "evna", "ivna", "iCna")  # C = ч
_SHORT_PATRONYMIC = "iC"  # Ильич, Кузьмич, Лукич: only when the stem is a known name


@dataclass(frozen=True)
class GivenName:
    id: str
    gender: str
    russian: tuple[str, ...]
    ukrainian: tuple[str, ...]
    diminutives: tuple[str, ...]
    latin: tuple[str, ...]

    @property
    def display(self) -> str:
        return self.russian[0]


@dataclass(frozen=True)
class NameHit:
    """One given name found for a word, and how the word relates to it."""

    id: str
    how: str  # "full", "ukrainian", "diminutive", "latin"


class GivenNameTable:
    def __init__(self, text: str) -> None:
        self.names: dict[str, GivenName] = {}
        self.by_key: dict[str, dict[str, str]] = {}
        self.by_stem: dict[str, set[str]] = {}
        self.initials: dict[str, set[str]] = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            cols = (line.split("\t") + [""] * 6)[:6]
            split = lambda c: tuple(x.strip() for x in c.split(",") if x.strip())  # noqa: E731
            name = GivenName(cols[0], cols[1], split(cols[2]), split(cols[3]), split(cols[4]), split(cols[5]))
            self.names[name.id] = name
            for how, forms in (("full", name.russian), ("ukrainian", name.ukrainian),
                               ("diminutive", name.diminutives), ("latin", name.latin)):
                for form in forms:
                    # Latin forms count in their most likely reading only ("Maja" read the
                    # French way would be "Маша").
                    keys = coarse_keys(form.lower()) if how != "latin" else {coarse(primary_reading(form))}
                    for key in keys:
                        self.by_key.setdefault(key, {}).setdefault(name.id, how)
                        if how != "diminutive":
                            self.initials.setdefault(name.id, set()).add(key[0])
                    if how in ("full", "ukrainian"):
                        stem = coarse(form.lower()).rstrip("aeiou")
                        if len(stem) >= 2:
                            self.by_stem.setdefault(stem, set()).add(name.id)

    def lookup_keys(self, keys: frozenset[str] | set[str]) -> dict[str, str]:
        """Given names (id → how) that any of these coarse keys spells."""
        hits: dict[str, str] = {}
        # Read in order: which of two forms a word is taken for ("full" or "diminutive")
        # must not depend on the hash seed.
        for key in sorted(keys):
            for name_id, how in self.by_key.get(key, {}).items():
                if hits.get(name_id) in (None, "latin", "diminutive") and how in ("full", "ukrainian"):
                    hits[name_id] = how
                else:
                    hits.setdefault(name_id, how)
        return hits

    def gender(self, ids: set[str] | frozenset[str]) -> str | None:
        genders = {self.names[i].gender for i in ids}
        return genders.pop() if len(genders) == 1 else None

    def father(self, keys: frozenset[str] | set[str]) -> tuple[set[str], str | None]:
        """Read a patronymic: the father's given-name ids and the patronymic's gender.
        ``(set(), None)`` when no key looks like a patronymic."""
        ids: set[str] = set()
        gender: str | None = None
        for key in sorted(keys):
            for ending in PATRONYMIC_ENDINGS:
                if key.endswith(ending) and len(key) > len(ending) + 1:
                    gender = "f" if ending.endswith("a") else "m"
                    ids |= self.by_stem.get(key[: -len(ending)].rstrip("aeiou"), set())
                    break
            else:
                if key.endswith(_SHORT_PATRONYMIC):
                    stem = key[: -2].rstrip("aeiou")
                    found = self.by_stem.get(stem, set())
                    if found:
                        gender = "m"
                        ids |= found
        return ids, gender

    def is_patronymic(self, keys: frozenset[str] | set[str]) -> bool:
        return self.father(keys)[1] is not None


@lru_cache(maxsize=1)
def table() -> GivenNameTable:
    """The given-name table, loaded once."""
    return GivenNameTable(read_data("given_names.tsv"))
