"""Domain types that flow between the rooms: ingest → extract → resolve → store.

Plain dataclasses; the store maps them to tables, the CLI and API to JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

CATEGORIES = (
    "deserted",
    "awol",
    "killed",
    "wounded",
    "captured",
    "returned",
    "refused",
    "convicted",
    "asylum_granted",
)
QUALIFIERS = ("exact", "about", "more_than", "at_least", "up_to")
# What a figure counts: soldiers who did it, or court/NGO records about them.
MEASURES = ("people", "cases", "verdicts", "persons_charged", "wanted", "help_requests")
ROLES = ("deserter", "commander", "researcher", "journalist", "official", "other")
LANGUAGES = ("nl", "de", "en", "ru", "uk", "fr")


@dataclass
class Document:
    """A source document as ingested: its bytes' hash, text and what is known about it."""

    sha256: str
    format: str
    text: str
    size_bytes: int
    path: str | None = None
    title: str | None = None
    language: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    outlet: str | None = None
    url: str | None = None


@dataclass
class Figure:
    category: str
    value: int
    quote: str
    span: tuple[int, int]
    qualifier: str = "exact"
    measure: str = "people"
    army: str = "ru"
    unit_id: str | None = None
    unit_name_en: str | None = None
    unit_mention: str | None = None
    subunit: bool = False
    period_start: str | None = None
    period_end: str | None = None

    def to_dict(self) -> dict:
        return {
            "category": self.category,
            "value": self.value,
            "qualifier": self.qualifier,
            "measure": self.measure,
            "army": self.army,
            "unit": {"id": self.unit_id, "name_en": self.unit_name_en} if self.unit_id else None,
            "unit_mention": self.unit_mention,
            "subunit": self.subunit,
            "period": (
                {"start": self.period_start, "end": self.period_end or self.period_start}
                if self.period_start
                else None
            ),
            "quote": self.quote,
            "span": list(self.span),
        }


@dataclass
class UnitRef:
    mention: str
    unit_id: str
    name_en: str
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict:
        return {"mention": self.mention, "id": self.unit_id, "name_en": self.name_en}


@dataclass
class PersonMention:
    name: str
    role: str = "other"
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role}


@dataclass
class Extraction:
    figures: list[Figure] = field(default_factory=list)
    units: list[UnitRef] = field(default_factory=list)
    persons: list[PersonMention] = field(default_factory=list)
    sources_cited: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "figures": [f.to_dict() for f in self.figures],
            "units": [u.to_dict() for u in self.units],
            "persons": [p.to_dict() for p in self.persons],
            "sources_cited": list(self.sources_cited),
        }


def as_plain(obj) -> dict:
    return asdict(obj)
