"""`awol chart`: a unit's series drawn with matplotlib (PNG or SVG).

One line per series (category × measure × army) through the largest report of each period;
every reported value is a marker, so disagreeing reports show as two markers in one period.
Marker shapes carry the qualifier (filled: exact; open triangle up: "more than"/"at least";
open triangle down: "up to"; diamond: "about"); a period longer than a month is drawn as a bar
across it. Undated figures sit at their publication month as open squares, not joined.
The caption lists every source with its grade.
"""

from __future__ import annotations

import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path

from awol.errors import AwolError
from awol.stats.series import Event, UnitSeries, date_bounds, period_interval

FORMATS = {".png": "png", ".svg": "svg"}
_MARKERS = {
    "exact": ("o", True),
    "about": ("D", True),
    "more_than": ("^", False),
    "at_least": ("^", False),
    "up_to": ("v", False),
}
_QUALIFIER_NAMES = {
    "exact": "exact",
    "about": "about (~)",
    "more_than": "more than / at least (≥)",
    "at_least": "more than / at least (≥)",
    "up_to": "up to (≤)",
}


def _x(event: Event) -> tuple[datetime, datetime, datetime] | None:
    """(start, middle, end) of an event's period; undated → its publication month."""
    if event.period is None:
        bounds = date_bounds(event.published)
        if bounds is None:
            return None
        start = datetime.combine(bounds[0].replace(day=1), datetime.min.time())
        return start, start + timedelta(days=14), start + timedelta(days=28)
    start_d, end_d = period_interval(event.period)
    if start_d == date.min:
        return None
    start = datetime.combine(start_d, datetime.min.time())
    end = datetime.combine(end_d, datetime.min.time()) + timedelta(days=1)
    return start, start + (end - start) / 2, end


def draw_chart(data: UnitSeries, out: Path, *, title: str | None = None) -> Path:
    """Write the chart to ``out`` (.png or .svg); return the path."""
    out = Path(out)
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise AwolError(f"cannot draw {out.name}: name the output .png or .svg")
    if not data.series:
        raise AwolError(f"no figures for {data.unit.name_en}: nothing to chart")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(10, 6.2), dpi=110)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    measures = {s.measure for s in data.series}
    armies = {s.army for s in data.series}
    qualifiers_seen: set[str] = set()
    undated_seen = False
    not_plotted = 0
    plotted = 0
    for i, series in enumerate(data.series):
        colour = colours[i % len(colours)]
        label = series.category
        if len(measures) > 1 or series.measure != "people":
            label += f" ({series.measure})"
        if len(armies) > 1 or series.army != "ru":
            label += f", army {series.army}"
        line_points: dict[datetime, int] = {}
        for row in series.rows:
            for event in row.events:
                where = _x(event)
                if where is None:
                    not_plotted += 1
                    continue
                start, middle, end = where
                plotted += 1
                if event.period is None:
                    undated_seen = True
                    ax.plot([middle], [event.value], marker="s", markersize=8, linestyle="none",
                            markerfacecolor="white", markeredgecolor=colour, markeredgewidth=1.6)
                    ax.annotate(f"{event.value_label} (undated)", (middle, event.value),
                                xytext=(-8, 8), textcoords="offset points", fontsize=8,
                                color=colour, ha="right")
                    continue
                qualifier = event.qualifiers[0]
                qualifiers_seen.add(qualifier)
                marker, filled = _MARKERS.get(qualifier, ("o", True))
                if end - start > timedelta(days=32):
                    ax.hlines(event.value, start, end, colors=colour, linewidth=2.5, alpha=0.45)
                ax.plot([middle], [event.value], marker=marker, markersize=8, linestyle="none",
                        markerfacecolor=colour if filled else "white", markeredgecolor=colour,
                        markeredgewidth=1.6)
                if row.disagree:
                    ax.annotate(f"{event.value:,}", (middle, event.value), xytext=(6, 4),
                                textcoords="offset points", fontsize=8, color=colour)
                line_points[middle] = max(line_points.get(middle, 0), event.value)
        xs = sorted(line_points)
        ax.plot(xs, [line_points[x] for x in xs], color=colour, linewidth=1.5, label=label)

    ax.set_title(title or data.unit.name_en, fontsize=14, fontweight="bold")
    ax.set_xlabel("Period (month the figure refers to)")
    ax.set_ylabel("Reported count" + (f" ({next(iter(measures))})" if len(measures) == 1 else ""))
    ax.set_ylim(bottom=0)
    ax.margins(x=0.08, y=0.12)
    ax.grid(True, alpha=0.3)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=10))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{int(v):,}"))
    handles, labels = ax.get_legend_handles_labels()
    for qualifier in ("exact", "about", "more_than", "up_to"):
        names = {q for q in qualifiers_seen if _QUALIFIER_NAMES[q] == _QUALIFIER_NAMES[qualifier]}
        if names:
            marker, filled = _MARKERS[qualifier]
            handles.append(Line2D([], [], marker=marker, linestyle="none", color="grey",
                                  markerfacecolor="grey" if filled else "white"))
            labels.append(_QUALIFIER_NAMES[qualifier])
    if undated_seen:
        handles.append(Line2D([], [], marker="s", linestyle="none", color="grey",
                              markerfacecolor="white"))
        labels.append("undated (at publication month)")
    ax.legend(handles, labels, loc="upper left", fontsize=9, framealpha=0.9)

    caption = caption_text(data, not_plotted)
    wrapped = "\n".join(textwrap.wrap(caption, 150))
    lines = wrapped.count("\n") + 1
    fig.text(0.01, 0.01, wrapped, ha="left", va="bottom", fontsize=8, color="#333333")
    fig.tight_layout(rect=(0, min(0.04 + 0.028 * lines, 0.4), 1, 1))
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, format=fmt, metadata=_metadata(fmt, data))
    plt.close(fig)
    return out


def caption_text(data: UnitSeries, not_plotted: int = 0) -> str:
    sources = "; ".join(s.label for s in data.sources) or "none"
    text = (
        f"Sources (reliability, Admiralty code A–F): {sources}. "
        "Each marker is one reported value; a line joins the largest report per period. "
        "Figures of sub-units are included."
    )
    if not_plotted:
        text += f" {not_plotted} undated figure(s) without a publication date are not plotted."
    return text


def _metadata(fmt: str, data: UnitSeries) -> dict:
    title = f"AWOL: {data.unit.name_en}"
    if fmt == "png":
        return {"Title": title, "Software": "awol"}
    return {"Title": title}
