"""Department, programme and theme: text first, then the reference tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from funding.annotate.attribute import attribute, departments_named
from funding.reference import load_reference

REF = load_reference(Path(__file__).resolve().parents[1] / "data" / "raw")
MAY_2021, FEB_2022, DEC_2024 = dt.date(2021, 5, 1), dt.date(2022, 2, 2), dt.date(2024, 12, 1)


@pytest.mark.parametrize(
    "text, day, expected",
    [
        pytest.param("the Department for Education and Department for Health and Social Care are working", FEB_2022, ["DfE", "DHSC"], id="full-names-in-order"),
        pytest.param("supported by DCMS, DHSC, DLUHC, DWP, HO and MOJ", FEB_2022, ["DCMS", "DHSC", "DLUHC", "DWP", "HO", "MoJ"], id="abbreviations"),
        pytest.param("officials from the Ministry of Housing, Communities and Local Government", MAY_2021, ["MHCLG"], id="mhclg-in-2021"),
        pytest.param("MHCLG officials said", FEB_2022, ["DLUHC"], id="mhclg-renamed-by-2022"),
        pytest.param("MHCLG officials said", DEC_2024, ["MHCLG"], id="mhclg-again-from-july-2024"),
        pytest.param("the Department of Health funded it", FEB_2022, ["DHSC"], id="old-name-as-at-document-date"),
        pytest.param("SHOWN in HOME and the Honourable", FEB_2022, [], id="no-match-inside-words"),
    ],
)
def test_departments_named(text, day, expected):
    assert departments_named(text, day, REF.departments) == expected


def attribution(sentence, figure, paragraph="", day=FEB_2022, speaker=""):
    return attribute(sentence, sentence.index(figure), paragraph, day, speaker, REF)


def test_programme_owner_before_a_department_named_in_passing():
    found = attribution("MoJ works closely with partners, and our £200 million, 10-year investment in the Youth Endowment Fund is testing what works", "£200 million")
    assert (found.department, found.department_basis) == ("HO", "programme")
    assert (found.programme, found.theme, found.theme_basis) == ("Youth Endowment Fund", "serious-violence", "programme")


def attributed(sentence, figure, paragraph="", speaker="", basis="question to"):
    found = attribute(sentence, sentence.index(figure), paragraph or sentence, FEB_2022, speaker, REF, basis)
    return found.department, found.department_basis


@pytest.mark.parametrize(
    "sentence, figure, paragraph, speaker, expected",
    [
        pytest.param("The agency will receive £6 million from the Home Office and £4 million from the Department for Transport.", "£4 million", "", "DfE",
                     ("DfT", "money from"), id="money-from-a-named-body"),
        pytest.param("The agency will receive £6 million from the Home Office and £4 million from the Department for Transport.", "£6 million", "", "DfE",
                     ("HO", "money from"), id="money-from-the-nearest-body-after-the-figure"),
        pytest.param("Councils can bid for £5 million from the Department for Transport's roads fund.", "£5 million", "", "DfE",
                     ("DfE", "question to"), id="a-body-owning-a-fund-is-not-the-giver"),
        pytest.param("The Home Office is also providing £3 million to councils.", "£3 million", "", "DfE",
                     ("HO", "actor in sentence"), id="department-that-provides"),
        pytest.param("Councils received £2 million in 2024.", "£2 million",
                     "The Ministry of Justice (MoJ) is funding local partners. Councils received £2 million in 2024.", "DfE",
                     ("MoJ", "actor in sentence before"), id="department-that-provides-in-the-sentence-before"),
        pytest.param("Details of the £9 million are published on the Department for Education website.", "£9 million", "", "DfT",
                     ("DfT", "question to"), id="named-in-passing-loses-to-the-speaker"),
        pytest.param("Details of the £9 million are published on the Department for Education website.", "£9 million", "", "",
                     ("DfE", "sentence"), id="named-in-passing-with-no-speaker"),
        pytest.param("Councils received £2 million this year.", "£2 million", "The Home Office and the Cabinet Office met. Councils received £2 million this year.", "",
                     ("HO;Cabinet Office", "paragraph"), id="paragraph-last"),
        pytest.param("Councils received £2 million from the Department for Transport.", "£2 million", "", "",
                     ("DfT", "money from"), id="no-date-names-as-written"),
    ],
)
def test_department_order_of_evidence(sentence, figure, paragraph, speaker, expected):
    assert attributed(sentence, figure, paragraph, speaker) == expected


def test_no_date_keeps_the_name_as_written():
    found = attribute("£2 million from the Department for Education and Skills.", 0, "", None, "", REF)
    assert (found.department, found.department_basis) == ("DfES", "money from")


def test_department_from_the_sentence_before_in_its_paragraph():
    paragraph = "DCMS is also investing £560 million in youth services. £368 million of this is for youth clubs."
    found = attribution("£368 million of this is for youth clubs.", "£368 million", paragraph)
    assert (found.department, found.department_basis) == ("DCMS", "actor in sentence before")
    assert found.programme == ""


def test_department_from_programme_owner():
    found = attribution("an additional £200 million towards expanding Troubled Families.", "£200 million")
    assert (found.programme, found.department, found.department_basis) == ("Supporting Families", "DLUHC", "programme")


def test_department_from_the_speaker():
    found = attribution("We are investing over £14m to support family hubs.", "£14m", speaker="DfE")
    assert (found.department, found.department_basis, found.theme, found.theme_basis) == ("DfE", "speaker", "family-hubs", "keywords")


def test_nothing_known_says_unknown():
    found = attribution("A grant worth up to £1.2m.", "£1.2m")
    assert (found.department_basis, found.programme_basis, found.theme_basis) == ("unknown", "unknown", "unknown")
    assert (found.department, found.programme, found.theme) == ("", "", "")


@pytest.mark.parametrize("sentence, theme", [
    ("We give £5m to breastfeeding support.", "family-hubs"),
    ("We give £5m to BREASTFEEDING support.", "family-hubs"),
    # letters that match ASCII ones only when case is ignored (long s, Kelvin sign, dotless i)
    ("We give £5m to breaſtfeeding support.", "family-hubs"),
    ("We give £5m to breastfeeding support and ﬁve \u212aites.", "family-hubs"),
    ("We give £5m to roads.", ""),
], ids=["plain", "upper-case", "long-s", "kelvin-sign", "no-keyword"])
def test_theme_by_keywords_ignores_case_as_the_patterns_do(sentence, theme):
    assert attribute(sentence, 8, sentence, None, "", REF).theme == theme


BUDGET_DAY = dt.date(2015, 7, 8)


@pytest.mark.parametrize(
    "sentence, figure, day, expected",
    [
        pytest.param("The government will give the NHS in England £3 billion more by 2020-21.", "£3 billion", BUDGET_DAY,
                     ("DH", "subject of the sentence"), id="nhs-in-2015-is-dh"),
        pytest.param("The government will give the NHS in England £3 billion more by 2030-31.", "£3 billion", dt.date(2026, 3, 1),
                     ("DHSC", "subject of the sentence"), id="nhs-today-is-dhsc"),
        pytest.param("An extra £40 million will fill potholes on local roads.", "£40 million", BUDGET_DAY,
                     ("DfT", "subject of the sentence"), id="roads"),
        pytest.param("The Department for Transport will give £40 million to the NHS.", "£40 million", BUDGET_DAY,
                     ("DfT", "actor in sentence"), id="a-named-department-beats-the-subject"),
        pytest.param("£7 million will go to universities for research.", "£7 million", BUDGET_DAY,
                     ("BIS", "subject of the sentence"), id="a-term-of-two-departments-takes-the-one-in-force"),
        pytest.param("£7 million will go to universities.", "£7 million", dt.date(2019, 3, 1),
                     ("DfE", "subject of the sentence"), id="universities-after-2016"),
        pytest.param("£9 million will be spent on things.", "£9 million", BUDGET_DAY,
                     ("HMT", "section of the text above"), id="no-subject-keeps-the-budgets-voice"),
    ],
)
def test_a_budgets_figure_belongs_to_the_department_whose_work_it_is(sentence, figure, day, expected):
    found = attribute(sentence, sentence.index(figure), sentence, day, "HMT", REF, "section of the text above", "budget")
    assert (found.department, found.department_basis) == expected


def test_a_departments_own_voice_comes_before_the_subject_of_the_sentence():
    sentence = "We will give the NHS £3 million."
    found = attribute(sentence, sentence.index("£3"), sentence, FEB_2022, "DfE", REF, "question to", "written_answer")
    assert (found.department, found.department_basis) == ("DfE", "question to")


@pytest.mark.parametrize(
    "sentence, figure, day, expected",
    [
        pytest.param("The Environment Agency will spend £12 million on new defences.", "£12 million", FEB_2022,
                     ("DEFRA", "actor in sentence"), id="an-agency-is-its-departments"),
        pytest.param("NHS England is providing £5 million.", "£5 million", BUDGET_DAY,
                     ("DH", "actor in sentence"), id="a-body-before-its-department-was-renamed"),
    ],
)
def test_a_public_body_stands_for_its_department(sentence, figure, day, expected):
    found = attribute(sentence, sentence.index(figure), sentence, day, "", REF, "")
    assert (found.department, found.department_basis) == expected


def test_a_publishers_body_name_is_its_department():
    from funding.annotate.attribute import department_called
    assert department_called("Natural England", FEB_2022, REF.departments).dept_id == "DEFRA"
    assert department_called("Office for Budget Responsibility", FEB_2022, REF.departments) is None  # an outside body's figures
