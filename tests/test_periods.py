"""Periods: financial years in every spelling, relative, named, durations and end dates."""

from __future__ import annotations

import datetime as dt

import pytest

from funding.annotate.periods import paragraph_period, resolve_period, title_period
from funding.years import SpendingReview, financial_year_of, fy_label, parse_fy_label

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
    ("rising-from-x-to-y-first", "Road maintenance grants are rising from £2.2bn in 2021-22 to £2.5bn in 2022-23.", "£2.2bn", "2021-22"),
    ("rising-from-x-to-y-second", "Road maintenance grants are rising from £2.2bn in 2021-22 to £2.5bn in 2022-23.", "£2.5bn", "2022-23"),
    ("respectively-first", "Councils will get £41.2 million and £43.9 million in 2026/27 and 2027/28 respectively.", "£41.2 million", "2026-27"),
    ("respectively-second", "Councils will get £41.2 million and £43.9 million in 2026/27 and 2027/28 respectively.", "£43.9 million", "2027-28"),
    ("respectively-unsaid", "The ferry subsidy will be £12.5m and £13.1m in 2028/29 and 2029/30.", "£12.5m", "2028-29"),
    ("in-both-is-each-year", "Harbour grants were £70 million in both 2018/19 and 2019/20 and £75 million for 2020/21.", "£70 million", "2018-19 to 2019-20"),
    ("in-both-next-figure-keeps-its-own", "Harbour grants were £70 million in both 2018/19 and 2019/20 and £75 million for 2020/21.", "£75 million", "2020-21"),
    ("year-of-another-figure-is-not-yours", "Ports receive £8m, while airports receive £5m in 2027/28.", "£8m", "unknown"),
    ("n-years-from-a-month", "£3.1 billion will go to sea walls over five years from April 2027.", "£3.1 billion", "2027-28 to 2031-32"),
    ("respectively-after-a-list-of-years-total", "Piers get £90 million over two years (2027/28 and 2028/29), £40 million and £50 million respectively.", "£90 million", "2027-28 to 2028-29"),
    ("respectively-after-a-list-of-years-first", "Piers get £90 million over two years (2027/28 and 2028/29), £40 million and £50 million respectively.", "£40 million", "2027-28"),
    ("respectively-after-a-list-of-years-second", "Piers get £90 million over two years (2027/28 and 2028/29), £40 million and £50 million respectively.", "£50 million", "2028-29"),
    ("short-year-named-a-financial-year", "The board made £55m available in the 31/32 financial year.", "£55m", "2031-32"),
    ("govuk-years-in-prose", "In 2029 to 2030, the agency's grant of £61 million paid for ferries.", "£61 million", "2029-30"),
    ("govuk-years-not-from-calendar", "From 2029 to 2030 the agency spent £61 million.", "£61 million", "unknown"),
    ("govuk-years-not-academic", "For 2029 to 2030 academic year, colleges get £61 million.", "£61 million", "unknown"),
    ("a-lead-in-year-before-every-figure", "Of the 2028-29 money, £30 million is for piers and £20 million for slipways.", "£20 million", "2028-29"),
    ("a-rate-takes-no-lead-in-year", "Of the 2028-29 money, £30 million is for piers and £2 million every year for slipways.", "£2 million", "unknown"),
    ("clause-shares-a-trailing-year", "Each trust gets £4,210 per nurse and £5,020 per midwife in the 2029/30 financial year.", "£4,210", "2029-30"),
    ("year-before-next-figure-is-that-figures", "It funds £2 billion of road repairs plus a one-off 2026/27 ferry fund worth £600 million.", "£2 billion", "unknown"),
    ("lead-in-year-for-every-figure", "In 2028/29 the grant per new home is £1,900, and £2,300 for each social rented home.", "£2,300", "2028-29"),
    ("total-reached-takes-the-increase-year", "We are adding £900 million to hospital budgets in the 2027/28 financial year, bringing total capital funding for acute trusts to £10.4 billion.", "£10.4 billion", "2027-28"),
    ("increase-takes-the-total-year", "The minister announced a £25 million increase to the flood grant, raising total funding for 2027/28 to £140 million.", "£25 million", "2027-28"),
    ("to-a-total-of", "Bus funding grows by £1 billion in 2019/20 compared to last year, to a total of £8.2 billion.", "£8.2 billion", "2019-20"),
    ("a-year-by", "Ministers will be spending £4 billion a year on rail upgrades by 2030-31.", "£4 billion", "2030-31"),
    ("per-year-by", "Funding for prisons will increase by £2.1 billion per year by 2030/31 compared to the 2027/28 budget.", "£2.1 billion", "2030-31"),
    ("by-the-financial-year", "the £3.2 billion that the government will provide by the 2029/30 financial year", "£3.2 billion", "2029-30"),
    ("over-n-years-from", "£60 million over four years from 2020/21, through the local roads programme", "£60 million", "2020-21 to 2023-24"),
    ("over-n-years-to", "£3.7 billion for new wards over the four years to 2024/25", "£3.7 billion", "2021-22 to 2024-25"),
    ("n-years-up-to", "Ports received £90 million in the three years up to 2019-20.", "£90 million", "2017-18 to 2019-20"),
    ("stated-span-beats-review-named-before", "The Spending Review confirmed £12 billion for trams over ten years from 2026-27.", "£12 billion", "2026-27 to 2035-36"),
    ("following-review-then-years-from", "Following the Spending Review, I can confirm £3 billion for ferries over the four years from 2024-25.", "£3 billion", "2024-25 to 2027-28"),
    ("next-n-financial-years-from", "We confirmed over £450 million for the energy advice service for the next two financial years from 2028/29.", "£450 million", "2028-29 to 2029-30"),
    ("two-years-in-brackets", "£140 million over two years (2029/30 and 2030/31) for estates", "£140 million", "2029-30 to 2030-31"),
    ("between-two-years", "Lighthouses were given £1.7 billion between 2012/13 and 2015/16.", "£1.7 billion", "2012-13 to 2015-16"),
    ("month-range", "From June 2021 to March 2023, the trial funds £30 million of pilots.", "£30 million", "2021-22 to 2022-23"),
    ("until-month", "£40m of grant funding for the trial until March 2027", "£40m", "to 2026-27"),
    ("from-month-amount-is-that-year", "Ferry operators get £150 million of extra funding from October 2021.", "£150 million", "2021-22"),
    ("from-month-rate-continues", "The fee paid to dentists rises to £6.20 per visit from April 2029.", "£6.20", "from 2029-30"),
    ("each-year-to-is-an-end", "Ministers keep the £90 million for ferries in 2027/28 for each year of the deal to 2030/31.", "£90 million", "to 2030-31"),
    ("increase-over-two-named-years-is-the-later", "Lifeboat funding is increasing by £1.2 billion over the 2019/20 and 2021/22 financial years.", "£1.2 billion", "2021-22"),
    ("in-each-of-three-years-span", "Parishes get £10 million in each of the three years 2011–14.", "£10 million", "2011-12 to 2013-14"),
    ("short-end-year", "rising to £90 million by 2026/7 for port authorities", "£90 million", "2026-27"),
    ("en-dash", "£12 million for 2019–20", "£12 million", "2019-20"),
    ("financial-year-in-words", "Each surgery gets £950 in the 2028 to 2029 financial year.", "£950", "2028-29"),
    ("table-cell-takes-its-column", "Table columns: Scheme; 2023-24; 2024-25. Row: Coastal path | £5m | £6m", "£6m", "2024-25"),
    ("table-header-year-is-not-for-other-columns", "Table columns: Scheme; Total; 2023-24. Row: Coastal path | £11m | £5m", "£11m", "unknown"),
    # not financial years
    ("academic-years", "£900 million for new college places in the 2026/27 and 2027/28 academic years", "£900 million", "unknown"),
    ("academic-year-before", "£40 million for nursery places across academic years 2026/27 and 2027/28", "£40 million", "unknown"),
    ("calendar-year", "Tolls will be £9 per crossing in 2026.", "£9", "unknown"),
    ("calendar-year-nearer-than-a-start-date", "Fees rise from October 2021 and mean that in 2022, a visit will cost the NHS £31.", "£31", "unknown"),
    ("calendar-range", "The £1.8 billion for new wards between 2019 and 2023.", "£1.8 billion", "unknown"),
    ("calendar-from-to", "a rise of £40 million from 2020 to 2021.", "£40 million", "unknown"),
    ("based-on-data-year", "Each board's grant, based on the 2026/27 patient numbers, is £612 million.", "£612 million", "unknown"),
    ("baseline-compared-with", "£1.3 billion more for buses, compared with the 2020/21 financial year.", "£1.3 billion", "unknown"),
    ("increase-on-a-year-is-its-baseline", "Ferry grants rise by £40 million on 2024-25.", "£40 million", "unknown"),
    ("increase-on-a-year-is-not-dated-by-it", "Ferry grants will be £900 million in 2025-26, an increase of £40 million on 2024-25.", "£40 million", "unknown"),
    ("increase-compared-with-a-year-takes-the-later-year", "In 2025-26 the ferry budget will be £900 million, an increase of £40 million compared with 2024-25.", "£40 million", "2025-26"),
    ("price-base", "£12 billion in 2022-23 prices over the decade", "£12 billion", "unknown"),
    ("from-x-to-y-start-is-not-dated", "coastal spending will go from £6.3 billion to £8 billion in 2013–14.", "£6.3 billion", "unknown"),
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
    ("opening-year-carries", "For 2013-14, coastguards were given £9 million for patrols. Harbour boards also get £4 million.",
     "Harbour boards also get £4 million.", "2013-14"),
    ("lead-in-after-an-opening-clause", "Following the review, for 2015-16 bus fares fall by 5p. No operator gets less than £3.90 per journey.",
     "No operator gets less than £3.90 per journey.", "2015-16"),
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


@pytest.mark.parametrize(
    "text, year",
    [
        pytest.param("Road Maintenance Grant Determination (2025-26): 31/1234\nThe Minister makes the following determination:\n1. Councils get £5 million.", 2025, id="determination-title"),
        pytest.param("Guidance\n\nBus grant: conditions of grant for the 2024 to 2025 financial year\n\nUpdated 3 May 2024\n\n1. Introduction\n\nEach operator gets £900.", 2024, id="guidance-title-after-its-kind"),
        pytest.param("Ferry Services\n\nThe department gives £4 million to ferries in 2023-24.", None, id="year-in-the-body-not-the-title"),
        pytest.param("Ferry grants 2024-25 and 2025-26\n\nEach ferry gets £4,000.", None, id="two-years-in-the-title"),
        pytest.param("Ferry grants 2022-23 to 2024-25\n\nEach ferry gets £4,000.", None, id="a-span-in-the-title"),
        pytest.param("Ferry grants from 2023 to 2024\n\nEach ferry gets £4,000.", None, id="calendar-years-in-the-title"),
        pytest.param("Harbour Grant Determination 2031 to 2032 No 31/7777\nApplies to England\n\n1. Each harbour gets £4,000.", 2031, id="govuk-style-years-in-the-title"),
        pytest.param("The department gives £4 million to ferries, and this is the rule for 2025-26 and so on until the review ends this year or later on: the long line reads as body text for sure.\n\nMore.", None, id="long-first-line-is-body"),
    ],
)
def test_title_period(text, year):
    period = title_period(text, 0, len(text))
    assert (period.fy_start if period else None) == year
    if period:
        assert period.basis == "title" and period.fy_end == year


def test_the_same_year_is_the_year_stated_before():
    from funding.annotate.periods import same_year
    before = "The Ferry Board's grant will be £4.1 billion in 2031-32, including £45 million of top-ups.\n\n"
    found = same_year("The Harbour Board will receive £1.8 billion in the same year.", before)
    assert (found.label, found.basis) == ("2031-32", "paragraph")
    assert same_year("The Harbour Board will receive £1.8 billion in the same year.", "No year here.") is None
    assert same_year("The Harbour Board will receive £1.8 billion in 2032-33, the same year.", before) is None  # its own year


@pytest.mark.parametrize("text, label", [
    ("Grants for the 31/32 financial year are shown below [footnote 1]:\n\n| Harbour | Grant |\n|---|---|\n| Portree | £5m |\n", "2031-32"),
    ("Grants are shown below:\n\n| Harbour | Grant |\n|---|---|\n| Portree | £5m |\n", None),  # no year in the lead-in
    ("Grants for 2031-32 were announced.\n\n| Harbour | Grant |\n|---|---|\n| Portree | £5m |\n", None),  # not a lead-in (no colon)
    ("Grants for 2031-32 and 2032-33 are below:\n\n| Harbour | Grant |\n|---|---|\n| Portree | £5m |\n", None),  # two years: which?
])
def test_a_tables_lead_in_dates_its_cells(text, label):
    from funding.annotate.periods import table_lead_in_period
    found = table_lead_in_period(text, text.index("£5m"))
    assert (found.label if found else None) == label
