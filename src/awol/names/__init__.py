"""Personal names across scripts (``awol.names``).

The same man is "Стерлядников", "Sterlyadnikov", "Sterljadnikow", "Sterliadnikov" and
"Sterlâdnikov"; Russian text inflects him ("Стерлядникова"), Ukrainian renames him
("Олександр" for "Александр"), the press shortens him ("Sasha"). This package reads all of
them:

* ``normalize_name(s)`` — clean form (NFC, look-alike letters of the other script repaired);
* ``detect_script(s)`` — ``cyrillic``, ``latin``, ``mixed``, ``other`` or ``none``;
* ``transliterate(s, system)`` — Cyrillic → Latin by a named system (``SYSTEMS``: icao,
  gost52535, passport1997, bgn, english, german, french, dutch, polish, czech, iso9,
  scientific, ukrainian) or Latin → Cyrillic with ``system="cyrillic"``;
* ``latin_skeleton(s)`` — an ASCII phonetic key shared by every transliteration of a name;
* ``parse_name(s)`` — given name, patronymic, surname, initials, gender (order-free);
* ``blocking_keys(name)`` — cheap, selective keys for candidate retrieval;
* ``match_names(a, b, dob_a, dob_b)`` — a ``NameMatch`` with a calibrated ``score``,
  ``match`` (``score >= MATCH_THRESHOLD``) and one ``explanation`` line per feature;
* ``NameMatcher(a, dob_a).score(b, dob_b)`` / ``match_many(a, [b, ...])`` — the same scores
  for one name against many, the query parsed once (``b`` may be a ``ParsedName``).

``MATCH_THRESHOLD`` is read once from ``data/match_model.json`` and may be overridden by the
environment variable ``AWOL_MATCH_THRESHOLD``.
"""

from .blocking import blocking_keys
from .dates import InvalidDateError, PartialDate, parse_date
from .match import MATCH_THRESHOLD, THRESHOLD_ENV, NameMatch, NameMatcher, match_many, match_names
from .normalize import normalize_name
from .parse import InvalidNameError, ParsedName, parse_name
from .scripts import detect_script
from .translit import SYSTEMS, UnknownSystemError, latin_skeleton, transliterate

__all__ = [
    "MATCH_THRESHOLD",
    "SYSTEMS",
    "THRESHOLD_ENV",
    "InvalidDateError",
    "InvalidNameError",
    "NameMatch",
    "NameMatcher",
    "ParsedName",
    "PartialDate",
    "UnknownSystemError",
    "blocking_keys",
    "detect_script",
    "latin_skeleton",
    "match_many",
    "match_names",
    "normalize_name",
    "parse_date",
    "parse_name",
    "transliterate",
]
