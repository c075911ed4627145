"""Do two names (and birth dates) belong to the same person? A calibrated probability, with
one explanation line per feature.

The score is a logistic model over a handful of features a person can check:

* surname: coarse-key similarity over every reading of both spellings (exact or how far);
  spellings whose keys agree but which differ in a sound no transliteration confuses (и/ы,
  о/е after ж/ш/ч/щ, с/з/ц: Лисин/Lysin, Ершов/Yershev, Гусев/Guzew) are one sound apart;
* the surname gates the rest: given name, patronymic and birth date count in proportion to
  the surnames' similarity, and different surnames cap the score (Oleg Vinogradov and Oleg
  Abramov, both born in 1980, are not one man);
* given name: the same name (table: Russian/Ukrainian form, diminutive, spelling), a
  different name, a consistent or contradicting initial, or absent;
* patronymic: the same father's name, a different one (evidence against), or absent
  (neutral: lists often drop it);
* gender: female vs male forms (Ivanova vs Ivanov) are different people;
* birth date: identical or day/month swapped (evidence for), partial agreement (weak), a
  different date (a namesake: evidence against), absent (neutral);
* name frequency: a common surname (Ivanov, Shevchenko) without a birth date proves less, and
  with neither a birth date nor the same patronymic it proves little (Ivan Ivanov ≠ Ivan
  Ivanov unless something else agrees).

The coefficients live in ``data/match_model.json``. They were fitted by
``benchmarks/fit_names_model.py`` on synthetic pairs generated from the transliteration and
given-name tables (never from the gold file), and that script also reports calibration on a
held-out synthetic set; the probability assumes a candidate pair is as likely to be the same
person as not (a screening hit list, not a random pair of people).

``MATCH_THRESHOLD`` — the one setting — comes from the model file (``"threshold"``) and may
be overridden by the environment variable ``AWOL_MATCH_THRESHOLD`` (a number in 0..1). It is
read once, at import.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import product

from rapidfuzz.distance import Levenshtein

from . import dates
from .given_names import table as given_table
from .parse import InvalidNameError, ParsedName, Word, parse_name
from .translit import FAMILIES, coarse, coarse_keys, decode, guess_family, read_data, readings, to_ascii
from .scripts import CYRILLIC, char_script

THRESHOLD_ENV = "AWOL_MATCH_THRESHOLD"

FEATURES = (
    "surname_exact",
    "surname_distance",
    "surname_vowels_only",
    "surname_missing",
    "surname_sound_differs",
    "given_same",
    "given_similar",
    "given_different",
    "given_initial_agrees",
    "given_initial_differs",
    "given_missing",
    "patronymic_same",
    "patronymic_different",
    "patronymic_initial_agrees",
    "patronymic_initial_differs",
    "gender_differs",
    "dob_exact",
    "dob_swapped",
    "dob_partial",
    "dob_differs",
    "common_uncorroborated",
)


@lru_cache(maxsize=1)
def _model() -> dict[str, object]:
    return json.loads(read_data("match_model.json"))


def _read_threshold() -> float:
    raw = os.environ.get(THRESHOLD_ENV)
    if raw is not None and raw.strip():
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"{THRESHOLD_ENV} must be a number between 0 and 1, not {raw!r}") from None
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{THRESHOLD_ENV} must be between 0 and 1, not {value}")
        return value
    return float(_model()["threshold"])  # type: ignore[arg-type]


MATCH_THRESHOLD: float = _read_threshold()


@dataclass
class NameMatch:
    """The verdict on a pair: ``score`` is the probability that both are the same person,
    ``match`` is ``score >= MATCH_THRESHOLD``, ``explanation`` says why, one line per feature."""

    score: float
    match: bool
    explanation: list[str]
    features: dict[str, float] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, object]:
        return {"score": round(self.score, 4), "match": self.match, "explanation": list(self.explanation)}


# --- surname frequency -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _frequency() -> dict[str, tuple[int, str, str]]:
    out: dict[str, tuple[int, str, str]] = {}
    for line in read_data("surname_frequency.tsv").splitlines():
        if not line or line.startswith("#"):
            continue
        name, country, rank = line.split("\t")
        key = coarse(name.lower())
        if key not in out or int(rank) < out[key][0]:
            out[key] = (int(rank), country, name)
    return out


def surname_commonness(keys: frozenset[str] | set[str]) -> tuple[float, tuple[int, str, str] | None]:
    """0 for a rare surname, up to 1 for the most frequent one."""
    freq = _frequency()
    hits = [freq[k] for k in keys if k in freq]
    if not hits:
        return 0.0, None
    best = min(hits)
    return max(0.0, 1.0 - math.log(best[0]) / math.log(300.0)), best


# --- spelling descriptions ---------------------------------------------------------------

_FAMILY_LABEL = {"en": "English/passport", "de": "German", "fr": "French", "nl": "Dutch", "pl": "Polish", "cs": "Czech"}


def spelling_system(word: str, key: str | None = None) -> str:
    """A human name for how a word was spelled (for explanations)."""
    w = word.lower().rstrip(".")
    if any(char_script(ch) == CYRILLIC for ch in w):
        return "Cyrillic"
    order = (guess_family(w),) + FAMILIES
    fams = [f for f in order if key is None or coarse(decode(w, f)) == key] or list(order)
    fam = fams[0]
    if fam == "cs":
        if any(ch in w for ch in "ŝâûëèìʹʺ"):
            return "ISO 9"
        if "x" in w:
            return "scientific"
    if fam == "en":
        if any(d in w for d in ("ia", "iu", "ii")) and not any(d in w for d in ("ya", "yu")):
            return "ICAO passport"
        if w.endswith(("iy", "yy")):
            return "older passport/English"
        if "h" in w.replace("kh", "").replace("zh", "").replace("ch", "").replace("sh", ""):
            return "Ukrainian/English"
        return "English"
    return _FAMILY_LABEL[fam]


def _best_pair(keys_a: frozenset[str], keys_b: frozenset[str], ordered: bool = False) -> tuple[float, str, str, int]:
    """The most similar pair of keys: (similarity, key a, key b, edits). The similarity does
    not depend on the order the sets are read in; which of several equally similar keys is
    named does, so explanations read the keys ``ordered`` (the same words whatever the hash
    seed)."""
    best = (-1.0, "", "", 99)
    if ordered:
        keys_a, keys_b = sorted(keys_a), sorted(keys_b)  # type: ignore[assignment]
    for ka, kb in product(keys_a, keys_b):
        sim = Levenshtein.normalized_similarity(ka, kb)
        if sim > best[0]:
            best = (sim, ka, kb, Levenshtein.distance(ka, kb))
            if sim == 1.0:
                break
    return best


def _yo_variant(ka: str, kb: str) -> bool:
    """Equal once o and e are folded: ё written "o" (Korolow) or "e" (Korolev)."""
    return ka.replace("o", "e") == kb.replace("o", "e")


def _via(word_a: str, ka: str, word_b: str, kb: str) -> str:
    sa, sb = spelling_system(word_a, ka), spelling_system(word_b, kb)
    if word_a.lower() == word_b.lower():
        return "identical spelling"
    systems = [s for s in dict.fromkeys((sa, sb)) if s != "Cyrillic"]
    if not systems:
        return "Cyrillic forms"
    if len(systems) == 1:
        return f"via {systems[0]} transliteration"
    return f"via {systems[0]} and {systems[1]} transliterations"


# --- sounds the coarse key folds but no transliteration confuses ----------------------------
#
# The coarse key folds и/ы (Лисин, Lysin) and о/е after a hushing consonant (Горбачёв,
# Gorbatschow) so that every spelling family meets. But a transliteration never writes a
# Russian и as "y" nor a plain о as "e": Лисин is never "Lysin" (that is Лысин), Ершов is never
# "Yershev" (Ершев). Each surname is read into "slots" — the и/ы vowels and the vowels after
# ж/ш/ч/щ — and two spellings whose slots cannot agree in any reading are one sound apart.

_HUSH_SLOT = re.compile(r"(?<=[жшчщ])[оеё]")
_IY_SLOT = re.compile(r"(?<![гкхжшчщцаеёиоуыэюяіїє])[иыії](?![аеёиоуыэюяіїєй]|й?$)")
# Cyrillic as written: о is о, ё is ё, е may be ё written without its dots.
_HUSH_CYR = {"о": "o", "ё": "E", "е": "eE"}
# Read from Latin: "o" may be о or ё (Gorbatschow), "e" may be е or ё (Gorbachev).
_HUSH_LAT = {"о": "oE", "ё": "E", "е": "eE"}
# Ukrainian Cyrillic has no ё: it writes о (or ьо) where Russian has ё.
_HUSH_UK = {"о": "oE", "ё": "E", "е": "eE"}


# Sibilants: с, з and ц as written. No system writes с as "z" or "c", nor з as "c": Гусев is
# never "Guzew" or "Gucev" (those are Гузев, Гуцев). German writes з as "s" and ц as "z".
_SIB_CYR = re.compile(r"тс|дз|[сзц]")
_SIB_CYR_SOUND = {"тс": "sc", "дз": "z", "с": "s", "з": "z", "ц": "c"}
_SIB_LAT = re.compile(r"shch|tsch|sch|tsj|tch|sj|zj|sh|zh|ch|cz|sz|rz|ck|ts|tz|tc|ss|dz|[szcśź]")
_SIB_LAT_SOUND = {"ts": "c", "tz": "c", "tc": "c", "ss": "s", "dz": "z", "s": "sz", "z": "zc", "c": "c",
                  "ś": "s", "ź": "z"}


def _sibilants(word: str, latin: bool) -> tuple[str, ...]:
    if latin:
        return tuple(_SIB_LAT_SOUND[m.group(0)] for m in _SIB_LAT.finditer(word) if m.group(0) in _SIB_LAT_SOUND)
    return tuple(_SIB_CYR_SOUND[m.group(0)] for m in _SIB_CYR.finditer(word))


def _slots(word: str, keys: frozenset[str] = frozenset(),
           ukrainian: bool = False) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Every reading of a word (those whose coarse key is one of ``keys``, when any is) as
    (hushing-vowel slots, и/ы slots); each slot is the set of sounds it may stand for."""
    w = word.lower()
    latin = not any(char_script(ch) == CYRILLIC for ch in w)
    found = readings(w) if latin else (w,)
    fitting = [r for r in found if coarse(r) in keys]
    out = []
    for r in (fitting or found):
        hush = tuple((_HUSH_LAT if latin else _HUSH_CYR)[m.group(0)] for m in _HUSH_SLOT.finditer(r))
        letters = [m.group(0) for m in _IY_SLOT.finditer(r)]
        iy = tuple("y" if ch == "ы" else "i" for ch in letters)
        hush = hush + ("|",) + _sibilants(w, latin)  # (a separator no slot matches)
        out.append((hush, iy))
        if not latin:
            # Read as Ukrainian: и is the sound Latin writes "y" (Микола, Mykola).
            out.append((hush, tuple("y" if ch in "иы" else "i" for ch in letters)))
            if ukrainian:
                # A Ukrainian spelling of a Russian name: its и stands for и or ы (Сирський /
                # Сырский) and its о after a hushing consonant for ё (Кузьмичов / Кузьмичёв).
                hush_uk = tuple(_HUSH_UK[m.group(0)] for m in _HUSH_SLOT.finditer(r)) + hush[hush.index("|"):]
                out.append((hush_uk, ()))
    return tuple(out)


def _slots_agree(a: tuple[tuple[str, ...], tuple[str, ...]], b: tuple[tuple[str, ...], tuple[str, ...]],
                 both_latin: bool = False) -> bool:
    # Slots are compared one to one only when both spellings have as many (otherwise the
    # letters cannot be lined up, and nothing is concluded).
    ha, hb = a[0], b[0]
    ia, ib = ha.index("|"), hb.index("|")
    for xa, xb in ((ha[:ia], hb[:ib]), (ha[ia + 1:], hb[ib + 1:])):
        if len(xa) == len(xb) and any(not (set(x) & set(y)) for x, y in zip(xa, xb)):
            return False
    if len(a[1]) != len(b[1]) or all(x == y for x, y in zip(a[1], b[1])):
        return True
    # Two Latin spellings: one may be the Ukrainian system's (every и written "y":
    # Lytvynenko) and the other the Russian one's (Litvinenko).
    n = min(len(a[1]), len(b[1]))
    return both_latin and (set(a[1][:n]) == {"y"} or set(b[1][:n]) == {"y"})


_UKRAINIAN_MARK = re.compile(r"[іїєґ']|(?:ськ|цьк|зьк)(?:ий|а|ого|ому|им)\b")


def _looks_ukrainian(word: str) -> bool:
    """A Cyrillic word spelled the Ukrainian way (і, ї, є, ґ, or the -ський ending)."""
    return bool(_UKRAINIAN_MARK.search(word.lower()))


@lru_cache(maxsize=100_000)
def sound_differs(word_a: str, word_b: str, ukrainian_a: bool = False, ukrainian_b: bool = False) -> bool:
    """True when two spellings of a surname whose coarse keys agree differ in a sound no
    transliteration confuses (и/ы, о/е after ж/ш/ч/щ) in every reading of both.
    ``ukrainian_a``/``_b``: the name around the word is written the Ukrainian way."""
    common = coarse_keys(word_a.lower()) & coarse_keys(word_b.lower())
    ukrainian_a = ukrainian_a or _looks_ukrainian(word_a)
    ukrainian_b = ukrainian_b or _looks_ukrainian(word_b)
    sa, sb = _slots(word_a, common, ukrainian_a), _slots(word_b, common, ukrainian_b)
    both_latin = not any(char_script(ch) == CYRILLIC for ch in word_a + word_b)
    if all(any(char_script(ch) == CYRILLIC for ch in w) for w in (word_a, word_b)):
        # Two Cyrillic spellings: the letters themselves differ, unless one is Ukrainian,
        # whose и is the Russian ы (Сирський / Сырский).
        sa = sa if ukrainian_a else sa[:1]
        sb = sb if ukrainian_b else sb[:1]
    return not any(_slots_agree(x, y, both_latin) for x in sa for y in sb)


def _surname_sound_differs(a: ParsedName, b: ParsedName) -> bool:
    pairs = [(wa.text, wb.text) for wa in a.surname_words for wb in b.surname_words if wa.keys & wb.keys
             or _best_pair(wa.keys, wb.keys)[0] >= 0.8]
    if not pairs:
        return False
    uk_a, uk_b = _looks_ukrainian(a.original), _looks_ukrainian(b.original)
    return all(sound_differs(x, y, uk_a, uk_b) for x, y in pairs)


# Evidence for the same person that counts only as far as the surnames agree: the same given
# name and birth date are worth nothing when the surnames are different (Oleg Vinogradov,
# born 1980, is not Oleg Abramov, born 1980).
GATED = ("given_same", "given_similar", "given_initial_agrees", "given_missing", "patronymic_same",
         "patronymic_initial_agrees", "dob_exact", "dob_swapped", "dob_partial")
DOB_FOR = ("dob_exact", "dob_swapped", "dob_partial")  # birth-date evidence for the same person
GATE_FLOOR = 0.6  # surname similarity at and below which nothing else counts
GATE_FULL = 1.0  # ... and from which everything counts
CAP_LOGIT = -4.0  # ... and the score is capped at about 0.018


def surname_gate(sim: float) -> float:
    """How much of the other evidence counts at this surname similarity (1 when exact)."""
    return max(0.0, min(1.0, (sim - GATE_FLOOR) / (GATE_FULL - GATE_FLOOR)))


# --- features ------------------------------------------------------------------------------


def _initials_of(word: Word) -> set[str]:
    table = given_table()
    out = {k[0] for k in word.keys if k}
    for name_id in word.given_ids:
        out |= table.initials.get(name_id, set())
    return out


def _compare_given(a: ParsedName, b: ParsedName, f: dict[str, float], lines: list[str] | None, role: str) -> None:
    table = given_table()
    if role == "given":
        wa, wb, ia, ib, label = a.given_word, b.given_word, a.given_initial, b.given_initial, "given name"
    else:
        wa, wb, ia, ib, label = a.patronymic_word, b.patronymic_word, a.patronymic_initial, b.patronymic_initial, "patronymic"
    prefix = "given" if role == "given" else "patronymic"
    if wa is not None and wb is not None:
        ids_a = set(wa.given_ids) if role == "given" else set(wa.father_ids)
        ids_b = set(wb.given_ids) if role == "given" else set(wb.father_ids)
        common = ids_a & ids_b
        sim, ka, kb, edits = _best_pair(wa.keys, wb.keys, ordered=lines is not None)
        if common:
            f[f"{prefix}_same"] = 1.0
            name = table.names[sorted(common)[0]]
            if role == "given":
                hows = {wa.given_ids[i] for i in common} | {wb.given_ids[i] for i in common}
                how = "diminutive of" if "diminutive" in hows else "forms of"
                if sim == 1.0:
                    if lines is not None:
                        lines.append(f"{label}: {wa.text} ~ {wb.text} ({_via(wa.text, ka, wb.text, kb)})")
                else:
                    if lines is not None:
                        lines.append(f"{label}: {wa.text} ~ {wb.text} ({how} {name.display})")
            else:
                if lines is not None:
                    lines.append(f"{label}: {wa.text} ~ {wb.text} (father's name {name.display} on both sides)")
        elif sim == 1.0 or (not (ids_a and ids_b) and (sim >= 0.8 or edits <= 1)):
            # A word the table does not know is compared by spelling: one edit away is a
            # slip of the pen (Dmirij / Dmitrij), further is another name.
            f[f"{prefix}_similar" if role == "given" else "patronymic_same"] = sim
            if lines is not None:
                lines.append(f"{label}: {wa.text} ~ {wb.text} (similar spelling, {sim:.2f})")
        else:
            f[f"{prefix}_different"] = 1.0
            if lines is not None:
                lines.append(f"{label}: {wa.text} vs {wb.text} are different names (evidence against)")
        return
    pairs = [(wa, ib), (wb, ia)] if (wa is not None or wb is not None) else []
    for word, init in pairs:
        if word is not None and init is not None:
            if _initials_of(word) & init.keys:
                f[f"{prefix}_initial_agrees"] = 1.0
                if lines is not None:
                    lines.append(f"{label}: initial {init.text} fits {word.text} (weak evidence for)")
            else:
                f[f"{prefix}_initial_differs"] = 1.0
                if lines is not None:
                    lines.append(f"{label}: initial {init.text} does not fit {word.text} (evidence against)")
            return
    if ia is not None and ib is not None:
        if ia.keys & ib.keys:
            f[f"{prefix}_initial_agrees"] = 1.0
            if lines is not None:
                lines.append(f"{label}: initials {ia.text} ~ {ib.text} agree (weak evidence for)")
        else:
            f[f"{prefix}_initial_differs"] = 1.0
            if lines is not None:
                lines.append(f"{label}: initials {ia.text} vs {ib.text} differ (evidence against)")
        return
    if role == "given":
        has_a = wa is not None or ia is not None
        has_b = wb is not None or ib is not None
        if has_a != has_b:
            f["given_missing"] = 1.0
        if lines is not None:
            lines.append(f"{label}: not given on both sides (neutral)")
    else:
        if lines is not None:
            lines.append(f"{label}: not given on both sides (neutral)")


def _leftover(a: ParsedName, b: ParsedName) -> Word | None:
    """A word ``a`` reads as a second surname that matches none of ``b``'s surname words."""
    if len(a.surname_words) < 2 or not b.surname_words:
        return None
    for w in a.surname_words:
        if not any(w.keys & x.keys or _best_pair(w.keys, x.keys)[0] >= 0.8 for x in b.surname_words):
            return w
    return None


def _given_from_leftover(a: ParsedName, b: ParsedName) -> ParsedName:
    """A reading of ``a`` without a given name whose extra "surname" is left over once the
    surnames are lined up ("Akhmat Kadyrov" read as two surnames, against "Ramzan Kadyrov")
    compares that word as its given name: a word unexplained on both sides is not neutral."""
    if a.given_word is not None or a.given_initial is not None:
        return a
    word = _leftover(a, b)
    if word is None or (b.given_word is None and b.given_initial is None and _leftover(b, a) is None):
        return a
    return replace(a, given_word=word, given=word.text)


def _features(a: ParsedName, b: ParsedName, dob: tuple[str, str],
              explain: bool = True) -> tuple[dict[str, float], list[str]]:
    """The features of a pair and, when ``explain``, one explanation line per feature
    (without it the features are the same, only the sentences are not written)."""
    f: dict[str, float] = {}
    lines: list[str] | None = [] if explain else None
    # Surname.
    if a.surname_keys and b.surname_keys:
        ordered = lines is not None
        primary = _best_pair(a.surname_primary or a.surname_keys, b.surname_primary or b.surname_keys, ordered)
        sim, ka, kb, dist = primary if primary[0] == 1.0 else _best_pair(a.surname_keys, b.surname_keys, ordered)
        if sim < 1.0:
            # Near misses are judged on the most likely reading of each spelling only:
            # read the French way, "Timchenko" would be one vowel away from "Timoshenko".
            sim, ka, kb, dist = primary
        sa = a.surname or (a.initials[-1] if a.initials else "?")
        sb = b.surname or (b.initials[-1] if b.initials else "?")
        if sim == 1.0 and _surname_sound_differs(a, b):
            sim, dist = 1.0 - 1.0 / max(len(ka), len(kb), 2), 1
            f["surname_sound_differs"] = 1.0
            if lines is not None:
                lines.append(f"surname: {sa} vs {sb}: one sound apart (и/ы or о/е after ж/ш/ч/щ), which no "
                             f"transliteration confuses (evidence against)")
        if "surname_sound_differs" in f:
            f["surname_distance"] = 1.0 - sim
        elif sim == 1.0:
            f["surname_exact"] = 1.0
            feminine = "" if not (a.gender and b.gender and a.gender != b.gender) else ", masculine and feminine forms"
            if lines is not None:
                lines.append(f"surname: {sa} ~ {sb} {_via(sa, ka, sb, kb)} (skeleton '{to_ascii(ka)}'{feminine})")
        else:
            f["surname_distance"] = 1.0 - sim
            verdict = "close spelling" if sim >= 0.8 else "different surnames"
            if _yo_variant(ka, kb):
                f["surname_vowels_only"] = 1.0
                verdict = "differ only in ё written o or e"
            if lines is not None:
                lines.append(f"surname: {sa} vs {sb}: {verdict} (skeletons '{to_ascii(ka)}' / '{to_ascii(kb)}', "
                             f"{dist} edit{'s' if dist != 1 else ''})")
    else:
        f["surname_missing"] = 1.0
        if lines is not None:
            lines.append("surname: missing on one side")
    surname_sim = 1.0 - f.get("surname_distance", 0.0)
    a, b = _given_from_leftover(a, b), _given_from_leftover(b, a)
    _compare_given(a, b, f, lines, "given")
    _compare_given(a, b, f, lines, "patronymic")
    # Gender. Two Cyrillic names are read in the same case: where one is a nominative and
    # the other may be one, "Евгения Медведева" beside "Евгений Медведев" is a woman (her
    # name), not his genitive.
    gender_a, gender_b = a.gender, b.gender
    if a.nominative_gender and b.nominative_gender and (gender_a is None) != (gender_b is None):
        gender_a, gender_b = gender_a or a.nominative_gender, gender_b or b.nominative_gender
    if gender_a and gender_b and gender_a != gender_b:
        f["gender_differs"] = 1.0
        word = {"m": "male", "f": "female"}
        if lines is not None:
            lines.append(f"gender: {word[gender_a]} vs {word[gender_b]} forms (different people)")
    elif a.gender and a.gender == b.gender:
        if lines is not None:
            lines.append(f"gender: both {'male' if a.gender == 'm' else 'female'} (consistent)")
    else:
        if lines is not None:
            lines.append("gender: not shown by one of the names (neutral)")
    # Birth date.
    outcome, sentence = dob
    key = {dates.EXACT: "dob_exact", dates.SWAPPED: "dob_swapped", dates.PARTIAL: "dob_partial",
           dates.CONFLICT: "dob_differs"}.get(outcome)
    if key:
        f[key] = 1.0
    if lines is not None:
        lines.append(sentence)
    # Frequency.
    # How common the surname is, read on either side: a spelling whose keys miss the frequency
    # list (French "Kouznetsov") is still Кузнецов when it matches the other side exactly.
    commonness, hit = max(surname_commonness(a.surname_keys), surname_commonness(b.surname_keys),
                          key=lambda x: x[0])
    if hit is not None and "surname_exact" in f:
        if outcome not in (dates.EXACT, dates.SWAPPED, dates.PARTIAL) and "patronymic_same" not in f:
            # Ivan Ivanov and Ivan Ivanov: thousands of men share the name; only a birth date
            # or the father's name tells them apart. Commonness is linear in log(rank), and by
            # Zipf's law the number of namesakes is ~1/rank, so the log-odds are linear in it.
            f["common_uncorroborated"] = commonness
        country = {"ru": "Russia", "uk": "Ukraine"}[hit[1]]
        if "common_uncorroborated" in f:
            if lines is not None:
                lines.append(f"name frequency: {hit[2]} is a common surname (rank {hit[0]} in {country}) and "
                             "neither a birth date nor a patronymic corroborates it: the name alone proves little")
        else:
            if lines is not None:
                lines.append(f"name frequency: {hit[2]} is a common surname (rank {hit[0]} in {country}), "
                             "corroborated by the birth date or patronymic")
    else:
        if lines is not None:
            lines.append("name frequency: not a common surname")
    # A shared birth date does not make two different given names (or fathers' names) one
    # person: twins and siblings share a surname and a birthday, not a name.
    if ("given_different" in f or "patronymic_different" in f) and any(k in f for k in DOB_FOR):
        for k in DOB_FOR:
            f.pop(k, None)
        if lines is not None:
            lines.append("birth date gate: the names differ, so the shared birth date does not count "
                         "(twins and siblings share one)")
    # Gate: the rest of the evidence counts only as far as the surnames agree.
    # (ё written o on one side and e on the other is a spelling, not another surname.)
    gate = surname_gate(surname_sim) if "surname_distance" in f and "surname_vowels_only" not in f else 1.0
    if gate < 1.0:
        for k in GATED:
            if k in f:
                f[k] *= gate
        if lines is not None:
            if gate == 0.0:
                lines.append("surname gate: the surnames are different, so nothing else counts "
                             "(score capped)")
            else:
                lines.append(f"surname gate: the surnames differ, so agreement elsewhere counts {gate:.0%}")
    return f, lines if lines is not None else []


def _logit(f: dict[str, float]) -> float:
    model = _model()
    weights: dict[str, float] = model["weights"]  # type: ignore[assignment]
    z = float(model["bias"]) + sum(weights.get(k, 0.0) * v for k, v in f.items())  # type: ignore[arg-type]
    if f.get("surname_distance", 0.0) >= 1.0 - GATE_FLOOR:
        z = min(z, CAP_LOGIT)  # different surnames: (nearly) impossible, whatever else agrees
    return z


def feature_vector(a: str, b: str, dob_a: object = None, dob_b: object = None) -> dict[str, float]:
    """The features of the best role reading of a pair (used by the model fitting script)."""
    return _score(a, b, dob_a, dob_b)[1]


def _score(a: str, b: str, dob_a: object, dob_b: object) -> tuple[float, dict[str, float], list[str]]:
    da, db = dates.parse_date(dob_a), dates.parse_date(dob_b)
    pa, pb = parse_name(a), parse_name(b)
    dob = dates.compare_dates(da, db)
    best: tuple[float, dict[str, float], list[str]] | None = None
    for xa, xb in product((pa,) + pa.alternatives, (pb,) + pb.alternatives):
        f, lines = _features(xa, xb, dob)
        z = _logit(f)
        if best is None or z > best[0]:
            best = (z, f, lines)
    assert best is not None
    return best


def match_names(a: str, b: str, dob_a: object = None, dob_b: object = None) -> NameMatch:
    """Compare two names (any script, order, inflection) and optional birth dates.

    Birth dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (or ``None``); an invalid one
    raises ``InvalidDateError``; a name without letters raises ``InvalidNameError`` (both are
    ``ValueError`` subclasses).
    """
    z, f, lines = _score(a, b, dob_a, dob_b)
    score = _probability(z)
    return NameMatch(score=score, match=score >= MATCH_THRESHOLD, explanation=lines, features=f)


def _probability(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


class NameMatcher:
    """One name (and birth date) scored against many: the batch form of ``match_names``.

    The query is parsed once; each candidate may be given as text or already parsed
    (``parse_name``: a caller screening a list parses, and may cache, its entries once).
    ``score(b, dob_b)`` returns exactly ``match_names(query, b, dob, dob_b)``; the features of
    every reading of the roles are computed without writing sentences, and the explanation is
    written only for the best reading. ``probability(b, dob_b)`` returns the score alone, with
    no explanation at all (the cheapest call, for ranking many candidates).
    """

    __slots__ = ("_date", "_dob_cache", "_readings", "dob", "name")

    def __init__(self, name: str, dob: object = None):
        self.name = name
        self.dob = dob
        self._date = dates.parse_date(dob)
        parsed = parse_name(name)
        self._readings = (parsed,) + parsed.alternatives
        self._dob_cache: dict[object, tuple[str, str]] = {}

    @property
    def query(self) -> ParsedName:
        """The query name as parsed (its first reading)."""
        return self._readings[0]

    def _compare_dob(self, dob_b: object) -> tuple[str, str]:
        try:
            return self._dob_cache[dob_b]
        except (KeyError, TypeError):
            pass
        out = dates.compare_dates(self._date, dates.parse_date(dob_b))
        try:
            if len(self._dob_cache) < 4096:
                self._dob_cache[dob_b] = out
        except TypeError:
            pass
        return out

    def _best(self, b: str | ParsedName, dob_b: object) -> tuple[float, ParsedName, ParsedName, tuple[str, str]]:
        dob = self._compare_dob(dob_b)
        pb = parse_name(b) if isinstance(b, str) else b
        best: tuple[float, ParsedName, ParsedName, tuple[str, str]] | None = None
        for xa, xb in product(self._readings, (pb,) + pb.alternatives):
            z = _logit(_features(xa, xb, dob, explain=False)[0])
            if best is None or z > best[0]:
                best = (z, xa, xb, dob)
        assert best is not None
        return best

    def probability(self, b: str | ParsedName, dob_b: object = None) -> float:
        """The score of ``match_names(query, b, dob, dob_b)``, without an explanation."""
        return _probability(self._best(b, dob_b)[0])

    def score(self, b: str | ParsedName, dob_b: object = None) -> NameMatch:
        """The same ``NameMatch`` as ``match_names(query, b, dob, dob_b)``."""
        z, xa, xb, dob = self._best(b, dob_b)
        f, lines = _features(xa, xb, dob, explain=True)
        score = _probability(z)
        return NameMatch(score=score, match=score >= MATCH_THRESHOLD, explanation=lines, features=f)


def match_many(a: str, candidates: list[str | ParsedName | tuple[str | ParsedName, object]],
               dob_a: object = None) -> list[NameMatch]:
    """``match_names(a, b, dob_a, dob_b)`` for every candidate ``b`` or ``(b, dob_b)``, with
    ``a`` parsed once."""
    matcher = NameMatcher(a, dob_a)
    out = []
    for c in candidates:
        b, dob_b = c if isinstance(c, tuple) else (c, None)
        out.append(matcher.score(b, dob_b))
    return out


__all__ = ["MATCH_THRESHOLD", "InvalidNameError", "NameMatch", "NameMatcher", "match_many", "match_names", "spelling_system", "surname_commonness"]
