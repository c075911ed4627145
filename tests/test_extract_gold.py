"""Extraction quality on the development gold set (tests/gold/extraction, docs/annotation.md).

Targets per language: figure F1 ≥ 0.90, unit F1 ≥ 0.90, person F1 ≥ 0.85.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from awol.extract.evaluate import evaluate, gold_files

GOLD = Path(__file__).resolve().parent / "gold" / "extraction"
MIN_DOCUMENTS = 40
TARGETS = {"figures": 0.90, "units": 0.90, "persons": 0.85}

_count = len(gold_files(GOLD)) if GOLD.is_dir() else 0
pytestmark = pytest.mark.skipif(
    _count < MIN_DOCUMENTS,
    reason=f"the gold set has {_count} documents; the targets are measured on at least {MIN_DOCUMENTS}",
)


@pytest.fixture(scope="module")
def scores():
    return evaluate(GOLD).by_language()


@pytest.mark.parametrize("language", ["nl", "de", "en", "fr", "ru", "uk"])
@pytest.mark.parametrize("kind", list(TARGETS))
def test_extraction_meets_its_target_per_language(scores, language, kind):
    if language not in scores:
        pytest.skip(f"no {language} documents in the gold set")
    counts = scores[language][kind]
    assert counts.f1 >= TARGETS[kind], (
        f"{language} {kind}: F1 {counts.f1:.2f} (P {counts.precision:.2f}, R {counts.recall:.2f}; "
        f"tp {counts.tp}, fp {counts.fp}, fn {counts.fn}); target {TARGETS[kind]:.2f}"
    )
