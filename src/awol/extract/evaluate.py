"""Scoring extraction against gold files (docs/annotation.md, "Scoring").

Per document, predicted vs gold, micro-averaged over documents, per language and overall:
- figures match on (category, value, unit by canonical English name; both null is equal),
  each gold figure matched at most once;
- units match on canonical English name (a set per document);
- persons match on the name, case-, diacritic- and script-insensitive, equal or one name's
  tokens contained in the other's.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from awol.errors import AwolError
from awol.model import Extraction

KINDS = ("figures", "units", "persons")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class DocumentScore:
    path: str
    language: str
    counts: dict[str, Counts]
    missed: dict[str, list] = field(default_factory=dict)
    extra: dict[str, list] = field(default_factory=dict)


@dataclass
class Report:
    documents: list[DocumentScore] = field(default_factory=list)

    def by_language(self) -> dict[str, dict[str, Counts]]:
        table: dict[str, dict[str, Counts]] = {}
        for doc in self.documents:
            for key in (doc.language, "all"):
                row = table.setdefault(key, {kind: Counts() for kind in KINDS})
                for kind in KINDS:
                    row[kind].add(doc.counts[kind])
        return table

    def to_dict(self) -> dict:
        return {
            lang: {
                kind: {"precision": round(c.precision, 4), "recall": round(c.recall, 4),
                       "f1": round(c.f1, 4), "tp": c.tp, "fp": c.fp, "fn": c.fn}
                for kind, c in row.items()
            } | {"documents": sum(1 for d in self.documents if lang in (d.language, "all"))}
            for lang, row in self.by_language().items()
        }


def load_gold(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AwolError(f"{path.name}: not a readable gold file ({type(exc).__name__})") from None
    if not isinstance(data, dict) or "text" not in data or "gold" not in data:
        raise AwolError(f"{path.name}: a gold file needs 'text' and 'gold' (see docs/annotation.md)")
    return data


def gold_files(gold_dir: Path) -> list[Path]:
    if not gold_dir.is_dir():
        raise AwolError(f"{gold_dir}: no such folder")
    return sorted(p for p in gold_dir.glob("*.json") if not p.name.startswith("."))


def score_document(predicted: Extraction, gold: dict) -> tuple[dict[str, Counts], dict, dict]:
    from awol.extract.persons import fold

    g = gold.get("gold") or {}
    counts: dict[str, Counts] = {}
    missed: dict[str, list] = {}
    extra: dict[str, list] = {}

    # Figures: multiset match on (category, value, unit name).
    gold_keys = Counter(
        (f["category"], int(f["value"]), _norm_unit(f.get("unit_canonical_en"))) for f in g.get("figures", [])
    )
    pred_keys = [(f.category, int(f.value), _norm_unit(f.unit_name_en)) for f in predicted.figures]
    remaining = gold_keys.copy()
    tp, fp_list = 0, []
    for key in pred_keys:
        if remaining[key] > 0:
            remaining[key] -= 1
            tp += 1
        else:
            fp_list.append(key)
    counts["figures"] = Counts(tp, len(fp_list), sum(remaining.values()))
    missed["figures"] = list(remaining.elements())
    extra["figures"] = fp_list

    # Units: sets of canonical names.
    gold_units = {_norm_unit(u.get("canonical_en")) for u in g.get("units", [])} - {None}
    pred_units = {_norm_unit(u.name_en) for u in predicted.units} - {None}
    counts["units"] = Counts(len(gold_units & pred_units), len(pred_units - gold_units), len(gold_units - pred_units))
    missed["units"] = sorted(gold_units - pred_units)
    extra["units"] = sorted(pred_units - gold_units)

    # Persons: fuzzy name match, each gold person at most once.
    gold_people = [p.get("name_as_written") or p.get("name") or "" for p in g.get("persons", [])]
    unmatched = list(gold_people)
    tp, fp_people = 0, []
    for person in predicted.persons:
        hit = next((name for name in unmatched if same_person(person.name, name, fold)), None)
        if hit is None:
            fp_people.append(person.name)
        else:
            unmatched.remove(hit)
            tp += 1
    counts["persons"] = Counts(tp, len(fp_people), len(unmatched))
    missed["persons"] = unmatched
    extra["persons"] = fp_people
    return counts, missed, extra


def _norm_unit(name: str | None) -> str | None:
    name = (name or "").strip()
    return name.lower() or None


def same_person(a: str, b: str, fold) -> bool:
    """Equal, or one name's tokens contained in the other's (case, diacritics, script aside)."""
    ta = [t for t in fold(a).replace("-", " ").split() if t]
    tb = [t for t in fold(b).replace("-", " ").split() if t]
    if not ta or not tb:
        return False
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return all(any(_token_equal(s, t) for t in long) for s in short)


def _token_equal(a: str, b: str) -> bool:
    if a == b:
        return True
    # Transliteration variants and inflection ("sterlyadnikov"/"sterliadnikov", "samoylova").
    from difflib import SequenceMatcher

    return min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= 0.8


def evaluate(gold_dir: Path, *, extractor=None) -> Report:
    from awol.extract import extract_text

    extractor = extractor or (lambda d: extract_text(d["text"], d.get("language"), d.get("published")))
    report = Report()
    for path in gold_files(gold_dir):
        data = load_gold(path)
        predicted = extractor(data)
        counts, missed, extra = score_document(predicted, data)
        language = data.get("language") or path.name.split("-")[0]
        report.documents.append(DocumentScore(path.name, language, counts, missed, extra))
    return report
