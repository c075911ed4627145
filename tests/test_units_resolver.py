"""The unit resolver: mentions in nl, de, en, ru, uk and fr resolve to gazetteer units.

The table runs through `UnitResolver.from_store` on SQLite and PostgreSQL after
`load_gazetteer`, and per mention through the bundled gazetteer (one test case each).
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from awol.store.schema import UnitAliasRow, UnitRow
from awol.units.gazetteer import read_extra_aliases, read_gazetteer, with_extra_aliases
from awol.units.loading import load_gazetteer, units_from_store
from awol.units.resolver import UnitResolver

# (mention, language, expected unit id or None)
MENTIONS = [
    # The issue's own examples: one unit in five renderings, and inflected forms.
    ("20e gemotoriseerde gardedivisie", "nl", "ru-20-gmrd"),
    ("20. Garde-Motorschützendivision", "de", "ru-20-gmrd"),
    ("20-я гвардейская мотострелковая дивизия", "ru", "ru-20-gmrd"),
    ("20-й гв. мсд", "ru", "ru-20-gmrd"),
    ("20th Guards Motor Rifle Division", "en", "ru-20-gmrd"),
    ("в 20-й гвардейской мотострелковой дивизии", "ru", "ru-20-gmrd"),
    # English
    ("the 20th Guards Motor Rifle Division", "en", "ru-20-gmrd"),
    ("20th Guards Motorized Rifle Division", "en", "ru-20-gmrd"),
    ("the 20th GMRD", "en", "ru-20-gmrd"),
    ("the 20th MRD", "en", "ru-20-gmrd"),
    ("1st GTA", "en", "ru-1-gta"),
    ("in the 1st Guards Tank Army", "en", "ru-1-gta"),
    ("the 20th GCAA", "en", "ru-20-gcaa"),
    ("the 58th CAA", "en", "ru-58-caa"),
    ("58th Army", "en", "ru-58-caa"),
    ("the 2nd AC", "en", "ru-2-ac"),
    ("the 255th MRR", "en", "ru-255-mrr"),
    ("255th Motor Rifle Regiment", "en", "ru-255-mrr"),
    ("the 76th Airborne Division", "en", "ru-76-gaad"),
    ("the 4th Guards Kantemirovskaya Tank Division", "en", "ru-4-gtd"),
    ("the Kantemirovskaya division", "en", "ru-4-gtd"),
    ("155th Naval Infantry Brigade", "en", "ru-155-gnibr"),
    ("the 36th Separate Motor Rifle Brigade", "en", "ru-36-omsbr"),
    ("the 45th Spetsnaz Brigade", "en", "ru-45-gspbr"),
    ("the 6th Cossack Brigade", "en", "ru-6-omsbr"),
    ("the 18th Guards Division", "en", "ru-18-gmrd"),
    ("the 56th Guards Air Assault Brigade", "en", "ru-56-gaar"),
    ("the Southern Military District", "en", "ru-smd"),
    ("in the Northern Fleet", "en", "ru-nf"),
    ("military unit 58550", "en", "ru-20-gmrd"),
    ("military unit No. 58550", "en", "ru-20-gmrd"),
    # Russian: cases, abbreviations, unit numbers
    ("20-ю гвардейскую мотострелковую дивизию", "ru", "ru-20-gmrd"),
    ("20-й гвардейской мотострелковой дивизией", "ru", "ru-20-gmrd"),
    ("военнослужащие 20-й мотострелковой дивизии", "ru", "ru-20-gmrd"),
    ("с 20-й дивизией", "ru", "ru-20-gmrd"),
    ("20 гв. мсд", "ru", "ru-20-gmrd"),
    ("255-й мотострелковый полк", "ru", "ru-255-mrr"),
    ("в 255-м мотострелковом полку", "ru", "ru-255-mrr"),
    ("255-м мотострелковым полком", "ru", "ru-255-mrr"),
    ("из 255-го полка", "ru", "ru-255-mrr"),
    ("255 мсп", "ru", "ru-255-mrr"),
    ("64 омсбр", "ru", "ru-64-omsbr"),
    ("64-й отдельной мотострелковой бригады", "ru", "ru-64-omsbr"),
    ("58 ОА", "ru", "ru-58-caa"),
    ("в 58-й армии", "ru", "ru-58-caa"),
    ("58-я общевойсковая армия", "ru", "ru-58-caa"),
    ("1 гв. ТА", "ru", "ru-1-gta"),
    ("в 1-й танковой армии", "ru", "ru-1-gta"),
    ("76-я дшд", "ru", "ru-76-gaad"),
    ("98 гв. вдд", "ru", "ru-98-gad"),
    ("217 гв. пдп", "ru", "ru-217-gpr"),
    ("810 гв. обрмп", "ru", "ru-810-gnibr"),
    ("в 106-й воздушно-десантной дивизии", "ru", "ru-106-gad"),
    ("бойцы 155-й бригады морской пехоты", "ru", "ru-155-gnibr"),
    ("45-я бригада спецназа", "ru", "ru-45-gspbr"),
    ("21-я бригада оперативного назначения", "ru", "ru-21-obron"),
    ("3-го армейского корпуса", "ru", "ru-3-ac"),
    ("7-я горная дивизия", "ru", "ru-7-gmaad"),
    ("в Южном военном округе", "ru", "ru-smd"),
    ("Псковской дивизии", "ru", "ru-76-gaad"),
    ("в/ч 58550", "ru", "ru-20-gmrd"),
    ("войсковой части 58550", "ru", "ru-20-gmrd"),
    # Ukrainian
    ("20-та гвардійська мотострілецька дивізія", "uk", "ru-20-gmrd"),
    ("20-ї гвардійської мотострілецької дивізії", "uk", "ru-20-gmrd"),
    ("у 20-й гвардійській мотострілецькій дивізії", "uk", "ru-20-gmrd"),
    ("20-ю гвардійською мотострілецькою дивізією", "uk", "ru-20-gmrd"),
    ("255-го мотострілецького полку", "uk", "ru-255-mrr"),
    ("1-ша гвардійська танкова армія", "uk", "ru-1-gta"),
    ("бійці 155-ї бригади морської піхоти", "uk", "ru-155-gnibr"),
    ("40-ї окремої бригади морської піхоти", "uk", "ru-40-nibr"),
    ("Південного військового округу", "uk", "ru-smd"),
    ("Кантемирівської дивізії", "uk", "ru-4-gtd"),
    ("військова частина 58550", "uk", "ru-20-gmrd"),
    ("військової частини 58550", "uk", "ru-20-gmrd"),
    # German
    ("der 20. Garde-Motorschützendivision", "de", "ru-20-gmrd"),
    ("des 255. Garde-Motorschützenregiments", "de", "ru-255-mrr"),
    ("1. Garde-Panzerarmee", "de", "ru-1-gta"),
    ("die 4. Garde-Panzerdivision", "de", "ru-4-gtd"),
    ("76. Garde-Luftsturmdivision", "de", "ru-76-gaad"),
    ("die 61. Marineinfanteriebrigade", "de", "ru-61-nibr"),
    ("58. Armee", "de", "ru-58-caa"),
    ("im Südlichen Militärbezirk", "de", "ru-smd"),
    ("Militäreinheit 58550", "de", "ru-20-gmrd"),
    # Dutch
    ("de 20ste gemotoriseerde infanteriedivisie", "nl", "ru-20-gmrd"),
    ("de 76e Luchtlandingsdivisie", "nl", "ru-76-gaad"),
    ("155e Garde-mariniersbrigade", "nl", "ru-155-gnibr"),
    ("1e Garde-Tankleger", "nl", "ru-1-gta"),
    ("het 58e leger", "nl", "ru-58-caa"),
    ("het 255e gemotoriseerde garderegiment", "nl", "ru-255-mrr"),
    ("militaire eenheid 58550", "nl", "ru-20-gmrd"),
    # French
    ("20e division de fusiliers motorisés de la Garde", "fr", "ru-20-gmrd"),
    ("la 20ème division de fusiliers motorisés", "fr", "ru-20-gmrd"),
    ("1re armée blindée de la Garde", "fr", "ru-1-gta"),
    ("le 1er corps d'armée", "fr", "ru-1-ac"),
    ("la 76e division d'assaut aérien", "fr", "ru-76-gaad"),
    ("la 155e brigade d'infanterie navale", "fr", "ru-155-gnibr"),
    ("la 58e armée", "fr", "ru-58-caa"),
    ("District militaire du Sud", "fr", "ru-smd"),
    ("unité militaire 58550", "fr", "ru-20-gmrd"),
    # Transliterated Russian
    ("20-ya gvardeyskaya motostrelkovaya diviziya", "en", "ru-20-gmrd"),
    ("255-y motostrelkovyy polk", "en", "ru-255-mrr"),
    ("76-ya desantno-shturmovaya diviziya", "en", "ru-76-gaad"),
    ("64-ya otdelnaya motostrelkovaya brigada", "en", "ru-64-omsbr"),
    ("255 msp", "en", "ru-255-mrr"),
    ("v/ch 58550", "en", "ru-20-gmrd"),
    # Negatives: unknown units, foreign units, things that look like designations.
    ("military unit 12345", "en", None),
    ("в/ч 12345", "ru", None),
    ("v/ch 12345", "en", None),
    ("в/ч А0536", "uk", None),
    ("the 999th Motor Rifle Regiment", "en", None),
    ("the 18th division", "en", None),  # two 18th divisions: nothing decides
    ("the 1st Guards Regiment", "en", None),  # tank or motor rifle: nothing decides
    ("Ukraine's 47th Mechanized Brigade", "en", None),
    ("the Ukrainian 3rd Assault Brigade", "en", None),
    ("47-ма окрема механізована бригада ЗСУ", "uk", None),
    ("36-та окрема бригада морської піхоти ЗСУ", "uk", None),
    ("47 ОМБр", "uk", None),
    ("47-я механизированная бригада ВСУ", "ru", None),
    ("бригада ВСУ", "ru", None),
    ("die ukrainische 47. Mechanisierte Brigade", "de", None),
    ("de Oekraïense 47e gemechaniseerde brigade", "nl", None),
    ("la 47e brigade mécanisée ukrainienne", "fr", None),
    ("the 82nd Airborne Division", "en", None),
    ("the US 3rd Infantry Division", "en", None),
    ("NATO's 1st Armoured Division", "en", None),
    ("11 Luchtmobiele Brigade", "nl", None),
    ("die 45. Panzerbrigade der Bundeswehr", "de", None),
    ("the 20th century", "en", None),
    ("20e eeuw", "nl", None),
    ("20. Jahrhundert", "de", None),
    ("le 20e siècle", "fr", None),
    ("20 soldiers", "en", None),
    ("20 divisions", "en", None),
    ("2 дивизии", "ru", None),
    ("3 полка", "ru", None),
    ("статья 337", "ru", None),
    ("ч. 5 ст. 337 УК РФ", "ru", None),
    ("Article 337", "en", None),
    ("12 March 2024", "en", None),
    ("am 20. Februar", "de", None),
    ("груз 200", "ru", None),
    ("500-й", "ru", None),
    ("5 лет колонии", "ru", None),
]

NEGATIVES = [m for m in MENTIONS if m[2] is None]


def test_the_table_covers_six_languages_and_enough_negatives():
    assert len(MENTIONS) >= 90
    assert {lang for _, lang, _ in MENTIONS} == {"nl", "de", "en", "ru", "uk", "fr"}
    assert len(NEGATIVES) >= 15


@pytest.fixture(scope="module")
def bundled() -> UnitResolver:
    return UnitResolver.from_gazetteer()


@pytest.mark.parametrize("mention, lang, expected", MENTIONS, ids=[m[0] for m in MENTIONS])
def test_mention_resolves_to_the_expected_unit(bundled, mention, lang, expected):
    match = bundled.resolve(mention, lang)
    assert (match.unit.id if match else None) == expected, match


def test_every_mention_resolves_the_same_from_the_knowledge_base(store):
    """SQLite and PostgreSQL: the table through UnitResolver.from_store after load_gazetteer."""
    load_gazetteer(store)
    resolver = UnitResolver.from_store(store)
    wrong = []
    for mention, lang, expected in MENTIONS:
        match = resolver.resolve(mention, lang)
        if (match.unit.id if match else None) != expected:
            wrong.append((mention, expected, match))
        # without the language hint the answer is the same
        plain = resolver.resolve(mention)
        if (plain.unit.id if plain else None) != expected:
            wrong.append((mention, expected, plain))
    assert wrong == []


# --------------------------------------------------------------------------- scores and via


def test_a_unit_number_says_so(bundled):
    match = bundled.resolve("в/ч 58550")
    assert (match.unit.id, match.score, match.via) == ("ru-20-gmrd", 1.0, "military unit number 58550")
    assert bundled.resolve("58550").unit.id == "ru-20-gmrd"


def test_an_exact_alias_scores_one(bundled):
    match = bundled.resolve("20. Garde-Motorschützendivision")
    assert (match.score, match.via) == (1.0, "alias")


def test_the_score_is_lower_when_the_type_is_not_stated(bundled):
    full = bundled.resolve("в 255-м гвардейском мотострелковом полку")
    bare = bundled.resolve("в 255-м полку")
    assert full.unit.id == bare.unit.id == "ru-255-mrr"
    assert bare.score < full.score
    assert "type unstated" in bare.via
    assert full.via == "number+echelon+type+guards"


def test_guards_decides_between_two_units_of_the_same_number_and_echelon(bundled):
    assert bundled.resolve("the 18th division") is None
    assert bundled.resolve("18-я гвардейская дивизия").unit.id == "ru-18-gmrd"
    assert bundled.resolve("18-я пулемётно-артиллерийская дивизия").unit.id == "ru-18-mgad"


def test_an_ambiguous_mention_is_reported_with_its_candidates(bundled):
    [mention] = bundled.find_mentions("Soldiers of the 1st Guards Regiment left.")
    assert mention.unit is None
    assert mention.via == "ambiguous: ru-1-gmrr, ru-1-gtr"


# --------------------------------------------------------------------------- documents

DOCUMENTS = {
    "en": (
        "In the 20th century the army was larger. On 12 March 2024, 20 soldiers of the 20th Guards "
        "Motor Rifle Division left their posts; the division (military unit 58550) asked for help. "
        "Ukraine's 47th Mechanized Brigade and the US 82nd Airborne Division were not involved. "
        "Under Article 337, 5 years. The 1st Guards Tank Army's 4th Guards Tank Division also lost "
        "men, as did the 999th Motor Rifle Regiment.",
        [
            ("20th Guards Motor Rifle Division", "ru-20-gmrd"),
            ("military unit 58550", "ru-20-gmrd"),
            ("47th Mechanized Brigade", None),
            ("82nd Airborne Division", None),
            ("1st Guards Tank Army", "ru-1-gta"),
            ("4th Guards Tank Division", "ru-4-gtd"),
            ("999th Motor Rifle Regiment", None),
        ],
    ),
    "ru": (
        "В 20-й гвардейской мотострелковой дивизии (в/ч 58550) с начала войны самовольно оставили "
        "часть 1010 военнослужащих. По ч. 5 ст. 337 УК РФ им грозит до 10 лет. Груз 200 пришёл "
        "5 марта 2023 года. Бойцы 255-го полка и 47-й механизированной бригады ВСУ. В 3-м батальоне "
        "255-го мотострелкового полка — 151 дезертир. 2 дивизии стояли рядом. В/ч 12345 не "
        "существует. Автоматы АК-74, 2 АК-47 и Су-34 — не части.",
        [
            ("20-й гвардейской мотострелковой дивизии", "ru-20-gmrd"),
            ("в/ч 58550", "ru-20-gmrd"),
            ("255-го полка", "ru-255-mrr"),
            ("47-й механизированной бригады ВСУ", None),
            ("3-м батальоне", None),
            ("255-го мотострелкового полка", "ru-255-mrr"),
            ("В/ч 12345", None),
        ],
    ),
    "uk": (
        "Військова частина 58550 — це 20-та гвардійська мотострілецька дивізія ЗС РФ. 47-ма окрема "
        "механізована бригада ЗСУ відбила атаку. У 20-й гвардійській мотострілецькій дивізії за 2022 "
        "рік понад 1000 випадків СЗЧ, про це пише 4-та гвардійська танкова дивізія. Стаття 337, "
        "20 століття. в/ч А0536 — українська.",
        [
            ("Військова частина 58550", "ru-20-gmrd"),
            ("20-та гвардійська мотострілецька дивізія", "ru-20-gmrd"),
            ("47-ма окрема механізована бригада ЗСУ", None),
            ("20-й гвардійській мотострілецькій дивізії", "ru-20-gmrd"),
            ("4-та гвардійська танкова дивізія", "ru-4-gtd"),
            ("в/ч А0536", None),
        ],
    ),
    "de": (
        "Am 20. Februar 2024 meldete die 20. Garde-Motorschützendivision (Militäreinheit 58550) "
        "1.010 Fahnenflüchtige. Im 20. Jahrhundert war das anders. Die ukrainische 47. "
        "Mechanisierte Brigade und die 45. Panzerbrigade der Bundeswehr sind nicht gemeint. "
        "Soldaten des 255. Garde-Motorschützenregiments flohen aus dem Südlichen Militärbezirk.",
        [
            ("20. Garde-Motorschützendivision", "ru-20-gmrd"),
            ("Militäreinheit 58550", "ru-20-gmrd"),
            ("47. Mechanisierte Brigade", None),
            ("45. Panzerbrigade der Bundeswehr", None),
            ("255. Garde-Motorschützenregiments", "ru-255-mrr"),
            ("Südlichen Militärbezirk", "ru-smd"),
        ],
    ),
    "nl": (
        "In de 20e eeuw was dat anders. Op 19 november 2024 meldde iStories dat de 20e "
        "gemotoriseerde gardedivisie (militaire eenheid 58550) ruim 1010 militairen kwijt is. De "
        "11 Luchtmobiele Brigade en de Oekraïense 47e gemechaniseerde brigade vallen erbuiten. Het "
        "255e gemotoriseerde garderegiment verloor 151 man.",
        [
            ("20e gemotoriseerde gardedivisie", "ru-20-gmrd"),
            ("militaire eenheid 58550", "ru-20-gmrd"),
            ("11 Luchtmobiele Brigade", None),
            ("47e gemechaniseerde brigade", None),
            ("255e gemotoriseerde garderegiment", "ru-255-mrr"),
        ],
    ),
    "fr": (
        "Au XXe siècle, au 20e siècle, tout était différent. Le 19 novembre 2024, la 20e division "
        "de fusiliers motorisés de la Garde (unité militaire 58550) a perdu 1 010 soldats. La 47e "
        "brigade mécanisée ukrainienne n'est pas concernée. Le 255e régiment et le 1er corps "
        "d'armée aussi. Article 337 : 5 ans.",
        [
            ("20e division de fusiliers motorisés de la Garde", "ru-20-gmrd"),
            ("unité militaire 58550", "ru-20-gmrd"),
            ("47e brigade mécanisée ukrainienne", None),
            ("255e régiment", "ru-255-mrr"),
            ("1er corps d'armée", "ru-1-ac"),
        ],
    ),
}


@pytest.mark.parametrize("lang", sorted(DOCUMENTS))
def test_find_mentions_in_a_document(bundled, lang):
    text, expected = DOCUMENTS[lang]
    mentions = bundled.find_mentions(text, lang)
    for m in mentions:
        assert text[m.start:m.end] == m.text
    assert [(m.text, m.unit.id if m.unit else None) for m in mentions] == expected


def test_foreign_units_are_never_russian_units(bundled):
    text = DOCUMENTS["en"][0]
    foreign = [m for m in bundled.find_mentions(text) if m.side]
    assert [(m.text, m.side, m.unit) for m in foreign] == [
        ("47th Mechanized Brigade", "ua", None), ("82nd Airborne Division", "nato", None)]


def test_a_list_of_numbers_shares_the_unit_words(bundled):
    mentions = bundled.find_mentions("бойцы 20-й и 150-й мотострелковых дивизий")
    assert [(m.text, m.unit.id) for m in mentions] == [
        ("20-й", "ru-20-gmrd"), ("150-й мотострелковых дивизий", "ru-150-mrd")]


def test_name_without_number_is_found_inflected(bundled):
    text = "Контрактники Кантемировской дивизии и Северного флота."
    assert [(m.text, m.unit.id) for m in bundled.find_mentions(text, "ru")] == [
        ("Кантемировской дивизии", "ru-4-gtd"), ("Северного флота", "ru-nf")]


def test_every_gazetteer_name_and_alias_finds_its_own_unit(bundled):
    """Each name and alias of the gazetteer, read as text, finds its unit (and no other)."""
    skipped = {"WMD", "MMD", "LMD", "SMD", "CMD", "EMD", "Slavyanka", "South Battalion",
               "Kalmius battalion (2014 origin)"}
    wrong = []
    for unit in bundled.units.values():
        for name in (unit.name_en, unit.name_ru, *unit.aliases):
            if name in skipped:
                continue
            ids = {m.unit.id for m in bundled.find_mentions(name) if m.unit}
            if ids != {unit.id}:
                wrong.append((unit.id, name, ids))
    assert wrong == []


@pytest.mark.slow
def test_find_mentions_is_fast(bundled):
    """Target: at least 1,000 documents of 4 KB a second on one core (checked loosely here)."""
    base = " ".join(text for text, _ in DOCUMENTS.values())
    docs = [(base * 3)[i:i + 4096] for i in range(0, 400)]
    started = time.process_time()
    for doc in docs:
        bundled.find_mentions(doc)
    rate = len(docs) / (time.process_time() - started)
    assert rate > 300, f"{rate:.0f} documents/s"


# --------------------------------------------------------------------------- loading


def _snapshot(store):
    with store.session() as session:
        units = [tuple(getattr(r, c.name) for c in UnitRow.__table__.columns)
                 for r in session.scalars(select(UnitRow).order_by(UnitRow.id))]
        aliases = session.execute(
            select(UnitAliasRow.id, UnitAliasRow.unit_id, UnitAliasRow.alias).order_by(UnitAliasRow.id)
        ).all()
    return units, [tuple(a) for a in aliases]


def test_loading_the_gazetteer_twice_changes_nothing(store):
    gazetteer = with_extra_aliases(read_gazetteer())
    assert load_gazetteer(store) == len(gazetteer) == 141
    first = _snapshot(store)
    assert load_gazetteer(store) == 141
    assert _snapshot(store) == first
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(UnitAliasRow)) == sum(
            len(set(u.aliases)) for u in gazetteer)


def test_units_read_back_from_the_store_equal_the_gazetteer(store):
    load_gazetteer(store)
    expected = sorted(with_extra_aliases(read_gazetteer()), key=lambda u: u.id)
    assert units_from_store(store) == expected


def test_extra_aliases_name_existing_units_and_say_why():
    import csv

    from awol.units.gazetteer import EXTRA_ALIASES_CSV, gazetteer

    assert set(read_extra_aliases()) <= set(gazetteer())
    with EXTRA_ALIASES_CSV.open(encoding="utf-8") as handle:
        assert all(row["note"].strip() for row in csv.DictReader(handle))
