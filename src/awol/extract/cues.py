"""Cue lexicons per language, read once from `data/*.csv` and compiled into regexes.

Every pattern is a regular expression over lower-cased text; word boundaries are added here.
See data/SOURCES.md for what each file holds.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
LANGS = ("nl", "de", "en", "fr", "ru", "uk")
# Word characters as the regexes see them (letters, digits, apostrophes inside words).
_B = r"(?<![\w'’])"
_E = r"(?![\w])"


def _rows(name: str) -> list[dict]:
    """Rows of a lexicon file; the last column (a regex) may hold unquoted commas ("{0,40}")."""
    rows = []
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        last = reader.fieldnames[-1]
        for row in reader:
            if not row.get("language"):
                continue
            extra = row.pop(None, None)
            if extra:
                row[last] = ",".join([row[last], *extra])
            rows.append(row)
    return rows


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns if p)


def _gap(pattern: str) -> str:
    """Gaps that stop at a full stop ("[^.;]{0,60}") may cross the dot of "8.000"."""
    return pattern.replace("[^.;]", r"(?:[^.;]|\.(?=\d))").replace("[^.;:]", r"(?:[^.;:]|\.(?=\d))")


def bounded(patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern:
    """One regex matching any of the patterns as whole words."""
    return re.compile(f"{_B}(?:{_alternation([_gap(p) for p in patterns])}){_E}", flags)


@dataclass
class Lexicon:
    """Everything the extractor needs to know about one language."""

    language: str
    # category → (kind → regex); kind is "verb" (a predicate) or "noun" (a bare count of deserters)
    cues: dict[str, dict[str, re.Pattern]] = field(default_factory=dict)
    measures: dict[str, re.Pattern] = field(default_factory=dict)
    qualifiers: list[tuple[str, re.Pattern]] = field(default_factory=list)  # before the number
    context: dict[str, re.Pattern] = field(default_factory=dict)
    after: re.Pattern | None = None  # words right after a number that make it not a count
    before: re.Pattern | None = None  # words right before a number that make it not a count
    unit_words: list[tuple[str, re.Pattern]] = field(default_factory=list)
    roles: list[tuple[str, re.Pattern]] = field(default_factory=list)
    periods: dict[str, re.Pattern] = field(default_factory=dict)
    table_headers: list[tuple[str, re.Pattern]] = field(default_factory=list)
    matcher: "Matcher | None" = None  # cues, measures and context words in one pass
    unit_matcher: "Matcher | None" = None


def _by_language(rows: list[dict], key: str, lang: str) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["language"] in (lang, "*"):
            grouped[row[key]].append(row["pattern"])
    return grouped


@lru_cache(maxsize=None)
def lexicon(lang: str) -> Lexicon:
    lang = lang if lang in LANGS else "en"
    lex = Lexicon(language=lang)
    cue_patterns: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in _rows("cues.csv"):
        if row["language"] == lang:
            cue_patterns[(row["category"], row["kind"])].append(row["pattern"])
    for (category, kind), patterns in cue_patterns.items():
        if lang == "fr":
            # French elision: "d'abandon de poste", "l'asile", "qu'ils ont déserté".
            patterns = [rf"(?:(?:[dlsnjmc]|qu)['’])?(?:{p})" for p in patterns]
        lex.cues.setdefault(category, {})[kind] = bounded(patterns)
    for measure, patterns in _by_language(_rows("measures.csv"), "measure", lang).items():
        lex.measures[measure] = bounded(patterns)
    for qualifier, patterns in _by_language(_rows("qualifiers.csv"), "qualifier", lang).items():
        # Anchored at the end of the text before the number ("meer dan ", "более ").
        lex.qualifiers.append(
            (qualifier, re.compile(rf"{_B}(?:{_alternation(patterns)})\s+(?:an?\s+|een\s+|de\s+|la\s+|les\s+)?$", re.I))
        )
    # Longest qualifiers first, so that "не менее" wins over "менее" and "tot wel" over "tot".
    lex.qualifiers.sort(key=lambda item: -len(item[1].pattern))
    for kind, patterns in _by_language(_rows("context.csv"), "kind", lang).items():
        lex.context[kind] = bounded(patterns)
    non = _by_language(_rows("non_figures.csv"), "kind", lang)
    lex.after = re.compile(rf"^[^\S\n]*(?:{_alternation(non['after'])})(?![^\W\d_])", re.I)
    lex.before = re.compile(rf"(?<![^\W\d_])(?:{_alternation(non['before'])})[^\S\n]*$", re.I)
    for row in _rows("unit_words.csv"):
        if row["language"] == lang:
            lex.unit_words.append((row["echelon"], bounded([row["pattern"]])))
    for role, patterns in _by_language(_rows("roles.csv"), "role", lang).items():
        lex.roles.append((role, bounded(patterns)))
    for kind, patterns in _by_language(_rows("periods.csv"), "kind", lang).items():
        lex.periods[kind] = bounded(patterns)
    for category, patterns in _by_language(_rows("table_headers.csv"), "category", lang).items():
        lex.table_headers.append((category, bounded(patterns)))
    items: list[tuple[object, re.Pattern]] = [
        (("cue", category, kind), regex) for category, kinds in lex.cues.items() for kind, regex in kinds.items()]
    items += [(("measure", measure, ""), regex) for measure, regex in lex.measures.items()]
    items += [(("context", kind, ""), regex) for kind, regex in lex.context.items()]
    lex.matcher = Matcher(items)
    lex.unit_matcher = Matcher([(echelon, regex) for echelon, regex in lex.unit_words])
    return lex


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    names: set[str] = set()
    for line in (DATA / "first_names.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        names.update(word.lower() for word in line.split())
    return frozenset(names)


# -- fast matching ------------------------------------------------------------------------------
# Running thirty word-bounded alternations over every sentence costs more than the rest of the
# extraction. A pattern can only match where the text starts with one of its literal prefixes
# ("deserteer", "(?:liep|lopen)…" → "des", "lie", "lop"), so the text is walked once, word start by
# word start, and each pattern is tried (anchored) only where one of its prefixes begins.
# The matches are the ones `finditer` would give (leftmost, non-overlapping per pattern).
try:  # Python ≥ 3.11
    from re import _constants as _sre_c, _parser as _sre_p
except ImportError:  # pragma: no cover
    import sre_constants as _sre_c  # type: ignore
    import sre_parse as _sre_p  # type: ignore

_PREFIX_LEN = 6
_WORD_START = re.compile(r"(?<![\w'’])\w")


def _prefixes(pattern: re.Pattern) -> set[str] | None:
    """Lower-case literal prefixes (≤ 3 characters) one of which every match starts with;
    None when the pattern may start anywhere (it is then run in full)."""
    try:
        parsed = _sre_p.parse(pattern.pattern, pattern.flags)
    except Exception:
        return None
    result = _seq(list(parsed), {("", True)})
    if result is None or any(not s for s, _ in result):
        return None
    return {s for s, _ in result}


def _seq(items, states):
    """states: (prefix, open) — open prefixes may still grow."""
    for op, av in items:
        if all(not o or len(s) >= _PREFIX_LEN for s, o in states):
            break
        nxt = set()
        for s, o in states:
            if not o or len(s) >= _PREFIX_LEN:
                nxt.add((s, False))
                continue
            grown = _item(op, av, s)
            if grown is None:
                return None
            nxt |= grown
        states = nxt
    return states


def _item(op, av, s):
    c = _sre_c
    if op is c.LITERAL:
        return {(s + chr(av).lower(), True)}
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {(s, True)}
    if op is c.IN:
        chars = [chr(v).lower() for kind, v in av if kind is c.LITERAL]
        if len(chars) != len(av) or not chars or len(chars) > 8:
            return {(s, False)} if s else None
        return {(s + ch, True) for ch in chars}
    if op is c.SUBPATTERN:
        return _seq(list(av[-1]), {(s, True)})
    if op is c.BRANCH:
        out = set()
        for branch in av[1]:
            sub = _seq(list(branch), {(s, True)})
            if sub is None:
                return None
            out |= sub
        return out
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _high, body = av
        once = _seq(list(body), {(s, True)})
        if once is None:
            return None if not s else ({(s, False)} if low else {(s, False)})
        once = {(x, False) for x, _ in once}  # after one repetition: stop growing
        return once if low else once | {(s, True)}
    return {(s, False)} if s else None


def _trie(words) -> str:
    """A regex matching any of the literal words, as a trie ("d(?:er|ie)"): sre tries the
    alternatives of a flat alternation one by one at every position."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        if "" in node:  # a shorter word already matches here
            return ""
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return build(root)


class Matcher:
    """Several labelled word-bounded regexes matched in one pass over a text."""

    def __init__(self, items: list[tuple[object, re.Pattern]], start: str = r"(?<![\w'’])") -> None:
        self.items = items
        self.by_prefix: dict[str, list[int]] = {}
        self.always: list[int] = []
        for index, (_, regex) in enumerate(items):
            prefixes = _prefixes(regex)
            if prefixes is None:
                self.always.append(index)
                continue
            for prefix in prefixes:
                self.by_prefix.setdefault(prefix, []).append(index)
        self.lengths = sorted({len(p) for p in self.by_prefix})
        # Candidate positions: word starts (or any non-space start when a prefix is punctuation).
        wordy = all(p[0].isalnum() or p[0] == "_" for p in self.by_prefix)
        self.trigger = _WORD_START if wordy and start == _B else re.compile(start + (r"\w" if wordy else r"\S"))
        # Positions (in the lower-cased text) where a trigger may start with one of the prefixes:
        # found by one regex scan in C instead of a Python loop over every word.
        self.candidates = re.compile(f"{start}(?={_trie(self.by_prefix)})") if self.by_prefix else None

    def finditer(self, text: str, lower: str, windows: list[tuple[int, int]] | None = None):
        """(label, match) in text order per label, as `regex.finditer` over each window."""
        windows = windows if windows is not None else [(0, len(text))]
        items, by_prefix, lengths = self.items, self.by_prefix, self.lengths
        out = []
        same_length = len(lower) == len(text)
        for start, end in windows:
            last: dict[int, int] = {}
            if same_length:
                trigger = self.trigger.match
                for candidate in (self.candidates.finditer(lower, start, end) if self.candidates else ()):
                    pos = candidate.start()
                    if not trigger(text, pos, end):
                        continue
                    seen = None
                    for length in lengths:
                        found = by_prefix.get(lower[pos:pos + length])
                        if not found:
                            continue
                        for index in found:
                            if last.get(index, -1) > pos or (seen is not None and index in seen):
                                continue
                            match = items[index][1].match(text, pos, end)
                            if match:
                                out.append((items[index][0], match))
                                last[index] = match.end()
                            seen = seen or set()
                            seen.add(index)
                rest = self.always
            else:
                rest = range(len(items))
            for index in rest:
                for match in items[index][1].finditer(text, start, end):
                    out.append((items[index][0], match))
        return out
