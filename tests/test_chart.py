"""`awol chart`: a unit's series as a PNG or SVG with title, labelled axes and sources."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from awol.errors import AwolError
from awol.stats.charts import caption_text, draw_chart
from awol.stats.outlets import seed_outlets
from awol.stats.series import unit_series
from test_series import DIVISION, REGIMENT, add_document, add_figure, add_units


@pytest.fixture
def division(store):
    add_units(store)
    seed_outlets(store)
    dw = add_document(store, outlet="Deutsche Welle", cited=["iStories"], published="2024-12-01")
    tass = add_document(store, outlet="TASS", published="2024-11-20")
    med = add_document(store, outlet="Mediazona", published="2024-08-01")
    add_figure(store, dw, "deserted", 1000, qualifier="more_than",
               quote="iStories: more than a thousand soldiers left the division.")
    add_figure(store, dw, "deserted", 151, unit_id=REGIMENT, period="2022-03")
    add_figure(store, dw, "killed", 15, unit_id=REGIMENT, period="2022-03")
    add_figure(store, tass, "deserted", 300, period="2024-10")
    add_figure(store, med, "deserted", 420, period="2024-10")  # disagrees with TASS
    add_figure(store, med, "awol", 200, period=("2023-01", "2023-06"), qualifier="about")
    add_figure(store, med, "awol", 90, period="2024-02", measure="cases")
    return unit_series(store, DIVISION)


def test_png_chart_is_written(division, tmp_path):
    from PIL import Image

    out = draw_chart(division, tmp_path / "div.png")
    assert out.stat().st_size > 20_000
    with Image.open(out) as image:
        assert image.format == "PNG"
        assert image.size[0] >= 800 and image.size[1] >= 500
        assert len(image.convert("L").getcolors(maxcolors=100_000) or []) > 10  # not blank


def test_svg_chart_has_title_axes_and_sources(division, tmp_path):
    out = draw_chart(division, tmp_path / "div.svg")
    text = out.read_text(encoding="utf-8")
    ET.fromstring(text)  # well-formed XML
    # matplotlib writes text as paths; the labels are kept as comments/ids. Check the metadata
    # and that the drawing is non-trivial.
    assert "AWOL: 20th Guards Motor Rifle Division" in text
    assert len(text) > 20_000


def test_caption_lists_every_source_with_its_grade(division):
    caption = caption_text(division)
    for label in ("iStories (via Deutsche Welle) [B]", "TASS [D]", "Mediazona [A]", "Deutsche Welle [B]"):
        assert label in caption


def test_unknown_extension_is_refused(division, tmp_path):
    with pytest.raises(AwolError, match=".png or .svg"):
        draw_chart(division, tmp_path / "div.jpg")


def test_a_unit_without_figures_has_nothing_to_chart(store, tmp_path):
    add_units(store)
    with pytest.raises(AwolError, match="nothing to chart"):
        draw_chart(unit_series(store, REGIMENT), tmp_path / "r.png")
