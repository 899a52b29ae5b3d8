"""Parts of a text, each with the date and department it states; and how build uses them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from funding.annotate.document import Document
from funding.build import build_tables
from funding.annotate.parts import find_parts, parse_date
from funding.annotate.periods import resolve_period
from funding.reference import load_reference

REF = load_reference(Path(__file__).resolve().parents[1] / "data" / "raw")
D = dt.date

WRITTEN_ANSWER = """\
Schools: Buildings
Question to the Department for Education:
To ask the Secretary of State for Education, what funding she has provided for school repairs.
Answered on
17 June 2022
We are providing £50 million for repairs.
"""

GOV_UK_PAGE = """\
Press release
New money for rural buses
From: Department for Transport
Published 12 March 2023
The government is giving councils £20 million next year.
"""

PRESS_RELEASE = """\
Councils will share £8 million to repair roads.
The press release issued by the Department for Transport on 3 May 2021 said more would follow.
"""

BUNDLE = """\
[Source 1 of 3]
Question to the Home Office:
To ask the Secretary of State for the Home Department, how much was spent.
This question was answered on 24th October 2022
We spent £3 million.

[Source 2 of 3]
Ministry of Defence written statement – made on 2 February 2023.
The Ministry will invest £7 million.

[Source 3 of 3]
Our hospitals will receive £9 million, the Health and Social Care Secretary said.
"""

TWO_QUESTIONS = """\
Question to the Department for Transport:
To ask the Secretary of State for Transport, what he is doing about potholes.
Answered on 4 May 2024
We are providing £1 million.
Question to the Department for Work and Pensions:
To ask the Secretary of State for Work and Pensions, what support there is for carers.
Answered on 9 May 2024
We are providing £2 million.
"""


def parts_of(text):
    return [(text[p.start:p.end].strip().splitlines()[0], p.published, p.date_basis, p.department, p.department_basis) for p in find_parts(text, REF)]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(WRITTEN_ANSWER, [("Schools: Buildings", D(2022, 6, 17), "answered on", "DfE", "question to")], id="written-answer-date-on-next-line"),
        pytest.param(GOV_UK_PAGE, [("Press release", D(2023, 3, 12), "published", "DfT", "from")], id="gov-uk-published-and-from"),
        pytest.param(PRESS_RELEASE, [("Councils will share £8 million to repair roads.", D(2021, 5, 3), "issued on", "DfT", "issued by")], id="press-release-issued-by-on"),
        pytest.param(BUNDLE, [
            ("[Source 1 of 3]", D(2022, 10, 24), "answered on", "HO", "question to"),
            ("[Source 2 of 3]", D(2023, 2, 2), "statement made on", "MoD", "statement by"),
            ("[Source 3 of 3]", None, "", "DHSC", "title of minister"),
        ], id="bundle-of-three-with-separators"),
        pytest.param(TWO_QUESTIONS, [
            ("Question to the Department for Transport:", D(2024, 5, 4), "answered on", "DfT", "question to"),
            ("Question to the Department for Work and Pensions:", D(2024, 5, 9), "answered on", "DWP", "question to"),
        ], id="new-question-after-an-answer-starts-a-part"),
        pytest.param("(asked on 2nd March 2020)\nTo ask the Secretary of State for Justice, what is planned.\nAnswered on 9 March 2020\nNothing.\n",
                     [("(asked on 2nd March 2020)", D(2020, 3, 9), "answered on", "MoJ", "title of minister")], id="answer-date-wins-over-asked-date"),
        pytest.param("Prisons: Finance\n(asked on 2nd March 2020)\nTo ask the Secretary of State for Justice, what is planned.\n",
                     [("Prisons: Finance", D(2020, 3, 2), "asked on", "MoJ", "title of minister")], id="asked-date-when-no-answer-date"),
        pytest.param("Councils will get £4 million.\nIt is for roads.\n", [("Councils will get £4 million.", None, "", "", "")], id="no-date-no-department"),
        pytest.param("# Bus funding\nPublished: 1 April 2024\n\n# Rail funding\nLast updated 2 May 2019\n", [
            ("# Bus funding", D(2024, 4, 1), "published", "DfT", "subject of the title"),  # a title about buses: the transport department's
            ("# Rail funding", D(2019, 5, 2), "updated", "DfT", "subject of the title"),
        ], id="markdown-headings"),
        pytest.param("# Ferry money\nPublished: 1 April 2024\n\n## Hospital ferries\nWe give £2m.\n", [
            ("# Ferry money", D(2024, 4, 1), "published", "", ""),
            ("## Hospital ferries", D(2024, 4, 1), "section of the text above", "", ""),  # a section's subject is not its text's owner
        ], id="a-sections-heading-names-no-owner"),
        pytest.param("Buses\nFriday 21st June 2024\nWe are investing £2 million.\n---\nTrains\n2019-07-01\nMore trains.\n", [
            ("Buses", D(2024, 6, 21), "dated line", "", ""),
            ("---", D(2019, 7, 1), "dated line", "", ""),
        ], id="rule-separator-and-dated-lines"),
        pytest.param("Answered by A Minister - Minister of State (Department for Energy Security & Net Zero)\nThis question was answered on 5 June 2024\nWe are investing £3 million.\n",
                     [("Answered by A Minister - Minister of State (Department for Energy Security & Net Zero)", D(2024, 6, 5), "answered on", "DESNZ", "answered by")],
                     id="answered-by-names-the-department"),
        pytest.param("Published 10 March 2015\nThe Secretary of State for Energy and Climate Change announced £5 million.\n",
                     [("Published 10 March 2015", D(2015, 3, 10), "published", "DECC", "title of minister")], id="title-of-its-time"),
        pytest.param("Published 10 March 2024\nThe Energy Secretary announced £5 million.\n",
                     [("Published 10 March 2024", D(2024, 3, 10), "published", "DESNZ", "title of minister")], id="title-followed-through-renames"),
        pytest.param("Spending on roads\nThe report, published on 3 March 2020, found gaps.\n",
                     [("Spending on roads", None, "", "", "")], id="published-inside-prose-is-not-the-page-date"),
    ],
)
def test_find_parts(text, expected):
    assert parts_of(text) == expected


def test_parts_cover_the_whole_text_in_order():
    parts = find_parts(BUNDLE, REF)
    assert parts[0].start == 0 and parts[-1].end == len(BUNDLE)
    assert all(a.end == b.start for a, b in zip(parts, parts[1:]))
    assert find_parts("", REF) != []


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("on 24th October 2022", D(2022, 10, 24), id="ordinal"),
        pytest.param("on 1st Sept 2021", D(2021, 9, 1), id="ordinal-abbreviated-month"),
        pytest.param("Monday 3 February 2025", D(2025, 2, 3), id="weekday-day-month-year"),
        pytest.param("dated 2023-11-30", D(2023, 11, 30), id="iso"),
        pytest.param("dated 05/04/2022", D(2022, 4, 5), id="day-first-numeric"),
        pytest.param("on 31 February 2022", None, id="no-such-day"),
        pytest.param("in March 2022", None, id="month-and-year-only"),
        pytest.param("in 2022-23", None, id="financial-year-is-not-a-date"),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "sentence, figure, expected",
    [
        pytest.param("We will spend £5 million next year.", "£5 million", (None, None, "unknown, relative: no document date"), id="next-year-without-a-date"),
        pytest.param("£5 million over the Spending Review period.", "£5 million", (None, None, "unknown, relative: no document date"), id="spending-review-without-a-date"),
        pytest.param("£5 million in 2024-25 and more next year.", "£5 million", (2024, 2024, "stated"), id="stated-year-needs-no-date"),
    ],
)
def test_relative_periods_need_a_date(sentence, figure, expected):
    start = sentence.index(figure)
    period = resolve_period(sentence, (start, start + len(figure)), None, REF.reviews)
    assert (period.fy_start, period.fy_end, period.basis) == expected


def commitments(text, published=None, speaker=""):
    tables = build_tables([Document("doc", text, published, published, speaker)], REF)
    return {row["amount_gbp"]: row for row in tables.commitments}


def test_each_part_dates_its_own_relative_periods():
    text = (
        "[Part 1]\nPublished 1 June 2022\nThe department will provide £5 million next year.\n\n"
        "[Part 2]\nPublished 1 June 2024\nThe department will provide £7 million next year.\n\n"
        "[Part 3]\nThe department will provide £9 million next year.\n"
    )
    rows = commitments(text)
    assert (rows["5000000"]["fy_start"], rows["5000000"]["fy_end"]) == ("2023-24", "2023-24")
    assert (rows["7000000"]["fy_start"], rows["7000000"]["fy_end"]) == ("2025-26", "2025-26")
    assert (rows["9000000"]["fy_start"], rows["9000000"]["fy_end"]) == ("", "")
    assert rows["9000000"]["period_basis"] == "unknown, relative: no document date"
    assert rows["5000000"]["period_basis"] == "relative, to the date the text states (published)"


def test_given_date_and_speaker_hold_for_every_part():
    text = "[Part 1]\nQuestion to the Home Office:\nPublished 1 June 2022\nWe will provide £5 million next year.\n"
    row = commitments(text, published=D(2019, 5, 1), speaker="DfT")["5000000"]
    assert (row["fy_start"], row["department"], row["department_basis"]) == ("2020-21", "DfT", "speaker")


def test_department_from_the_part():
    text = "Question to the Department for Transport:\nTo ask the Secretary of State for Transport, what is planned.\nAnswered on 4 May 2024\nWe are providing £1 million.\n"
    row = commitments(text)["1000000"]
    assert (row["department"], row["department_basis"]) == ("DfT", "question to")


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("[Part 1]\nQuestion to the Department for Transport:\nWe give £5m.\n\n[Part 2]\nBuses get £3m.\n\n"
                     "[Part 3]\nQuestion to the Department for Transport:\nWe give £2m.",
                     ["DfT", "DfT", "DfT"], id="headless-part-takes-the-files-department"),
        pytest.param("[Part 1]\nQuestion to the Department for Transport:\nWe give £5m.\n\n[Part 2]\nBuses get £3m.\n\n"
                     "[Part 3]\nQuestion to the Home Office:\nWe give £2m.",
                     ["DfT", "", "HO"], id="a-tie-borrows-nothing"),
    ],
)
def test_part_with_no_department_borrows_the_files(text, expected):
    assert [p.department for p in find_parts(text, REF)] == expected


def test_a_section_takes_the_date_and_department_of_the_heading_above():
    text = ("# Spring Budget 2031\n\nFrom: HM Treasury\nPublished 4 March 2031\n\n## 1. Public services\n\n"
            "The government will provide £5 million next year.\n\n### 1.1 Defence\n\nThe Ministry of Defence gets £3 million.\n\n"
            "## 2. Tax\n\nRates are unchanged.\n")
    found = parts_of(text)
    assert found[1][1:] == (D(2031, 3, 4), "section of the text above", "HMT", "section of the text above")
    # a section naming its own department at its top keeps it, and its date still comes from above
    assert found[2][1:] == (D(2031, 3, 4), "section of the text above", "MoD", "named at the top")
    assert found[3][3:] == ("HMT", "section of the text above")


def test_a_text_after_a_separator_takes_nothing_from_the_text_before():
    text = ("# First release\n\nFrom: Home Office\nPublished 1 May 2024\n\n## Detail\n\nWe give £5m.\n\n"
            "[Source 2 of 2]\n## Untitled section\n\nBuses get £3m.\n")
    found = parts_of(text)
    untitled = next(p for p in found if p[0] == "## Untitled section")
    assert untitled[2] != "section of the text above"  # the separator's part holds no date to give


@pytest.mark.parametrize("text, expected", [
    # written for this test: devolved budget texts that speak with their budget's or parliament's name
    ("# Budget passes\nThe Senedd has approved the final budget for next year.\nIt includes £40 million for hospitals.", "Welsh Government"),
    ("# Spending plans approved\nMembers voted for the Scottish Budget today.\nIt includes £30 million for schools.", "Scottish Government"),
    ("# Department of Finance - monitoring round\nThe Finance Minister has set out allocations.\nIt includes £20 million for roads.", "Northern Ireland Executive"),
])
def test_a_devolved_budget_text_is_its_government_s(text, expected):
    tables = build_tables([Document("doc0", text, dt.date(2024, 3, 1), dt.date(2024, 3, 1))], REF)
    assert {c["department"] for c in tables.commitments} == {expected}
