"""Periods: financial years in every spelling, relative, named, durations and end dates."""

from __future__ import annotations

import datetime as dt

import pytest

from funding.periods import SpendingReview, financial_year_of, fy_label, paragraph_period, parse_fy_label, resolve_period

REVIEWS = [
    SpendingReview("SR2020", "Spending Review 2020", dt.date(2020, 11, 25), 2021, 2021, ("2020 Spending Review",)),
    SpendingReview("SR2021", "Spending Review 2021", dt.date(2021, 10, 27), 2022, 2024, ("2021 Spending Review",)),
]
FEB_2022 = dt.date(2022, 2, 2)  # second half of financial year 2021-22
MAY_2021 = dt.date(2021, 5, 1)  # first half of financial year 2021-22


def period(sentence: str, figure: str, published: dt.date = FEB_2022):
    start = sentence.index(figure)
    return resolve_period(sentence, (start, start + len(figure)), published, REVIEWS)


CASES = [
    # (id, sentence, figure, published, label, basis)
    ("stated-hyphen", "a new one-off 2022-23 Services Grant worth £822 million", "£822 million", FEB_2022, "2022-23", "stated"),
    ("stated-slash", "a new one-off 2022/23 Services Grant worth £822 million", "£822 million", FEB_2022, "2022-23", "stated"),
    ("stated-en-dash-long", "£5m in 2022–2023", "£5m", FEB_2022, "2022-23", "stated"),
    ("stated-short-list", "a grant worth up to £1.2m over the financial years 21-22 and 22-23.", "£1.2m", MAY_2021, "2021-22 to 2022-23", "stated"),
    ("stated-words", "£5m in financial year 2023 to 2024", "£5m", FEB_2022, "2023-24", "stated"),
    ("stated-fy-abbreviation", "£5m in FY23-24", "£5m", FEB_2022, "2023-24", "stated"),
    ("stated-range", "£5m a year from 2022-23 to 2024-25", "£5m", FEB_2022, "2022-23 to 2024-25", "stated"),
    ("stated-past", "to increase spending on services for young people and children to £11.1 billion in 2020-21.", "£11.1 billion", FEB_2022, "2020-21", "stated"),
    ("relative-with-stated-in-brackets", "This financial year (2021/22), we have made £130 million available", "£130 million", FEB_2022, "2021-22", "stated"),
    ("relative-this-financial-year", "This financial year, we have made £130 million available", "£130 million", FEB_2022, "2021-22", "relative"),
    ("relative-next-year", "next year councils will have £54 billion", "£54 billion", FEB_2022, "2022-23", "relative"),
    ("next-three-years-late-in-year", "Over the next three years, government is providing councils with £4.8 billion of new grant funding.", "£4.8 billion", FEB_2022, "2022-23 to 2024-25", "relative"),
    ("next-3-years-digits", "DCMS is also investing £560 million in youth services in England over the next 3 years.", "£560 million", FEB_2022, "2022-23 to 2024-25", "relative"),
    ("next-2-years-early-in-year", "investing £14m to help councils open family hubs over the next 2 years", "£14m", MAY_2021, "2021-22 to 2022-23", "relative"),
    ("named-sr-period", "taking total planned investment to £695 million over the Spending Review period", "£695 million", FEB_2022, "2022-23 to 2024-25", "named"),
    ("named-sr-by-year", "the Chancellor announced a £500 million package at the 2021 Spending Review.", "£500 million", FEB_2022, "2022-23 to 2024-25", "named"),
    ("named-sr-abbreviation-settlement", "the 3-year SR settlement – which includes £500 million investment in family services", "£500 million", FEB_2022, "2022-23 to 2024-25", "named"),
    ("named-sr-short-year", "£5m agreed at SR20", "£5m", FEB_2022, "2021-22", "named"),
    ("named-latest-before-document", "£5m over the Spending Review period", "£5m", dt.date(2021, 6, 1), "2021-22", "named"),
    ("duration-no-start", "our £200 million, 10-year investment in the Youth Endowment Fund", "£200 million", FEB_2022, "10 years", "duration"),
    ("end-date-month", "a new £12 million fund which will help councils open family hubs by March 2024.", "£12 million", FEB_2022, "to 2023-24", "end date"),
    # "by" a financial year is the level reached in that year (devset conventions); "until" is an end
    ("by-financial-year-is-that-year", "£5m by 2024-25", "£5m", FEB_2022, "2024-25", "stated"),
    ("until-financial-year-is-an-end", "£5m each year until 2024-25", "£5m", FEB_2022, "to 2024-25", "end date"),
    ("unknown", "We are also investing over £45 million to fund specialist support", "£45 million", FEB_2022, "unknown", "unknown"),
    ("launch-date-is-not-a-period", "The £500 million Plan was launched in March 2021 to respond to the pandemic", "£500 million", FEB_2022, "unknown", "unknown"),
    ("age-range-is-not-a-year", "£5m for children aged 10-11", "£5m", FEB_2022, "unknown", "unknown"),
    ("year-range-that-is-not-financial", "fell by £766 million in real terms between 2010 and 2019.", "£766 million", FEB_2022, "unknown", "unknown"),
]


# (id, sentence, figure, label): which year belongs to which figure, and spellings
OWN_YEAR_CASES = [
    ("rising-from-x-to-y-first", "Road maintenance grants are rising from £3.1bn in 2022-23 to £3.4bn in 2023-24.", "£3.1bn", "2022-23"),
    ("rising-from-x-to-y-second", "Road maintenance grants are rising from £3.1bn in 2022-23 to £3.4bn in 2023-24.", "£3.4bn", "2023-24"),
    ("respectively-first", "Councils will get £41.2 million and £43.9 million in 2023/24 and 2024/25 respectively.", "£41.2 million", "2023-24"),
    ("respectively-second", "Councils will get £41.2 million and £43.9 million in 2023/24 and 2024/25 respectively.", "£43.9 million", "2024-25"),
    ("respectively-unsaid", "we confirmed two more years - £12.5m and £13.1m for the bus service duty in 2024/25 and 2025/26.", "£12.5m", "2024-25"),
    ("in-both-is-each-year", "The hospice grant was £70 million in both 2021/22 and 2022/23 and £75 million for 2023/24.", "£70 million", "2021-22 to 2022-23"),
    ("in-both-next-figure-keeps-its-own", "The hospice grant was £70 million in both 2021/22 and 2022/23 and £75 million for 2023/24.", "£75 million", "2023-24"),
    ("year-of-another-figure-is-not-yours", "Ports receive £8m, while airports receive £5m in 2025/26.", "£8m", "unknown"),
    ("clause-shares-a-trailing-year", "Each trust will receive £4,210 per nurse and £5,020 per midwife in the 2025/26 financial year.", "£4,210", "2025-26"),
    ("year-before-next-figure-is-that-figures", "This includes £2 billion for roads and a new one-off 2024/25 Rail Grant worth £600 million.", "£2 billion", "unknown"),
    ("lead-in-year-for-every-figure", "In 2024/25 the housing grant per new home is £1,900, and £2,300 for social rent.", "£2,300", "2024-25"),
    ("total-reached-takes-the-increase-year", "We are adding £900 million to hospital budgets in the 2025/26 financial year, bringing total capital funding for acute trusts to £10.4 billion.", "£10.4 billion", "2025-26"),
    ("increase-takes-the-total-year", "The minister announced a £25 million increase to the flood grant, raising total funding for 2025/26 to £140 million.", "£25 million", "2025-26"),
    ("to-a-total-of", "An increase in bus funding of £1 billion (13%) in 2022/23 compared to last year, to a total of £8.2 billion.", "£8.2 billion", "2022-23"),
    ("a-year-by", "We will be spending £4 billion a year on rail upgrades by 2019-20.", "£4 billion", "2019-20"),
    ("per-year-by", "Funding for prisons will increase by £2.1 billion per year by 2028/29 compared to the 2025/26 budget.", "£2.1 billion", "2028-29"),
    ("by-the-financial-year", "the £3.2 billion that the government will provide by the 2027/28 financial year", "£3.2 billion", "2027-28"),
    ("over-n-years-from", "£60 million over three years from 2022/23, through the local roads programme", "£60 million", "2022-23 to 2024-25"),
    ("next-n-financial-years-from", "We confirmed over £450 million for the energy advice service for the next three financial years from 2026/27.", "£450 million", "2026-27 to 2028-29"),
    ("two-years-in-brackets", "£300 million over two years (2026/27 and 2027/28) for estates", "£300 million", "2026-27 to 2027-28"),
    ("between-two-years", "A total of £1.7 billion was allocated between 2018/19 and 2022/23.", "£1.7 billion", "2018-19 to 2022-23"),
    ("month-range", "From July 2023 to March 2025, the pilot is investing over £30 million in ten areas.", "£30 million", "2023-24 to 2024-25"),
    ("until-month", "£40m of grant funding for the trial until March 2025", "£40m", "to 2024-25"),
    ("from-month-amount-is-that-year", "We will now provide £150 million of extra funding from September 2023 for nurseries.", "£150 million", "2023-24"),
    ("from-month-rate-continues", "The rate will rise to over £6.20 per hour from April 2027, with further uplifts after.", "£6.20", "from 2027-28"),
    ("each-year-to-is-an-end", "We are continuing the £310 million for the scheme in 2025/26 for each year of the settlement to 2028/29.", "£310 million", "to 2028-29"),
    ("increase-over-two-named-years-is-the-later", "we would be increasing hospice funding by £1.2 billion over the 2021/22 and 2023/24 financial years.", "£1.2 billion", "2023-24"),
    ("in-each-of-three-years-span", "The fund has made £10 million available in each of the three years 2004–07 to parishes.", "£10 million", "2004-05 to 2006-07"),
    ("short-end-year", "increasing to £90 million by 2024/5, for port authorities", "£90 million", "2024-25"),
    ("en-dash", "£12 million for 2023–24", "£12 million", "2023-24"),
    ("financial-year-in-words", "The department is offering a grant of £950 in the 2022 to 2023 financial year for each surgery.", "£950", "2022-23"),
    ("table-cell-takes-its-column", "Table columns: Scheme; 2023-24; 2024-25. Row: Coastal path | £5m | £6m", "£6m", "2024-25"),
    ("table-header-year-is-not-for-other-columns", "Table columns: Scheme; Total; 2023-24. Row: Coastal path | £11m | £5m", "£11m", "unknown"),
    # not financial years
    ("academic-years", "£900 million to deliver new college places for the 2023/24 and 2024/25 academic years", "£900 million", "unknown"),
    ("academic-year-before", "£40 million to deliver new places for academic years 2023/24 and 2024/25", "£40 million", "unknown"),
    ("calendar-year", "The average hourly rate will be more than £9 per hour in 2024.", "£9", "unknown"),
    ("calendar-year-nearer-than-a-start-date", "rates rise from September 2023 and mean that in 2024, the rate will be more than £9 per hour", "£9", "unknown"),
    ("calendar-range", "The £1.8 billion we are investing between 2022 and 2025 in new wards.", "£1.8 billion", "unknown"),
    ("calendar-from-to", "an increase of around £40 million from 2023 to 2024.", "£40 million", "unknown"),
    ("based-on-data-year", "The provisional allocation based on the 2024/25 patient numbers is £612.0 million.", "£612.0 million", "unknown"),
    ("baseline-compared-to", "an additional £1.3 billion for bus services, compared to the 2024/25 financial year.", "£1.3 billion", "unknown"),
    ("price-base", "£12 billion in 2022-23 prices over the decade", "£12 billion", "unknown"),
    ("from-x-to-y-start-is-not-dated", "spending will rise from £6.3 billion to £8 billion in 2007–08.", "£6.3 billion", "unknown"),
]


@pytest.mark.parametrize("sentence, figure, label", [c[1:] for c in OWN_YEAR_CASES], ids=[c[0] for c in OWN_YEAR_CASES])
def test_each_figure_its_own_period(sentence, figure, label):
    assert period(sentence, figure).label == label


@pytest.mark.parametrize(
    "sentence, figure, published, label, basis", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_period(sentence, figure, published, label, basis):
    found = period(sentence, figure, published)
    assert (found.label, found.basis) == (label, basis)


def test_nearest_period_wins_when_a_sentence_has_two():
    sentence = (
        "This means that next year (2022-23) councils will have access to approximately £54 billion core "
        "spending power for their services, including children's social care, up from £50 billion in 2021-22."
    )
    assert period(sentence, "£54 billion").label == "2022-23"
    assert period(sentence, "£50 billion").label == "2021-22"


def test_period_text_is_the_words_read():
    found = period("£1.2m over the financial years 21-22 and 22-23.", "£1.2m", MAY_2021)
    assert found.text == "financial years 21-22 and 22-23"
    assert found.n_years == 2


@pytest.mark.parametrize(
    "day, year",
    [(dt.date(2022, 3, 31), 2021), (dt.date(2022, 4, 1), 2022), (dt.date(2021, 12, 31), 2021)],
    ids=["31-march", "1-april", "31-december"],
)
def test_financial_year_of(day, year):
    assert financial_year_of(day) == year


def test_labels_round_trip():
    for year in (1999, 2009, 2022):
        assert parse_fy_label(fy_label(year)) == year
    with pytest.raises(ValueError, match="not a financial year"):
        parse_fy_label("2022-24")


PARAGRAPH_CASES = [
    # (id, paragraph, sentence, label or None)
    ("opening-year-carries", "For 2019-20, the agency has allocated £9 million for patrols. In addition, it will receive £4 million from the council.",
     "In addition, it will receive £4 million from the council.", "2019-20"),
    ("lead-in-after-an-opening-clause", "As a result of this funding, for 2022-23 we will raise rates by 9p an hour. No trust can receive less than £3.90 per visit.",
     "No trust can receive less than £3.90 per visit.", "2022-23"),
    ("year-inside-a-sentence-does-not-carry", "The agency allocated £9 million for patrols in 2019-20. In addition, it will receive £4 million.",
     "In addition, it will receive £4 million.", None),
    ("nearest-stated-sentence-decides", "In 2019-20 the grant was £3 million. It rose to £5 million for 2020-21. Ferries also get £2 million.",
     "Ferries also get £2 million.", None),
    ("first-sentence-has-nothing-to-inherit", "Ferries get £2 million. In 2019-20 the grant was £3 million.", "Ferries get £2 million.", None),
]


@pytest.mark.parametrize("paragraph, sentence, label", [c[1:] for c in PARAGRAPH_CASES], ids=[c[0] for c in PARAGRAPH_CASES])
def test_paragraph_period(paragraph, sentence, label):
    found = paragraph_period(paragraph, sentence)
    assert (found.label if found else None) == label
    if found:
        assert found.basis == "paragraph"
