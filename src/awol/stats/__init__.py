"""Figures as evidence: per-unit series, reliability grades, rankings and charts.

`series` (figures → events → series, roll-ups), `outlets` (grades), `ranking` (`awol units
top`), `charts` (`awol chart`), `cli` (the commands). Rules: docs/reliability.md.
"""
