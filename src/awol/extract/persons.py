"""Named persons and their roles.

Latin script: a run of capitalised words is a person when it starts with a known first name
(data/first_names.txt), ends in a Slavic surname ending ("-ov", "-ski", "-enko"…), or follows
a role word ("luitenant", "analyst", "командир"). Cyrillic: pymorphy3's Name/Surn/Patr
grammemes. Later partial mentions ("Sterliadnikov") join the fullest form; the name is output
as first written. The role comes from cue words in the sentences that mention the person.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field

from awol.extract.cues import first_names, lexicon
from awol.model import PersonMention

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЇЄҐ"
_LOWER = "a-zß-öø-ÿā-žа-яёіїєґ"
_NAME_TOKEN = rf"[{_UPPER}][{_LOWER}]+(?:['’-][{_UPPER}{_LOWER}][{_LOWER}]+)?"
# Name particles between a first name and a surname: "Jaap de Vries", "Ursula von der Leyen".
_PARTICLE = r"(?:van der|van den|van de|van|von der|von|de la|de|du|del|della|da|di|ten|ter|le|la)"
_RUN = re.compile(rf"{_NAME_TOKEN}(?:(?:[ \u00a0]{_NAME_TOKEN}){{0,2}}[ \u00a0]{_PARTICLE}[ \u00a0]{_NAME_TOKEN}"
                  rf"(?![ \u00a0]{_NAME_TOKEN})|(?:[ \u00a0]{_NAME_TOKEN}){{0,3}})")
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_TOKEN = re.compile(r"\S+")
_SLAVIC_SURNAME = re.compile(
    r"(?:ov|ev|ova|eva|ow|ew|owa|ewa|off|in|ina|yn|yna|sky|ski|skiy|skyi|skij|skii|skaya|skaja|ska|enko|uk|yuk|juk|chuk|ich|vich|witsch|itsch|vitch|yan|jan|shvili|dze|ko|ak|ik|iak|yak|ev)$"
)
_CYR_SURNAME = re.compile(
    r"(?:ов|ев|ёв|ова|ева|ин|ина|ын|ский|ская|цкий|цкая|енко|ук|юк|чук|ич|вич|ян|швили|дзе|ко|ых|их|ова|ий)[аеуыиом]?[йм]?$"
)
# Capitalised words that begin sentences or titles and are never names.
_STOP = frozenset(
    """
    de het een en van in op met voor door naar bij uit over als maar ook dat die deze dit zijn
    hij zij ze wij wie wat waar volgens sinds tegen toen nu daar hier veel er ik je jij u
    der die das ein eine und mit von zu im am auf für bei nach seit laut wie wer was wenn aber
    auch dass sie er es wir ihr
    the a an and of in on at for with by from to as but also that this these those he she they
    we who what when where according since after before during
    le la les un une des et de du au aux en dans pour par sur avec selon depuis mais il elle ils
    в на с по из за от для о об при как что это этот эта эти он она они мы кто когда где но и
    также по словам после до у к со ещё еще уже сам
    у на з за від для про при як що це цей ця ці він вона вони ми хто коли де але і та також
    після до в зі люди люде рада
    """.split()
)
_HEADS_OF_STATE = frozenset(
    "putin poetin poutine путин путіна путин zelensky zelenski zelenskyy selenskyj zelensky "
    "зеленский зеленський macron biden trump scholz shoigu шойгу belousov белоусов".split()
)
_ROLE_PRIORITY = ("deserter", "commander", "researcher", "journalist", "official", "other")


@dataclass
class _Person:
    name: str
    tokens: tuple[str, ...]
    start: int
    mentions: list[tuple[int, int]] = field(default_factory=list)


def fold(name: str) -> str:
    """Lower case, no diacritics, Cyrillic transliterated: for comparing names."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(_TRANSLIT.get(ch, ch) for ch in text)


_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya", "'": "", "’": "",
}


def find_persons(text: str, lang: str, sentences: list[tuple[int, int]], exclude: list[tuple[int, int]]) -> list[PersonMention]:
    """Persons named in the text, once each, with a role."""
    lower = text.lower()
    people: list[_Person] = []
    names = first_names()
    for run in _RUN.finditer(text):
        if _cannot_name(run.group(), names, lang):
            continue
        for start, end in _person_spans(text, lower, run, lang):
            if any(s <= start < e or s < end <= e for s, e in exclude):
                continue
            name = text[start:end]
            tokens = tuple(fold(t) for t in name.split())
            if len(tokens) == 1 and tokens[0] in _HEADS_OF_STATE and not _acts(text, end, lang):
                continue
            _merge(people, name, tokens, start, end)
    result = []
    for person in people:
        result.append(PersonMention(name=person.name, role=_role(person, text, lang, sentences),
                                    span=person.mentions[0]))
    return result


@lru_cache(maxsize=1)
def _months() -> frozenset[str]:
    from awol.lexicon import month_forms

    return frozenset(month_forms())


def _acts(text: str, end: int, lang: str) -> bool:
    """A head of state who says or does something right after being named (not "Putin's war")."""
    after = text[end:end + 30].lower()
    if after.startswith(("'s", "’s", "s ", "’", "'")):
        return False
    return bool(re.match(r"[\s,]*(?:\w+\s+){0,1}(?:said|says|told|ordered|signed|zei|zegt|sagte|sagt|"
                         r"unterzeichnete|a déclaré|déclare|a signé|заявил|сказал|подписал|приказал|заявив|сказав|підписав)", after))


_POSSESSIVE = re.compile(r"(?:'s|’s|s|')$")


def _cannot_name(run: str, names: frozenset[str], lang: str) -> bool:
    """Cheap prefilter: a single Latin-script capitalised word ("Gericht", "Soldaten") can only
    be a person when it is a known first name (possibly possessive) or, outside German, a
    Slavic-looking surname. Most runs in German (every noun is capitalised) stop here;
    `_person_spans` would yield nothing for them."""
    word = run.lower()
    if word in names or " " in run or "\u00a0" in run or _CYRILLIC.search(run):
        return False
    if word[-1] in "s'’" and _POSSESSIVE.sub("", word) in names:
        return False
    return lang == "de" or not _SLAVIC_SURNAME.search(word)


def _person_spans(text: str, lower: str, run: re.Match, lang: str):
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text, run.start(), run.end())]
    # Drop leading stop words ("Volgens", "Laut", "По") and possessive trailing tokens.
    while tokens and text[tokens[0][0]:tokens[0][1]].lower() in _STOP:
        tokens = tokens[1:]
    if not tokens:
        return
    # Part of a hyphenated compound ("Ростов-на-Дону", "Би-би-си") or a month ("Март", "Jan."): no name.
    while tokens and (text[tokens[-1][1]:tokens[-1][1] + 1] == "-" or text[tokens[0][0] - 1:tokens[0][0]] == "-"):
        tokens = tokens[:-1] if text[tokens[-1][1]:tokens[-1][1] + 1] == "-" else tokens[1:]
    if not tokens:
        return
    words = [text[s:e] for s, e in tokens]
    if len(words) == 1 and (words[0].lower() in _months() or re.match(r"\.\s*\d", text[tokens[0][1]:tokens[0][1] + 4])):
        return
    cyrillic = bool(_CYRILLIC.search(words[0]))
    if cyrillic:
        yield from _cyrillic_spans(text, lower, tokens, words, lang)
        return
    names = first_names()
    # A rank or title at the head of the run ("Oberst Wadim Nikolajew", "Brigadekommandeur …").
    titled = False
    while len(tokens) > 2 and words[0].lower() not in names and _is_role_word(words[0], lang) and \
            words[1][:1].isupper():
        tokens, words, titled = tokens[1:], words[1:], True
    if len(words) == 2 and words[0].lower() not in names and _is_role_word(words[0], lang) and \
            not _is_role_word(words[1], lang):
        tokens, words, titled = tokens[1:], words[1:], True
    first = next((i for i, w in enumerate(words) if w.lower() in names), None)
    if first is None and len(words) >= 2 and words[0][:1].isupper() and \
            not any(w.lower() in _STOP for w in words if w[:1].isupper()) and (
            titled or _role_adjacent(text, lower, tokens[0][0], lang)):
        # "politiewoordvoerder Lars Haugen", "la chercheuse Anne Lefèvre": a role word right
        # before two or more capitalised words names the person.
        yield tokens[0][0], tokens[-1][1]
        return
    if first is None:
        # A possessive first name: "Michails regiment", "Michail's".
        stem = re.sub(r"(?:'s|’s|s|')$", "", words[0])
        if len(words) == 1 and stem.lower() in names:
            yield tokens[0][0], tokens[0][0] + len(stem)
            return
    if first is not None:
        tokens, words = tokens[first:], words[first:]
        yield tokens[0][0], tokens[-1][1]
        return
    if len(words) >= 2 and _SLAVIC_SURNAME.search(words[-1].lower()) and _role_before(lower, tokens[0][0], lang):
        yield tokens[0][0], tokens[-1][1]
        return
    if _SLAVIC_SURNAME.search(words[-1].lower()) and len(words) <= 2 and len(words[-1]) >= 5 and (
        lang != "de" or len(words) == 2) and (
        _role_before(lower, tokens[0][0], lang) or (lang != "de" and _speaks_after(lower, tokens[-1][1]))
    ):
        yield tokens[0][0], tokens[-1][1]


def _cyrillic_spans(text: str, lower: str, tokens, words, lang: str):
    from awol.extract.morphology import name_tags

    kinds = []
    for word in words:
        tags = name_tags(word, "uk" if lang == "uk" else "ru")
        if "Name" in tags:
            kinds.append("name")
        elif "Patr" in tags:
            kinds.append("patr")
        elif "Surn" in tags or ("COMMON" not in tags and "Geox" not in tags and "Orgn" not in tags
                                and _CYR_SURNAME.search(word.lower())):
            kinds.append("surn")
        else:
            kinds.append("other")
    # The longest stretch of name-like tokens containing a first name or a surname.
    i = 0
    while i < len(kinds):
        if kinds[i] == "other":
            i += 1
            continue
        j = i
        while j < len(kinds) and kinds[j] != "other":
            j += 1
        stretch = kinds[i:j]
        if j - i == 1 and kinds[i] == "name" and "BEST_NAME" not in name_tags(words[i], "uk" if lang == "uk" else "ru"):
            i = j
            continue
        if "name" in stretch or (
            "surn" in stretch and (len(stretch) >= 2 or _role_before(lower, tokens[i][0], lang)
                                   or _speaks_after(lower, tokens[j - 1][1]))
        ):
            yield tokens[i][0], tokens[j - 1][1]
        i = j


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \u00a0]+$")


@lru_cache(maxsize=8)
def _role_suffix(lang: str) -> re.Pattern:
    """Role words also as the tail of a compound ("Brigadekommandeur", "politiewoordvoerder")."""
    parts = [re.sub(r"\(\?<?!\[[^\]]*\]\)", "", regex.pattern) for _, regex in lexicon(lang).roles]
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in parts) + r")(?:e|in|a)?$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _is_role_word(word: str, lang: str) -> bool:
    word = word.lower()
    if len(word) < 3:
        return False
    regex = _role_suffix(lang)
    return any(regex.match(word, i) for i in range(0, len(word) - 2))


def _role_adjacent(text: str, lower: str, start: int, lang: str) -> bool:
    """The word right before `start` is a role or rank ("onderzoeker", "chercheuse", "Oberst")."""
    m = _WORD_BEFORE.search(text, max(0, start - 40), start)
    return bool(m) and _is_role_word(m.group(1), lang)


def _role_before(lower: str, start: int, lang: str) -> bool:
    window = lower[max(0, start - 40):start]
    return any(regex.search(window) for _, regex in lexicon(lang).roles)


_SPEECH = re.compile(
    r"^[\s,]*(?:\w+\s+)?(?:zegt|zei|vertelt|sagt|sagte|says|said|told|explains|dit|a dit|explique|déclare|"
    r"говорит|сказал|сказала|рассказал|рассказала|заявил|заявила|каже|сказав|сказала|розповів|розповіла|заявив)"
)


def _speaks_after(lower: str, end: int) -> bool:
    return bool(_SPEECH.match(lower[end:end + 30]))


def _merge(people: list[_Person], name: str, tokens: tuple[str, ...], start: int, end: int) -> None:
    for person in people:
        if _same(tokens, person.tokens):
            if len(tokens) > len(person.tokens):
                person.name, person.tokens = name, tokens
            person.mentions.append((start, end))
            return
    people.append(_Person(name, tokens, start, [(start, end)]))


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One name's tokens contained in the other's, tolerating inflection ("Стерлядникова")."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(_token_match(s, l) for l in long) for s in short)


def _token_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common >= max(len(a), len(b)) - 2


def _role(person: _Person, text: str, lang: str, sentences: list[tuple[int, int]]) -> str:
    lower = text.lower()
    scores: dict[str, float] = {}
    for start, end in person.mentions:
        sentence = next(((s, e) for s, e in sentences if s <= start < e), (max(0, start - 100), end + 100))
        for role, regex in lexicon(lang).roles:
            for match in regex.finditer(lower, sentence[0], sentence[1]):
                distance = match.start() - end if match.start() >= end else start - match.end()
                weight = 1.0 / (1 + max(distance, 0) / 20)
                scores[role] = max(scores.get(role, 0.0), weight)
    if not scores:
        return "other"
    return max(scores, key=lambda r: (scores[r], -_ROLE_PRIORITY.index(r)))
