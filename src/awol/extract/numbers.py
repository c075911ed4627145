"""Number expressions in text → values: digits with separators, and number words.

- digits: "151", "1.010", "1,010", "1 010", "10 000", "1,5 тыс.", "10 thousand";
- nl/de/en/fr words through text2num ("zes", "duizend", "fünfundzwanzig", "two hundred");
- ru/uk words from a lemma table whose inflected forms pymorphy3 generates once
  ("более тысячи", "двоих", "двісті п'ятдесят", "полторы тысячи").

Ordinals and numbers glued to letters ("20e", "255-й", "20th", "10^12") are not returned.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from awol.extract.cues import DATA

MAX_VALUE = 5_000_000  # more people than the whole army: not a figure


@dataclass(frozen=True)
class NumberMention:
    start: int
    end: int
    value: int
    words: bool  # written in words
    approx: bool = False  # "une vingtaine", "десяток": about


_DIGITS = re.compile(
    r"(?<![\w.,/^])(?<!\d[-–/])(?:\d{1,3}(?:(?:[ \u00a0\u202f\u2009\u2007]|[.,’'](?=\d{3}(?!\d)))\d{3})+(?![\d])|\d+)(?:[.,]\d{1,2}(?![\d]))?"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# What may follow digits without making them an ordinal, code or exponent.
_GLUED = re.compile(r"^(?:-?[^\W\d_]|\^|[.,]\d|\d|/\d|:\d|°|¹|²|³)")


@lru_cache(maxsize=1)
def _table() -> list[dict]:
    with (DATA / "numbers.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=None)
def _latin_word_regex(lang: str) -> re.Pattern:
    atoms = [r["word"] for r in _table() if r["language"] == lang and r["kind"] == "atom"]
    joiners = [r["word"] for r in _table() if r["language"] == lang and r["kind"] == "joiner"]
    alt = "|".join(sorted(map(re.escape, atoms + joiners), key=len, reverse=True))
    return re.compile(rf"(?:{alt}|-)+")


@lru_cache(maxsize=None)
def _multipliers(lang: str) -> dict[str, int]:
    return {
        r["word"]: int(float(r["value"]))
        for r in _table()
        if r["language"] == lang and r["kind"] == "multiplier"
    }


@lru_cache(maxsize=None)
def _approx_words(lang: str) -> dict[str, int]:
    return {r["word"]: int(float(r["value"])) for r in _table() if r["language"] == lang and r["kind"] == "approx"}


@lru_cache(maxsize=200_000)
def latin_word_value(word: str, lang: str) -> int | None:
    """Value of one number word (lower case) in nl/de/en/fr, or None."""
    if not _latin_word_regex(lang).fullmatch(word):
        return None
    if word in {"een", "ein", "eins", "en", "und", "et", "un", "-"}:
        return None
    if lang == "en" and word == "dozen":
        return 12
    try:
        from text_to_num import text2num

        return int(text2num(word, lang))
    except Exception:
        return None


@lru_cache(maxsize=None)
def _slavic_forms(lang: str) -> dict[str, tuple[float, str]]:
    """Every inflected form of the ru/uk number lemmas → (value, kind)."""
    from awol.extract.morphology import analyzer

    morph = analyzer(lang)
    forms: dict[str, tuple[float, str]] = {}
    for row in _table():
        if row["language"] != lang:
            continue
        lemma, value, kind = row["word"], float(row["value"]), row["kind"]
        forms.setdefault(lemma, (value, kind))
        if kind == "multiplier" and len(lemma) <= 3:  # abbreviations (тыс, млн)
            continue
        for parse in morph.parse(lemma):
            if parse.normal_form.replace("’", "'") != lemma.replace("’", "'"):
                continue
            grammemes = set(str(parse.tag).replace(" ", ",").split(","))
            if not ({"NUMR", "NOUN"} & grammemes) or "Abbr" in grammemes:
                continue
            for form in parse.lexeme:
                form_kind = kind
                if kind == "approx":
                    # "сотня", "десяток" alone: about 100, 10; plural forms count only after a
                    # number ("три сотни", "трьох сотень" = 300), never alone ("сотни людей").
                    if "plur" in str(form.tag):
                        form_kind = "multiplier_plural"
                    elif form.word.replace("ё", "е") not in _APPROX_SINGULAR:
                        continue
                forms.setdefault(form.word, (value, form_kind))
                forms.setdefault(form.word.replace("ё", "е"), (value, form_kind))
            break
    # Short lemmas whose dictionary parse is an abbreviation ("сто" = СТО): oblique forms by hand.
    for word, value in _EXTRA_FORMS.get(lang, {}).items():
        forms.setdefault(word, (value, "hundred"))
    return forms


# Singular case forms of the approximate nouns that still mean "about N" on their own.
_APPROX_SINGULAR = {"сотня", "сотню", "сотни", "сотні", "десяток", "десятка", "десятком", "сотней", "сотнею"}
_EXTRA_FORMS = {"ru": {"ста": 100.0}, "uk": {"ста": 100.0}}


# Singular forms of тысяча that mean "a thousand" on their own.
_THOUSAND_ALONE = {"тысяча", "тысячу", "тысячей", "тисяча", "тисячу", "тисячею", "тисячі", "тысячи"}
_QUALIFIER_BEFORE_THOUSAND = re.compile(
    r"(?:более|больше|свыше|около|почти|до|менее|меньше|не менее|понад|більше|близько|майже|щонайменше|до)\s+$",
    re.I,
)


def find_numbers(text: str, lang: str) -> list[NumberMention]:
    """Number expressions in text (document offsets), in order."""
    lower = text.lower()
    found = _digit_numbers(text, lower, lang)
    if lang in ("ru", "uk"):
        found += _slavic_numbers(text, lower, lang)
    else:
        found += _latin_numbers(lower, lang)
    found.sort(key=lambda n: (n.start, -n.end))
    kept: list[NumberMention] = []
    for number in found:
        if kept and number.start < kept[-1].end:
            continue  # a word inside a digit expression ("10 тысяч")
        kept.append(number)
    return [n for n in kept if 0 < n.value <= MAX_VALUE]


def _digit_numbers(text: str, lower: str, lang: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    multipliers = _multipliers(lang)
    for match in _DIGITS.finditer(text):
        raw = match.group(0)
        after = text[match.end():match.end() + 3]
        if _GLUED.match(after) and not after.startswith(("k ", "K ")):
            continue
        value = _parse_digits(raw)
        if value is None:
            continue
        end = match.end()
        # A multiplier word after the digits: "10 тысяч", "1,5 тыс.", "10 thousand", "2 Millionen".
        word = _WORD.match(lower, end + 1) if lower[end:end + 1] in (" ", "\u00a0") else None
        factor = None
        if word:
            token = word.group(0)
            factor = multipliers.get(token)
            if factor is None and lang in ("ru", "uk"):
                form = _slavic_forms(lang).get(token)
                if form and form[1] == "multiplier":
                    factor = int(form[0])
            if factor:
                end = word.end() + (1 if lower[word.end():word.end() + 1] == "." else 0)
        if factor:
            value *= factor
        if value != int(value):
            continue
        out.append(NumberMention(match.start(), end, int(value), False))
    return out


def _parse_digits(raw: str) -> float | None:
    raw = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ").replace("\u2007", " ")
    decimal = re.search(r"[.,](\d{1,2})$", raw)
    fraction = 0.0
    if decimal and not re.search(r"[.,]\d{3}$", raw):
        fraction = float("0." + decimal.group(1))
        raw = raw[: decimal.start()]
    digits = re.sub(r"[ .,’']", "", raw)
    if not digits.isdigit():
        return None
    return int(digits) + fraction


def _latin_numbers(lower: str, lang: str) -> list[NumberMention]:
    out: list[NumberMention] = []
    run: list[tuple[int, int, int]] = []  # (start, end, value) of consecutive number words

    def flush() -> None:
        if not run:
            return
        value = _combine_latin(lower[run[0][0]:run[-1][1]], [v for _, _, v in run], lang)
        end = run[-1][1]
        if value and lang == "fr" and value % 10 == 0 and run[-1][2] in (20, 30, 40, 50, 60):
            # "vingt et un", "cent quarante et une": "un" alone is the article, not an atom.
            tail = _ET_UN.match(lower, end)
            if tail:
                value, end = value + 1, tail.end()
        if value:
            out.append(NumberMention(run[0][0], end, value, True))
        run.clear()

    approx_words = _approx_words(lang)
    for word in _latin_candidates(lang).finditer(lower):
        token = word.group(0)
        if token in _AND:
            continue  # "three hundred and fifty"; a gap that is not a joiner ends the run below
        if token in approx_words:
            flush()
            if approx_words[token]:
                out.append(NumberMention(word.start(), word.end(), approx_words[token], True, approx=True))
            continue
        value = latin_word_value(token, lang)
        if value is None:
            if run and token in ("and", "en", "und", "et") and _next_is_number(lower, word.end(), lang):
                continue
            flush()
            continue
        gap = lower[run[-1][1]:word.start()].replace("\n", " ").strip(" -") if run else ""
        if run and gap not in ("", "and", "en", "und", "et"):
            flush()
        elif run and gap and not (run[-1][2] >= 100 or (lang == "fr" and run[-1][2] in (20, 30, 40, 50, 60))):
            flush()  # "tussen acht en tien", "between eight and ten": two numbers, not 18
        run.append((word.start(), word.end(), value))
    flush()
    return out


_AND = frozenset({"and", "en", "und", "et"})
_ET_UN = re.compile(r" et une?(?![^\W\d_])")


@lru_cache(maxsize=None)
def _latin_candidates(lang: str) -> re.Pattern:
    """Words made only of number atoms and joiners, or approximate words, with the word
    boundaries of `_WORD`: the only words `_latin_numbers` needs to look at."""
    atoms = [r["word"] for r in _table() if r["language"] == lang and r["kind"] in ("atom", "joiner", "approx")]
    atoms += sorted(_AND)
    alt = "|".join(sorted(map(re.escape, set(atoms)), key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?<![^\W\d_]['’-])(?:{alt}|-)+(?![^\W\d_])(?!['’-][^\W\d_])")


def _next_is_number(lower: str, pos: int, lang: str) -> bool:
    nxt = _WORD.match(lower, pos + 1)
    return bool(nxt) and latin_word_value(nxt.group(0), lang) is not None


def _combine_latin(phrase: str, values: list[int], lang: str) -> int | None:
    if len(values) == 1:
        return values[0]
    if lang == "en" and phrase.endswith("dozen"):
        return (_combine_latin(phrase[:-5].strip(), values[:-1], lang) or 1) * 12
    try:
        from text_to_num import text2num

        return int(text2num(phrase.replace(" and ", " "), lang))
    except Exception:
        pass
    # Fall back to the usual composition: hundreds and thousands multiply, the rest add.
    total, current = 0, 0
    for value in values:
        if value in (100,):
            current = (current or 1) * value
        elif value >= 1000:
            total += (current or 1) * value
            current = 0
        else:
            current += value
    return total + current or None


_ONE_FORMS = frozenset(
    "один одна одно одного одной одному одним одною одном одну одне однієї одній одним однією".split())


def _slavic_numbers(text: str, lower: str, lang: str) -> list[NumberMention]:
    forms = _slavic_forms(lang)
    out: list[NumberMention] = []
    run: list[tuple[int, int, float, str, str]] = []

    def flush() -> None:
        if not run:
            return
        total, current = 0.0, 0.0
        if run[0][3] == "multiplier_plural":
            run.pop(0)  # "сотни людей": hundreds, not a count
            if not run:
                return
        for _, _, value, kind, _ in run:
            if kind == "multiplier":
                total += (current or 1) * value
                current = 0
            elif kind == "multiplier_plural" or (kind == "approx" and current):
                current = (current or 1) * value  # "три сотни", "пять десятков"
            else:
                current += value
        value = total + current
        start, end = run[0][0], run[-1][1]
        if len(run) == 1 and run[0][3] == "multiplier":
            token = run[0][4]
            alone_ok = token in _THOUSAND_ALONE and (
                token not in ("тысячи", "тисячі") or _QUALIFIER_BEFORE_THOUSAND.search(lower[max(0, start - 14):start])
            )
            if not alone_ok:
                run.clear()
                return
        if len(run) == 1 and run[0][4] in ("сотни", "сотні") and not _QUALIFIER_BEFORE_THOUSAND.search(
                lower[max(0, start - 14):start]):
            run.clear()  # "сотни людей": hundreds of people, not "about a hundred"
            return
        if value == int(value) and value > 0:
            approx = len(run) == 1 and run[0][3] == "approx"
            out.append(NumberMention(start, end, int(value), True, approx=approx))
        run.clear()

    for word in _WORD.finditer(lower):
        token = word.group(0).replace("’", "'")
        entry = forms.get(token)
        if entry is None and token in _ONE_FORMS and run and run[-1][2] >= 20 and run[-1][2] % 10 == 0 \
                and run[-1][3] != "multiplier" and not lower[run[-1][1]:word.start()].strip():
            entry = (1.0, "atom")  # "двадцать один", "тридцять одна": one only after a tens word
        if entry is None:
            flush()
            continue
        if run and lower[run[-1][1]:word.start()].strip() != "":
            flush()
        run.append((word.start(), word.end(), entry[0], entry[1], token))
    flush()
    return out
