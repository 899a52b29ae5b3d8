"""Periods: financial years in every spelling, relative, named, durations and end dates."""

from __future__ import annotations

import datetime as dt

import pytest

from funding.periods import SpendingReview, financial_year_of, fy_label, parse_fy_label, resolve_period

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
    ("end-date-financial-year", "£5m by 2024-25", "£5m", FEB_2022, "to 2024-25", "end date"),
    ("unknown", "We are also investing over £45 million to fund specialist support", "£45 million", FEB_2022, "unknown", "unknown"),
    ("launch-date-is-not-a-period", "The £500 million Plan was launched in March 2021 to respond to the pandemic", "£500 million", FEB_2022, "unknown", "unknown"),
    ("age-range-is-not-a-year", "£5m for children aged 10-11", "£5m", FEB_2022, "unknown", "unknown"),
    ("year-range-that-is-not-financial", "fell by £766 million in real terms between 2010 and 2019.", "£766 million", FEB_2022, "unknown", "unknown"),
]


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
