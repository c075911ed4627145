"""Figure, unit, person and source extraction in six languages, and what must not be a figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from awol.extract import extract_text
from awol.extract.numbers import find_numbers
from awol.ingest.readers import read_document


def figures(text, lang, published="2024-12"):
    return sorted((f.category, f.value, f.qualifier) for f in extract_text(text, lang, published).figures)


# -- numbers -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang,text,value",
    [
        ("nl", "duizend", 1000),
        ("nl", "vijfentwintig", 25),
        ("de", "sechs", 6),
        ("de", "zweihundertfünfzig", 250),
        ("en", "two hundred and fifty", 250),
        ("en", "two dozen", 24),
        ("fr", "deux cent cinquante", 250),
        ("ru", "двести пятьдесят", 250),
        ("ru", "полторы тысячи", 1500),
        ("ru", "двоих", 2),
        ("uk", "двоє", 2),
        ("uk", "двісті п'ятдесят", 250),
        ("nl", "1.010", 1010),
        ("en", "1,010", 1010),
        ("ru", "1 010", 1010),
        ("ru", "1\u00a0010", 1010),
        ("ru", "10 тысяч", 10000),
        ("ru", "1,5 тыс.", 1500),
        ("de", "2 Millionen", 2_000_000),
    ],
)
def test_number_expressions_are_read_as_values(lang, text, value):
    assert [n.value for n in find_numbers(text, lang)] == [value]


@pytest.mark.parametrize("lang,text", [
    ("nl", "de 20e divisie"), ("ru", "255-й полк"), ("en", "the 20th division"), ("en", "10^12"),
    ("ru", "тысячи солдат"), ("en", "thousands of soldiers"), ("nl", "een derde"),
])
def test_ordinals_exponents_and_vague_plurals_are_not_numbers(lang, text):
    assert find_numbers(text, lang) == []


# -- figures per language --------------------------------------------------------------------
def test_dutch_list_of_losses_gives_one_figure_per_category():
    text = "In een maand sneuvelden 15 soldaten, raakten 91 gewond en deserteerden 151."
    assert figures(text, "nl") == [("deserted", 151, "exact"), ("killed", 15, "exact"), ("wounded", 91, "exact")]


def test_english_left_without_permission_is_awol_with_more_than_a_thousand():
    text = "More than a thousand soldiers left the 20th Guards Motor Rifle Division without permission."
    extraction = extract_text(text, "en", "2024-11")
    assert [(f.category, f.value, f.qualifier, f.unit_name_en) for f in extraction.figures] == [
        ("awol", 1000, "more_than", "20th Guards Motor Rifle Division")
    ]


def test_english_list_with_number_before_cue():
    text = "The regiment lost 15 killed, 91 wounded and 151 deserted in March 2022."
    assert figures(text, "en") == [("deserted", 151, "exact"), ("killed", 15, "exact"), ("wounded", 91, "exact")]


def test_german_number_words_and_qualifier():
    text = "Mindestens sechs Soldaten desertierten im Oktober, etwa 200 weitere wurden festgenommen."
    assert figures(text, "de") == [("captured", 200, "about"), ("deserted", 6, "at_least")]


def test_french_asylum_is_one_figure_not_also_desertion():
    text = "Six déserteurs russes ont obtenu l'asile en France en octobre."
    assert figures(text, "fr") == [("asylum_granted", 6, "exact")]


def test_russian_inflected_thousand_with_more_than():
    text = "С начала войны более тысячи военнослужащих самовольно оставили часть."
    assert figures(text, "ru") == [("awol", 1000, "more_than")]


def test_ukrainian_collective_numeral_and_about():
    text = "Близько 300 військовослужбовців самовільно залишили частину, ще двоє загинули."
    assert figures(text, "uk") == [("awol", 300, "about"), ("killed", 2, "exact")]


def test_russian_court_cases_are_measured_as_cases():
    text = "В 2024 году суды получили 10 308 дел о самовольном оставлении части."
    extraction = extract_text(text, "ru", "2025-01")
    assert [(f.category, f.value, f.measure) for f in extraction.figures] == [("awol", 10308, "cases")]
    assert extraction.figures[0].period_start == "2024"


def test_ukrainian_awol_cases_reported_by_tass_are_not_russian_figures():
    text = "По данным ТАСС, из ВСУ за год самовольно ушли более 10 000 украинских военнослужащих."
    extraction = extract_text(text, "ru", "2024-12")
    assert [(f.value, f.army, f.unit_id) for f in extraction.figures] == [(10000, "ua", None)]
    assert extraction.sources_cited == ["TASS"]


def test_back_reference_ties_a_figure_to_the_last_named_unit():
    text = ("De 64e gemotoriseerde gardebrigade ligt bij Koersk. "
            "Volgens de krant deserteerden ruim 200 soldaten van deze brigade.")
    extraction = extract_text(text, "nl", "2024-12")
    assert [(f.value, f.qualifier, f.unit_name_en) for f in extraction.figures] == [
        (200, "more_than", "64th Separate Guards Motor Rifle Brigade")
    ]


def test_relative_month_resolves_against_publication_date():
    text = "In oktober deserteerden 12 soldaten."
    (figure,) = extract_text(text, "nl", "2025-02").figures
    assert figure.period_start == "2024-10"


# -- what is not a figure ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "lang,text",
    [
        ("en", "No soldier deserted from the brigade."),
        ("ru", "Никто не дезертировал из бригады."),
        ("en", "Up to 500 soldiers could desert if the offensive fails."),
        ("en", "How many soldiers deserted in 2023?"),
        ("ru", "Его приговорили к 5 годам колонии по статье 337."),
        ("ru", "Груз 200 отправили домой, в/ч 58550 молчит."),
        ("en", "In 2022 soldiers of the 255th regiment deserted."),
        ("en", "About 40% of the soldiers deserted."),
        ("en", "He deserted at 25 years old and paid 3,000 dollars to smugglers."),
        ("nl", "De zes waren in 2022 en 2023 naar Frankrijk gevlucht."),
    ],
)
def test_negations_hypotheticals_questions_codes_and_terms_are_not_figures(lang, text):
    assert figures(text, lang) == []


def test_enormous_numbers_are_not_figures():
    assert figures("10^12 deserted, and 1000000000000 soldiers fled.", "en") == []


def test_empty_and_blank_documents_give_an_empty_extraction():
    for text in ("", "   \n\t "):
        extraction = extract_text(text, "nl")
        assert extraction.to_dict() == {"figures": [], "units": [], "persons": [], "sources_cited": []}


def test_document_without_figures_gives_none():
    text = "Deserteurs zijn geen verraders, zegt de onderzoeker. Het weer in Utrecht was goed."
    assert extract_text(text, "nl", "2024-12").figures == []


def test_mixed_scripts_do_not_crash_or_invent_figures():
    text = "Mediazona: 15 soldaten deserteerden; в сентябре погибли 38 человек. 🙂 ½ ∞ \u200b"
    for lang in (None, "nl", "ru"):
        extraction = extract_text(text, lang, "2024-12")
        assert {(f.category, f.value) for f in extraction.figures} <= {("deserted", 15), ("killed", 38)}
        assert extraction.figures
        assert "Mediazona" in extraction.sources_cited


def test_html_with_scripts_and_navigation_gives_only_the_article_figures(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='en'><head><title>Report</title><script>var deserted = 99999; "
        "document.write('5000 soldiers deserted');</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/2022'>2022</a> <a href='/x'>300 killed</a></nav>"
        "<article><h1>Desertion in the 20th division</h1>"
        "<p>According to iStories, 1,010 servicemen deserted the 20th Guards Motor Rifle Division "
        "between 2022 and 2024, the paper reported on 19 November 2024.</p>"
        "<p>Most of them were contract soldiers who had signed up for the war in Ukraine.</p>"
        "</article><footer>© 2024 Example Media</footer></body></html>",
        encoding="utf-8",
    )
    document = read_document(page)
    extraction = extract_text(document.text, document.language, document.published)
    values = [f.value for f in extraction.figures]
    assert 99999 not in values and 5000 not in values
    assert 1010 in values


def test_raw_markup_passed_as_text_is_ignored():
    text = "<script>var x = '500 soldiers deserted';</script><p>Twelve soldiers deserted.</p>"
    assert figures(text, "en") == [("deserted", 12, "exact")]


# -- persons and sources -------------------------------------------------------------------------
def test_russian_names_with_role_words():
    text = ("Командир бригады полковник Азатбек Омурбеков не ответил. "
            "Аналитик CIT Кирилл Михайлов говорит, что бригада не исключение.")
    persons = {p.name: p.role for p in extract_text(text, "ru", "2023-04").persons}
    assert persons.get("Азатбек Омурбеков") == "commander"
    assert persons.get("Кирилл Михайлов") == "researcher"


def test_a_possessive_head_of_state_is_not_a_person():
    persons = extract_text("Hij weigerde aan Poetins oorlog deel te nemen.", "nl", "2024-12").persons
    assert persons == []


def test_sources_are_recognised_in_inflected_cyrillic():
    text = "По подсчетам «Медиазоны», суды получили 500 дел, сообщает «Вёрстка»."
    assert extract_text(text, "ru", "2024-12").sources_cited == ["Mediazona", "Verstka"]


# -- general rules added after the dev-gold error review -------------------------------------
@pytest.mark.parametrize(
    "lang,text,value",
    [
        ("ru", "двадцати трех", 23),  # oblique cases of short lemmas (два, три, сто)
        ("ru", "более ста", 100),
        ("ru", "двухсот", 200),
        ("uk", "трьох сотень", 300),  # a plural hundred-noun after a number multiplies
        ("ru", "три сотни", 300),
        ("de", "achthundert", 800),
        ("nl", "tweehonderd", 200),
        ("fr", "quatre cents", 400),
        ("fr", "deux mille", 2000),
    ],
)
def test_oblique_and_compound_number_words(lang, text, value):
    assert [n.value for n in find_numbers(text, lang)] == [value]


def test_hundreds_alone_are_not_a_count_but_about_a_hundred_is():
    assert find_numbers("сотни людей", "ru") == []
    assert [(n.value, n.approx) for n in find_numbers("около сотни", "ru")] == [(100, True)]


def test_ukrainian_list_continues_without_a_cue_after_a_dash_and_a_pronoun():
    text = "Найбільше справ про СЗЧ зареєстрували в лютому — 16 800, у січні їх було 13 500."
    assert {(c, v) for c, v, _ in figures(text, "uk")} == {("awol", 16800), ("awol", 13500)}


def test_another_twelve_takes_the_verdicts_of_the_list_not_the_topic_noun():
    text = "Суди ухвалили 85 вироків у справах про СЗЧ і ще 12 — у справах про дезертирство."
    assert {(c, v) for c, v, _ in figures(text, "uk")} == {("convicted", 85), ("convicted", 12)}


def test_parallel_list_of_case_topics_keeps_its_own_category():
    text = "Было открыто свыше 60 тыс. уголовных производств о СЗЧ и около 10 тыс. — о дезертирстве."
    assert {(c, v) for c, v, _ in figures(text, "ru")} == {("awol", 60000), ("deserted", 10000)}


def test_russian_elliptic_month_entry_keeps_category_and_unit():
    text = ("Только в июле туда поступило 212 дел о СОЧ в отношении военнослужащих 20-й гв. мсд, "
            "в июне — 187.")
    found = {(f.category, f.value, f.unit_name_en) for f in extract_text(text, "ru", "2024-08").figures}
    assert found == {("awol", 212, "20th Guards Motor Rifle Division"),
                     ("awol", 187, "20th Guards Motor Rifle Division")}


def test_german_short_follow_up_sentence_continues_the_previous_figure():
    text = "Militärgerichte haben mehr als 5.000 Soldaten verurteilt. Allein im Oktober waren es 712."
    assert ("convicted", 712, "exact") in figures(text, "de")


def test_dutch_breakdown_after_it_concerns_continues_the_total():
    text = ("De divisie zoekt 1.010 militairen die zijn gedeserteerd. Dat meldt iStories.\n\n"
            "Volgens iStories gaat het om 858 contractsoldaten, 150 gemobiliseerden en twee dienstplichtigen.")
    assert {(c, v) for c, v, _ in figures(text, "nl")} == {
        ("deserted", 1010), ("deserted", 858), ("deserted", 150), ("deserted", 2)}


def test_french_number_after_a_colon_takes_the_cue_before_it():
    assert figures("D'autres sont revenus d'eux-mêmes : une vingtaine, selon lui.", "fr") == [
        ("returned", 20, "about")]


def test_russian_bare_number_after_the_case_topic():
    text = "Дел о дезертирстве (статья 338 УК) гораздо меньше: за тот же период их набралось около 400."
    assert figures(text, "ru") == [("deserted", 400, "about")]


def test_predicate_in_a_relative_clause_attaches_to_the_count():
    assert figures("Он защищает трех мобилизованных, которые самовольно покинули позиции.", "ru") == [
        ("awol", 3, "exact")]
    text = "Dit jaar kregen negentien Russische deserteurs en dienstweigeraars een verblijfsvergunning asiel."
    assert figures(text, "nl") == [("asylum_granted", 19, "exact")]


def test_predicate_of_the_first_count_is_not_lent_to_a_later_one():
    text = "Пятерых из них держат в подвале на территории части, еще двоих избили."
    assert figures(text, "ru") == [("captured", 5, "exact")]


def test_all_three_returned_after_a_negated_clause_is_a_new_event():
    text = ("Он защищает трех мобилизованных, которые самовольно покинули позиции. "
            "По словам адвоката, никто из них не дезертировал: все трое сами вернулись в часть.")
    assert {(c, v) for c, v, _ in figures(text, "ru")} == {("awol", 3), ("returned", 3)}


def test_the_same_group_repeated_with_a_status_word_is_not_counted_again():
    text = ("Six déserteurs russes ont obtenu l'asile en France. "
            "Les dossiers des six hommes ont été examinés par le CIT.")
    assert figures(text, "fr") == [("asylum_granted", 6, "exact")]


def test_partitive_count_takes_the_unit_of_the_group():
    text = ("Aus der 810. Garde-Marineinfanteriebrigade desertierten im September 47 Soldaten. "
            "Zwölf von ihnen wurden inzwischen festgenommen.")
    found = {(f.category, f.value, f.unit_name_en) for f in extract_text(text, "de", "2024-12").figures}
    assert ("captured", 12, "810th Separate Guards Naval Infantry Brigade") in found


def test_ranges_give_the_lower_bound_and_durations_are_not_counts():
    assert figures("Between 40 and 50 soldiers deserted.", "en") == [("deserted", 40, "at_least")]
    assert figures("Від 40 до 50 військових дезертирували.", "uk") == [("deserted", 40, "at_least")]
    assert figures("За СЗЧ карається позбавленням волі на строк від п’яти до десяти років.", "uk") == []


def test_first_months_and_paragraph_numbers_are_not_counts():
    assert figures("Plus de 9 000 militaires ont été condamnés au cours des neuf premiers mois.", "fr") == [
        ("convicted", 9000, "more_than")]
    assert figures("Volgens artikel 337, lid 5, staat op ongeoorloofde afwezigheid tot tien jaar cel.", "nl") == []


def test_out_of_a_company_is_strength_but_out_of_verdicts_is_a_count():
    assert figures("В роте из 90 человек погибли 14, еще 30 были ранены.", "ru") == [
        ("killed", 14, "exact"), ("wounded", 30, "exact")]
    text = "Из 3140 приговоров по статье 337 реальные сроки получили лишь 620 человек."
    assert {(c, v) for c, v, _ in figures(text, "ru")} == {("convicted", 3140), ("convicted", 620)}


def test_a_day_after_an_abbreviated_month_is_a_date_even_before_a_count():
    text = "On Jan. 10, TASS claimed that 300 soldiers of a Ukrainian brigade had deserted."
    assert figures(text, "en", "2024-02") == [("deserted", 300, "exact")]


def test_a_quoted_project_name_does_not_make_the_sentence_hypothetical():
    text = 'More than 400 Russian soldiers surrendered in August through the "I Want to Live" hotline.'
    assert figures(text, "en") == [("captured", 400, "more_than")]


def test_a_plan_in_the_cue_clause_and_requests_for_help_are_not_figures():
    text = "Seit Beginn hätten sich mehr als 1.500 Soldaten an die Organisation gewandt, weil sie desertieren wollten."
    assert figures(text, "de") == []
    assert figures("En Allemagne, plus de 3 000 demandes ont été déposées par des déserteurs.", "fr") == []


def test_people_questioned_are_not_a_figure():
    assert figures("Прокуратура уже вызывала на допрос трёх отказников.", "ru") == []


def test_gaps_in_multiword_cues_cross_thousands_separators():
    text = "Sindsdien keerden volgens de Kyiv Independent ruim 8.000 militairen terug naar hun eenheid."
    assert figures(text, "nl") == [("returned", 8000, "more_than")]


@pytest.mark.parametrize(
    "lang,text,expected",
    [
        ("nl", "Hij heeft meer dan duizend militairen geholpen te deserteren.", ("deserted", 1000, "more_than")),
        ("de", "Rund 500 Soldaten sei die Flucht aus der Armee bereits gelungen.", ("deserted", 500, "about")),
        ("ru", "А пятеро просто ушли ночью с позиций.", ("deserted", 5, "exact")),
        ("uk", "П’ятеро з роти просто поїхали додому.", ("deserted", 5, "exact")),
        ("ru", "В его взводе за зиму «пятисотыми» стали семеро.", ("refused", 7, "exact")),
        ("uk", "Серед тих, хто здався, — шестеро військових.", ("captured", 6, "exact")),
    ],
)
def test_cue_lexicon_covers_infinitives_escape_going_home_slang_and_surrender(lang, text, expected):
    assert figures(text, lang) == [expected]


def test_comrades_share_the_unit_of_the_text_even_in_court_figures():
    text = ("Военнослужащий 6-й отдельной гвардейской мотострелковой бригады получил срок. "
            "Двое его сослуживцев были осуждены в январе.")
    found = {(f.category, f.value, f.unit_name_en) for f in extract_text(text, "ru", "2024-12").figures}
    assert ("convicted", 2, "6th Separate Guards Cossack Motor Rifle Brigade") in found


def test_a_regional_or_general_staff_count_does_not_inherit_the_unit_of_the_text():
    text = ("Au moins 37 soldats de la 19e division de fusiliers motorisés ont été condamnés. "
            "Dans la région de Rostov, jusqu'à 60 déserteurs ont été arrêtés en octobre.")
    found = {(f.category, f.value, f.unit_name_en) for f in extract_text(text, "fr", "2025-11").figures}
    assert ("captured", 60, None) in found


def test_mixed_script_sentences_use_their_own_language_cues():
    text = ("Volgens de brief deserteerden 151 militairen. "
            "«По данным суда, 45 военнослужащих самовольно оставили часть», zei hij.")
    assert {(c, v) for c, v, _ in figures(text, "nl")} == {("deserted", 151), ("awol", 45)}
    text = 'Суд осудил 20 военных. "In total, 300 soldiers deserted and 40 were detained," the spokesman said.'
    assert {(c, v) for c, v, _ in figures(text, "ru")} == {("convicted", 20), ("deserted", 300), ("captured", 40)}


def test_fast_matcher_finds_exactly_what_the_regexes_find():
    from awol.extract.cues import lexicon

    text = ("Volgens iStories deserteerden 151 militairen; 15 sneuvelden en 91 raakten gewond. "
            "Sindsdien keerden ruim 8.000 militairen terug. Zes deserteurs kregen asiel in Frankrijk.")
    lex = lexicon("nl")
    expected = sorted((str(label), m.start(), m.end()) for label, regex in lex.matcher.items
                      for m in regex.finditer(text))
    found = sorted((str(label), m.start(), m.end()) for label, m in lex.matcher.finditer(text, text.lower()))
    assert found == expected


# -- general rules added for the harder documents (tables, ranges, label rows, nesting) -------
def _cats(text, lang):
    return sorted((f.category, f.value) for f in extract_text(text, lang, published="2025-05").figures)


def test_dash_separated_table_rows_take_their_column_headers():
    text = "Mois — déserteurs — revenus — arrêtés\nJanvier — 29 — 8 — 3\nTotal — 107 — 26 — 20\n"
    assert _cats(text, "fr") == sorted([("deserted", 29), ("returned", 8), ("captured", 3),
                                        ("deserted", 107), ("returned", 26), ("captured", 20)])


def test_brought_back_column_is_captured_not_returned():
    text = "Monat | Fahnenflucht | zurückgebracht\nJuli | 44 | 9\n"
    assert _cats(text, "de") == [("captured", 9), ("deserted", 44)]
    text = "Maand | gedeserteerd | teruggebracht\nJuli | 44 | 9\n"
    assert _cats(text, "nl") == [("captured", 9), ("deserted", 44)]


def test_label_colon_value_pairs_take_the_label():
    assert _cats("January — AWOL: 17,800; desertion: 1,900\n", "en") == [("awol", 17800), ("deserted", 1900)]


def test_french_vingt_et_un_and_dutch_ranges_of_words():
    assert [n.value for n in find_numbers("vingt et un soldats", "fr")] == [21]
    assert [n.value for n in find_numbers("tussen acht en tien", "nl")] == [8, 10]
    assert [n.value for n in find_numbers("between eight and ten", "en")] == [8, 10]


def test_combined_killed_and_wounded_is_not_a_figure():
    assert _cats("On a perdu vingt et un gars en une semaine, tués ou blessés.", "fr") == []
    assert _cats("The regiment lost 40 men killed or wounded in March.", "en") == []


def test_negated_return_from_leave_is_awol_in_dutch_and_german():
    assert _cats("In maart keerden 64 militairen van de brigade niet van verlof terug.", "nl") == [("awol", 64)]
    assert _cats("Im März kehrten 37 Soldaten nicht aus dem Urlaub zurück.", "de") == [("awol", 37)]


def test_main_verb_decides_over_relative_clause():
    text = "Der Kommandeur ließ 24 Männer festnehmen, die aus dem Urlaub nicht zurückgekehrt waren."
    assert _cats(text, "de") == [("captured", 24)]


def test_partitive_lead_in_names_the_event():
    text = ("Of the convictions, 61 were under Article 337, which punishes going absent without leave, "
            "and the remaining seven for desertion.")
    assert _cats(text, "en") == [("convicted", 7), ("convicted", 61)]


def test_whole_of_a_proportion_is_not_a_count():
    assert _cats("Aan elf van de 23 deserteurs werd inmiddels asiel verleend.", "nl") == [("asylum_granted", 11)]


def test_may_dates_are_not_figures():
    text = "Nearly 24,000 soldiers have come back to their units, the Defense Ministry said on May 15."
    assert _cats(text, "en") == [("returned", 24000)]


# -- series, tables and totals in Russian and Ukrainian (general rules) -----------------------
def test_ukrainian_month_series_continues_the_count_of_the_sentence_before():
    text = ("Справ про самовільне залишення частини, що надійшли до суду, — 231. "
            "Кількість справ зростала щомісяця: у січні їх надійшло 43, у лютому — 58, у березні — 61.")
    assert _cats(text, "uk") == [("awol", 43), ("awol", 58), ("awol", 61), ("awol", 231)]


def test_totals_row_takes_the_first_column_of_the_rows_above():
    text = ("Июнь 2024 — 58 СОЧ, 11 вернулись\nИюль 2024 — 67 СОЧ, 19 вернулись, 8 задержаны\n\n"
            "Итог в журнале за три месяца — 169 человек.")
    assert ("awol", 169) in _cats(text, "ru")
    assert ("captured", 169) not in _cats(text, "ru")


def test_ukrainian_article_408_rows_are_desertion_cases():
    text = ("Дані прокуратури.\nСічень 2025 — 1 245 проваджень за ст. 407, 87 — за ст. 408\n"
            "Лютий 2025 — 1 390 проваджень за ст. 407, 95 — за ст. 408")
    assert _cats(text, "uk") == [("awol", 1245), ("awol", 1390), ("deserted", 87), ("deserted", 95)]


def test_ukrainian_header_table_with_total_row():
    text = "Статистика.\nМісяць | СЗЧ | дезертирство\nСічень | 1 245 | 87\nВсього | 2 635 | 182"
    assert _cats(text, "uk") == [("awol", 1245), ("awol", 2635), ("deserted", 87), ("deserted", 182)]


def test_article_number_followed_by_a_measure_is_not_a_count():
    text = "Суды получили 611 дел по статье 338 и 900 дел по статье 337."
    assert _cats(text, "ru") == [("awol", 900), ("deserted", 611)]


def test_awol_adverb_before_a_leaving_verb_is_awol():
    assert _cats("Из его роты в июле самовольно ушли трое и никого из них не нашли.", "ru") == [("awol", 3)]
    assert _cats("За осень из подразделения в СЗЧ ушли сорок семь человек.", "ru") == [("awol", 47)]


def test_using_the_right_to_return_is_returned_and_thousands_abbreviations():
    text = ("Военным разрешено вернуться без наказания. Этим правом, как сообщали в Минобороны, "
            "воспользовались около 29 тысяч человек, ещё 1,2 тыс. — задержаны.")
    assert _cats(text, "ru") == [("captured", 1200), ("returned", 29000)]


def test_forecasts_durations_and_contacts_are_not_figures():
    assert _cats("«В 2026 году дел о СОЧ станет больше двадцати тысяч», — считает юрист.", "ru") == []
    assert _cats("Заседание по делу о СОЧ длится минут пятнадцать.", "ru") == []
    assert _cats("В октябре к нему обратились родственники девятерых обвиняемых по делам о СОЧ.", "ru") == []


def test_court_jurisdiction_does_not_give_the_court_count_a_unit():
    text = ("Больше всего дел о СОЧ — 1 318 — поступило в Волгоградский гарнизонный суд, которому "
            "подсудны военнослужащие 20-й гвардейской мотострелковой дивизии.")
    found = extract_text(text, "ru", "2025-12").figures
    assert [(f.category, f.value, f.unit_name_en) for f in found] == [("awol", 1318, None)]


def test_ages_on_a_roster_are_not_figures():
    text = ("Contract soldiers make up most of the deserters. "
            "The oldest deserter on the roster is 58, the youngest 19.")
    assert _cats(text, "en") == []


@pytest.mark.parametrize(
    "lang,text,name",
    [
        ("de", "Brigadekommandeur Oberst Wadim Nikolajew ließ daraufhin Männer festnehmen.", "Wadim Nikolajew"),
        ("nl", "Dat bevestigt politiewoordvoerder Lars Haugen.", "Lars Haugen"),
        ("nl", "Defensiespecialist Jaap de Vries van de Universiteit Leiden noemt de cijfers laag.", "Jaap de Vries"),
        ("fr", "Ce sont des chiffres planchers, estime la chercheuse Anne Lefèvre.", "Anne Lefèvre"),
        ("fr", "Les départs pourraient augmenter, redoute la députée Mariana Kovalenko.", "Mariana Kovalenko"),
        ("ru", "Об этом рассказал полковник Игорь Петров.", "Игорь Петров"),
    ],
)
def test_names_after_a_rank_or_role_and_with_particles(lang, text, name):
    names = [p.name for p in extract_text(text, lang, "2025-01").persons]
    assert names == [name]


def test_a_role_word_before_a_lowercase_particle_is_not_a_name():
    text = "„Verbrecher“, sagt Nikolai, ein 34-jähriger Vertragssoldat des Regiments, der im August desertierte."
    assert [p.name for p in extract_text(text, "de", "2025-01").persons] == ["Nikolai"]


def test_unit_named_by_its_number_is_the_focus_whatever_its_echelon():
    text = ("С начала 2023 года судом были осуждены не менее двухсот военнослужащих в/ч 30683.\n\n"
            "Кроме того, в суд поступили дела о самовольном оставлении части в отношении еще трехсот сорока военных.")
    found = extract_text(text, "ru", "2025-12").figures
    assert {(f.category, f.value, f.unit_name_en) for f in found} == {
        ("convicted", 200, "3rd Army Corps"), ("awol", 340, "3rd Army Corps")}


# -- tables read by structure ----------------------------------------------------------------
@pytest.mark.parametrize("text,value", [
    ("12\u2009345", 12345), ("7\u00a0001", 7001), ("3\u202f222", 3222), ("4'567", 4567), ("2’890", 2890)])
def test_thousands_separators_thin_space_and_apostrophe(text, value):
    assert [n.value for n in find_numbers(text, "de")] == [value]


def test_transposed_table_with_years_as_columns_and_sub_rows():
    text = ("Chiffres du parquet :\n\n"
            "                          2021     2022     2023\n"
            "Désertions (art. 338)     1\u202f200   2\u202f300   3\u202f400\n"
            "  dont retours volontaires     –      150      260\n"
            "Jugements                  700      800      900\n"
            "  dont acquittements         1        2        3\n")
    found = {(f.category, f.value): f.period_start for f in extract_text(text, "fr", "2024-03").figures}
    assert found[("deserted", 1200)] == "2021" and found[("deserted", 3400)] == "2023"
    assert ("returned", 150) in found and ("returned", 260) in found
    assert ("convicted", 700) in found and ("convicted", 900) in found
    assert not any(v in (1, 2, 3, 2021, 2022, 2023) for _, v in found)


def test_semicolon_table_with_article_columns_and_region_rows():
    text = ("Провадження за статтями, травень 2025\n"
            "Область; ст. 407; ст. 408\n"
            "Полтавська; 1 234; 56\n"
            "  у т.ч. м. Полтава; 800; 30\n"
            "Усього; 2 468; 112\n")
    found = [(f.category, f.value, f.unit_name_en) for f in extract_text(text, "uk", "2025-06").figures]
    assert ("awol", 1234, None) in found and ("deserted", 56, None) in found
    assert ("awol", 800, None) in found and ("deserted", 30, None) in found
    assert ("awol", 2468, None) in found and ("deserted", 112, None) in found
    assert not any(v in (407, 408) for _, v, _ in found)


def test_key_value_lines_take_their_category_from_the_label():
    text = ("Сводка бригады за квартал:\n"
            "Самовольное оставление части (ст. 337 УК РФ): 420\n"
            "   в т.ч. контрактники: 300\n"
            "Задержаны комендатурой: 77\n"
            "Списочная численность: 2 900\n")
    found = figures(text, "ru")
    assert ("awol", 420, "exact") in found and ("awol", 300, "exact") in found
    assert ("captured", 77, "exact") in found
    assert not any(v == 2900 for _, v, _ in found)


def test_slash_separated_rows_under_a_header_in_the_sentence_above():
    text = ("The memo lists the numbers as AWOL / detained / returned:\n\n"
            "Company A: 14 / 5 / 3\n"
            "Company B: 9 / 2 / 11\n")
    found = figures(text, "en")
    for item in [("awol", 14), ("captured", 5), ("returned", 3), ("awol", 9), ("captured", 2), ("returned", 11)]:
        assert (*item, "exact") in found


def test_dashes_between_cells_are_separators_not_empty_cells():
    text = ("Maand — gedeserteerd — teruggekeerd\n"
            "Mei — 21 — 4\n"
            "Juni — 18 — 6\n")
    found = figures(text, "nl")
    assert ("deserted", 21, "exact") in found and ("returned", 6, "exact") in found


def test_a_number_at_a_line_end_does_not_take_a_measure_from_the_next_line():
    text = "Gedeserteerd: 7\nTanks verloren: 3\n"
    assert ("deserted", 7, "exact") in figures(text, "nl")


def test_counts_in_parentheses_take_the_category_word_before_them():
    found = figures("Die Bilanz für Mai: Gefallene (12), Verwundete (34), Fahnenflüchtige (5).", "de")
    assert ("killed", 12, "exact") in found and ("wounded", 34, "exact") in found
    assert ("deserted", 5, "exact") in found


@pytest.mark.parametrize("lang,text,value", [
    ("ru", "Из полка дезертировали тридцать\nодин человек.", 31),
    ("en", "Officials said that nine\nthousand soldiers deserted.", 9000),
    ("fr", "Au total, mille\ncent vingt soldats ont déserté.", 1120),
])
def test_a_number_broken_across_a_line_is_one_number(lang, text, value):
    assert value in [n.value for n in find_numbers(text, lang)]
    found = extract_text(text, lang, "2024-12").figures
    assert [f.value for f in found] == [value] and "\n" in found[0].quote


# -- courts: verdicts and sentences are convictions -----------------------------------------
@pytest.mark.parametrize("lang,text,value", [
    ("en", "Judges issued verdicts in 415 of these cases.", 415),
    ("en", "Suspended sentences were the rule: 233 soldiers received one.", 233),
    ("ru", "В 57 случаях подсудимым назначили условный срок.", 57),
    ("uk", "Умовний термін отримали 44 військових.", 44),
    ("fr", "Au total, 380 militaires ont reçu des peines avec sursis.", 380),
])
def test_verdicts_and_suspended_sentences_are_convicted(lang, text, value):
    assert ("convicted", value) in [(c, v) for c, v, _ in figures(text, lang)]


def test_acquittals_are_not_figures_in_prose():
    assert figures("The court convicted 85 soldiers. Only three defendants were acquitted.", "en") == [
        ("convicted", 85, "exact")]


def test_french_elision_does_not_hide_a_cue():
    assert ("awol", 640, "exact") in figures("Le tribunal a reçu 640 affaires d'abandon de poste.", "fr")


def test_an_article_in_parentheses_decides_a_list_element_after_a_dash():
    found = figures("Дел о дезертирстве поступило меньше (18), о неисполнении приказа (ст. 332) — 9.", "ru")
    assert ("deserted", 18, "exact") in found and ("refused", 9, "exact") in found


# -- units: a sub-unit before its parent ---------------------------------------------------
def _units(text, lang):
    return [(f.category, f.value, f.unit_name_en) for f in extract_text(text, lang, "2024-12").figures]


def test_a_regiment_qualified_by_its_division_keeps_the_regiment():
    found = _units("Із 15-го гвардійського мотострілецького полку 2-ї гвардійської мотострілецької "
                   "Таманської дивізії дезертирували 52 військовослужбовці.", "uk")
    assert found == [("deserted", 52, "15th Guards Motor Rifle Regiment")]


def test_a_battalion_of_a_named_regiment_takes_the_regiment_not_its_division():
    text = ("Het 137e Garde-parachutistenregiment valt onder de 106e Garde-Luchtlandingsdivisie. "
            "Een officier zei: 'In mijn bataljon zijn in mei negen man gesneuveld.'")
    assert ("killed", 9, "137th Guards Parachute Regiment") in _units(text, "nl")


def test_a_numbered_battalion_outside_the_gazetteer_takes_its_regiment():
    text = ("Из 108-го гвардейского десантно-штурмового полка бегут солдаты. "
            "В 2-м батальоне за месяц самовольно ушли семнадцать десантников.")
    assert ("awol", 17, "108th Guards Air Assault Regiment") in _units(text, "ru")


def test_a_regiment_named_last_is_the_focus_over_its_more_often_named_division():
    text = ("Die 90. Garde-Panzerdivision kämpft bei Pokrowsk. Die Division verliert Soldaten. "
            "Viele Verurteilte dienten im 239. Garde-Panzerregiment.\n\n"
            "„Aus unserer Kompanie sind im Winter fünfzehn Mann abgehauen“, sagt Ilja.")
    assert ("deserted", 15, "239th Guards Tank Regiment") in _units(text, "de")


def test_the_regiment_after_a_table_is_the_named_regiment_not_a_row_label():
    text = ("A report of the 102nd Motor Rifle Regiment gives AWOL / detained / returned:\n\n"
            "1st Battalion: 41 / 12 / 9\nTank Battalion: 12 / 3 / 2\nRegiment, total: 53 / 15 / 11\n\n"
            "In October the regiment recorded 26 killed.")
    assert ("killed", 26, "102nd Motor Rifle Regiment") in _units(text, "en")


def test_a_generic_battalion_after_a_numbered_battalion_takes_the_brigade():
    text = ("Справка штаба 38-й отдельной гвардейской мотострелковой бригады. Больше всего потерь "
            "дал 2-й мотострелковый батальон бригады. В мае батальон потерял сорок человек убитыми.")
    assert ("killed", 40, "38th Separate Guards Motor Rifle Brigade") in _units(text, "ru")


# -- speed prefilters keep the output ------------------------------------------------------------
def test_matcher_prefix_scan_finds_what_finditer_finds():
    import re

    from awol.extract.cues import Matcher, _trie

    assert re.fullmatch(_trie(["der", "des", "die", "de"]), "de")
    regexes = [("a", re.compile(r"(?<![\w'’])(?:deserteer\w*|weggelopen)(?![\w])", re.I)),
               ("b", re.compile(r"(?<![\w'’])(?:der|die) soldaten(?![\w])", re.I)),
               ("c", re.compile(r"(?<![\w'’])(?:desert\w*)(?![\w])", re.I))]
    text = "Die Soldaten der Einheit: 12 deserteerden, Deserteure und weggelopen; des Desertierens."
    matcher = Matcher(regexes)
    got = sorted((label, m.span()) for label, m in matcher.finditer(text, text.lower()))
    want = sorted((label, m.span()) for label, regex in regexes for m in regex.finditer(text))
    assert got == want


def test_german_capitalised_nouns_are_not_persons_but_first_names_are():
    text = ("Das Gericht in Moskau verurteilte am Montag Soldaten wegen Fahnenflucht. "
            "Michails Einheit lag bei Pokrowsk, sagt Vereinssprecher Rudi Friedrich.")
    names = [p.name for p in extract_text(text, "de", "2025-01").persons]
    assert "Rudi Friedrich" in names
    assert not {"Gericht", "Soldaten", "Fahnenflucht", "Einheit"} & set(names)


def test_protection_and_asylum_given_are_asylum_figures():
    assert _cats("In Deutschland erhielten 2025 insgesamt 287 russische Deserteure Schutz.", "de") == \
        [("asylum_granted", 287)]
    assert _cats("Duitsland heeft vorig jaar 57 Russische deserteurs asiel gegeven.", "nl") == \
        [("asylum_granted", 57)]
