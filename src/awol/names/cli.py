"""`awol match`: are two names (and birth dates) the same person?"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from awol.errors import AwolError

from .dates import InvalidDateError
from .match import MATCH_THRESHOLD, THRESHOLD_ENV, match_names
from .parse import InvalidNameError


def _one(a: str, b: str, dob_a: str | None, dob_b: str | None):
    try:
        return match_names(a, b, dob_a, dob_b)
    except (InvalidDateError, InvalidNameError) as exc:
        raise AwolError(str(exc)) from None


def _pairs(path: Path) -> Iterator[tuple[int, dict]]:
    try:
        handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    except OSError as exc:
        raise AwolError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AwolError(f"{path}:{number}: not a JSON line ({exc.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("a"), str) or not isinstance(row.get("b"), str):
                raise AwolError(f'{path}:{number}: each line needs "a" and "b" names as strings')
            yield number, row


def match(
    a: Annotated[Optional[str], typer.Argument(help="First name, any script and order.", show_default=False)] = None,
    b: Annotated[Optional[str], typer.Argument(help="Second name.", show_default=False)] = None,
    dob_a: Annotated[Optional[str], typer.Option("--dob-a", help="Birth date of A: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    dob_b: Annotated[Optional[str], typer.Option("--dob-b", help="Birth date of B.")] = None,
    pairs: Annotated[
        Optional[Path],
        typer.Option("--pairs", help='JSON-lines file of {"a", "b", "a_dob", "b_dob"} pairs ("-" for stdin); '
                     "each line is written back with score and match added, in order."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="With --pairs: add the explanation to each line.")] = False,
) -> None:
    """Score whether two names belong to the same person: a probability, a verdict at the
    threshold, and the reasons (surname, given name, patronymic, gender, birth date, name
    frequency). The threshold is data/match_model.json's, or AWOL_MATCH_THRESHOLD."""
    if pairs is not None:
        if a is not None or b is not None:
            raise AwolError("give either two names or --pairs FILE, not both")
        for _, row in _pairs(pairs):
            try:
                result = match_names(row["a"], row["b"], row.get("a_dob"), row.get("b_dob"))
                row["score"] = round(result.score, 4)
                row["match"] = result.match
                if explain:
                    row["explanation"] = result.explanation
            except (InvalidDateError, InvalidNameError) as exc:
                row["score"] = 0.0
                row["match"] = False
                row["error"] = str(exc)
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    if a is None or b is None:
        raise AwolError("give two names to compare (awol match \"A\" \"B\"), or --pairs FILE")
    result = _one(a, b, dob_a, dob_b)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    verdict = "same person" if result.match else "not the same person"
    typer.echo(f"{result.score:.3f}  {verdict} (threshold {MATCH_THRESHOLD:g}, {THRESHOLD_ENV} to change)")
    for line in result.explanation:
        typer.echo(f"  - {line}")


def register(app: typer.Typer) -> None:
    """Add ``awol match`` to the main command line."""
    app.command("match")(match)
