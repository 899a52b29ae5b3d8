"""The money parser: a table of cases grouped by where each came from, then properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from funding.money import Money, SetAside, find_money, format_amount, parse_money
from funding.vocab import AMOUNT_CEILING

M = 10**6
BN = 10**9


def money(text: str) -> list[Money]:
    return [item for item in find_money(text) if isinstance(item, Money)]


def one(text: str) -> Money:
    found = money(text)
    assert len(found) == 1, f"expected one figure in {text!r}, found {[m.text for m in found]}"
    return found[0]


# (id, sentence, figure as written, amount, high end, currency, qualifier, rate)
CASES = [
    # -- as written in the two source documents --
    ("src-over-14m", "is investing over £14m to support", "£14m", 14 * M, None, "GBP", "over", "total"),
    ("src-up-to-1.2m", "a grant worth up to £1.2m over the financial years 21-22 and 22-23.", "£1.2m", 1_200_000, None, "GBP", "up to", "total"),
    ("src-4.8-billion", "providing councils with £4.8 billion of new grant funding.", "£4.8 billion", 4_800_000_000, None, "GBP", "", "total"),
    ("src-approximately", "access to approximately £54 billion core spending power", "£54 billion", 54 * BN, None, "GBP", "approximately", "total"),
    ("src-11.1-billion", "to £11.1 billion in 2020-21.", "£11.1 billion", 11_100_000_000, None, "GBP", "", "total"),
    ("src-bracketed-list-item", "- funding for a network of family hubs (£82 million);", "£82 million", 82 * M, None, "GBP", "", "total"),
    ("src-comma-after", "our £200 million, 10-year investment in the Youth Endowment Fund", "£200 million", 200 * M, None, "GBP", "", "total"),
    ("src-over-1-billion", "includes over £1 billion specifically for councils", "£1 billion", BN, None, "GBP", "over", "total"),
    # -- the forms the issue lists --
    ("form-14m", "£14m", "£14m", 14 * M, None, "GBP", "", "total"),
    ("form-200million-no-space", "a £200million fund", "£200million", 200 * M, None, "GBP", "", "total"),
    ("form-thousands-separators", "exactly £15,642,403 was spent", "£15,642,403", 15_642_403, None, "GBP", "", "total"),
    ("form-2.5bn", "a £2.5bn settlement", "£2.5bn", 2_500_000_000, None, "GBP", "", "total"),
    ("form-range-shared-scale", "costs of £15-20 million", "£15-20 million", 15 * M, 20 * M, "GBP", "", "total"),
    ("form-range-en-dash", "costs of £15–20 million", "£15–20 million", 15 * M, 20 * M, "GBP", "", "total"),
    ("form-range-both-marked", "costs of £15m-£20m", "£15m-£20m", 15 * M, 20 * M, "GBP", "", "total"),
    ("form-range-to", "costs of £10m to £20m", "£10m to £20m", 10 * M, 20 * M, "GBP", "", "total"),
    ("form-between", "between £10m and £20m", "£10m and £20m", 10 * M, 20 * M, "GBP", "between", "total"),
    ("form-500k", "a £500k pilot", "£500k", 500_000, None, "GBP", "", "total"),
    ("form-trillion", "debt of £1 trillion", "£1 trillion", 10**12, None, "GBP", "", "total"),
    ("form-gbp-code", "a GBP 5 million grant", "GBP 5 million", 5 * M, None, "GBP", "", "total"),
    ("form-gbp-code-no-space", "GBP5m", "GBP5m", 5 * M, None, "GBP", "", "total"),
    ("form-words-after-sign", "a £ five million fund", "£ five million", 5 * M, None, "GBP", "", "total"),
    ("form-compound-words", "£twenty-five million", "£twenty-five million", 25 * M, None, "GBP", "", "total"),
    ("form-hundred-words", "£one hundred and ten thousand", "£one hundred and ten thousand", 110_000, None, "GBP", "", "total"),
    ("form-pence", "£15.50 per pupil", "£15.50", Decimal("15.5"), None, "GBP", "", "per unit"),
    ("form-capital-m", "a £5M fund", "£5M", 5 * M, None, "GBP", "", "total"),
    ("form-mn", "£3.5mn", "£3.5mn", 3_500_000, None, "GBP", "", "total"),
    ("form-line-wrapped", "a £5\nmillion fund", "£5\nmillion", 5 * M, None, "GBP", "", "total"),
    ("form-list-label-next-line-b", "a. Leeds: £6,118,204\nb. York", "£6,118,204", 6_118_204, None, "GBP", "", "total"),
    ("form-list-label-next-line-m", "Bradford £950,000\nm) Hull", "£950,000", 950_000, None, "GBP", "", "total"),
    ("form-abbreviation-not-wrapped", "a £5\nbn fund", "£5", 5, None, "GBP", "", "total"),
    ("form-emphasis", "**£500 million** for hubs", "£500 million", 500 * M, None, "GBP", "", "total"),
    ("form-link-text", "[£12 million fund](#)", "£12 million", 12 * M, None, "GBP", "", "total"),
    ("form-no-break-space", "£5\u00a0million", "£5\u00a0million", 5 * M, None, "GBP", "", "total"),
    # -- other currencies keep their code --
    ("fx-dollar", "a $5 million grant", "$5 million", 5 * M, None, "USD", "", "total"),
    ("fx-us-dollar", "US$2bn of aid", "US$2bn", 2 * BN, None, "USD", "", "total"),
    ("fx-euro-sign", "€3bn from the EU", "€3bn", 3 * BN, None, "EUR", "", "total"),
    ("fx-eur-code", "EUR 40 million", "EUR 40 million", 40 * M, None, "EUR", "", "total"),
    ("fx-euros-word", "some 3 billion euros", "3 billion euros", 3 * BN, None, "EUR", "some", "total"),
    ("fx-pounds-word", "5 million pounds for schools", "5 million pounds", 5 * M, None, "GBP", "", "total"),
    ("fx-pounds-sterling", "20 pounds sterling", "20 pounds sterling", 20, None, "GBP", "", "total"),
    # -- amounts fully in words, with a scale word and a currency word after them --
    ("words-fifty-million-pounds", "Fifty million pounds for new roads", "Fifty million pounds", 50 * M, None, "GBP", "", "total"),
    ("words-two-and-a-half-billion", "some two and a half billion pounds", "two and a half billion pounds", 2_500_000_000, None, "GBP", "some", "total"),
    ("words-hundred-and-twenty-million", "one hundred and twenty million pounds", "one hundred and twenty million pounds", 120 * M, None, "GBP", "", "total"),
    ("words-a-billion", "a billion pounds of new money", "a billion pounds", BN, None, "GBP", "", "total"),
    ("words-half-a-million", "just over half a million pounds", "half a million pounds", 500_000, None, "GBP", "over", "total"),
    ("words-a-quarter-of-a-billion", "a quarter of a billion pounds", "a quarter of a billion pounds", 250 * M, None, "GBP", "", "total"),
    ("words-a-hundred-thousand", "a hundred thousand pounds", "a hundred thousand pounds", 100_000, None, "GBP", "", "total"),
    ("words-hyphenated-a-year", "thirty-five million pounds a year", "thirty-five million pounds", 35 * M, None, "GBP", "", "per year"),
    ("words-pounds-sterling", "ten million pounds sterling", "ten million pounds sterling", 10 * M, None, "GBP", "", "total"),
    ("words-euros", "six billion euros from the bank", "six billion euros", 6 * BN, None, "EUR", "", "total"),
    ("words-capitals", "Seven Million Pounds", "Seven Million Pounds", 7 * M, None, "GBP", "", "total"),
    # -- qualifiers --
    ("q-more-than", "more than £2m", "£2m", 2 * M, None, "GBP", "more than", "total"),
    ("q-around", "around £2m", "£2m", 2 * M, None, "GBP", "around", "total"),
    ("q-about-is-around", "about £2m", "£2m", 2 * M, None, "GBP", "around", "total"),
    ("q-nearly", "nearly £2m", "£2m", 2 * M, None, "GBP", "nearly", "total"),
    ("q-almost", "almost £2m", "£2m", 2 * M, None, "GBP", "almost", "total"),
    ("q-at-least", "at least £2m", "£2m", 2 * M, None, "GBP", "at least", "total"),
    ("q-in-excess-of", "in excess of £2m", "£2m", 2 * M, None, "GBP", "in excess of", "total"),
    ("q-some", "some £2m", "£2m", 2 * M, None, "GBP", "some", "total"),
    ("q-capitalised", "Over £2m was spent", "£2m", 2 * M, None, "GBP", "over", "total"),
    ("q-across-emphasis", "up to **£2m**", "£2m", 2 * M, None, "GBP", "up to", "total"),
    ("q-not-up-from", "up from £50 billion", "£50 billion", 50 * BN, None, "GBP", "", "total"),
    ("q-not-inside-word", "moreover £2m", "£2m", 2 * M, None, "GBP", "", "total"),
    # -- rates --
    ("rate-a-year", "£5m a year", "£5m", 5 * M, None, "GBP", "", "per year"),
    ("rate-per-annum", "£5m per annum", "£5m", 5 * M, None, "GBP", "", "per year"),
    ("rate-each-year", "£5m each year", "£5m", 5 * M, None, "GBP", "", "per year"),
    ("rate-annually", "£5m annually", "£5m", 5 * M, None, "GBP", "", "per year"),
    ("rate-each-of-next-years", "£5m in each of the next three years", "£5m", 5 * M, None, "GBP", "", "per year"),
    ("rate-annual-before", "an annual £5m", "£5m", 5 * M, None, "GBP", "", "per year"),
    ("rate-a-week", "£20 a week", "£20", 20, None, "GBP", "", "per week"),
    ("rate-per-pupil", "£500 per pupil", "£500", 500, None, "GBP", "", "per unit"),
    ("rate-not-a-year-ago", "£5m a year ago", "£5m", 5 * M, None, "GBP", "", "total"),
    # the size of an annual increase reached by a year: one year's amount, not one each year
    ("increase-per-annum-by-a-year", "will raise spending on lighthouses by £5m per annum by 2031-32", "£5m", 5 * M, None, "GBP", "", "total"),
    ("per-annum-without-an-end-year", "will raise spending on lighthouses by £5m per annum", "£5m", 5 * M, None, "GBP", "", "per year"),
    ("rate-not-over-years", "£1.2m over the financial years 21-22 and 22-23", "£1.2m", 1_200_000, None, "GBP", "", "total"),
]


@pytest.mark.parametrize(
    "sentence, written, amount, high, currency, qualifier, rate",
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_reads_figure(sentence, written, amount, high, currency, qualifier, rate):
    found = one(sentence)
    assert found.text == written
    assert sentence[found.start : found.end] == written
    assert found.amount == Decimal(amount)
    assert found.amount_high == (None if high is None else Decimal(high))
    assert (found.currency, found.qualifier, found.rate) == (currency, qualifier, rate)


NOT_MONEY = [
    ("year", "In 2017, the Children and Social Work Act"),
    ("financial-year-slash", "This financial year (2021/22), we have"),
    ("financial-year-short", "over the financial years 21-22 and 22-23"),
    ("financial-year-long", "next year (2022-23) councils"),
    ("percentage", "a 40% real-terms uplift"),
    ("count-facilities", "up to 300 new or refurbished youth facilities"),
    ("count-babies", "track 8,500 babies and their parents"),
    ("section-number", "Section 10 of the Children Act 2004"),
    ("recommendation-number", "**Recommendation 12:** Family Hubs"),
    ("age-range", "children aged 0–19 (i) with serious mental ill-health"),
    ("sr-abbreviation", "a strong Spending Review (SR) settlement"),
    ("markdown-heading", "## **Introduction**"),
    ("number-words-without-marker", "five million people"),
    ("pounds-as-weight", "a 20 pounds bag of flour"),
    ("words-pounds-as-weight", "twenty pounds of flour"),
    ("words-million-people", "fifty million people"),
    ("words-scale-without-currency", "two and a half billion tonnes"),
    ("words-sterling-as-adjective", "a sterling effort by a million volunteers"),
    ("unit-heading-in-prose", "all figures are in £000 unless stated"),
    ("unit-heading-with-no-table-below", "Costs (£m)\n\nThe scheme opened in 2021 with 300 places."),
    ("currency-code-in-word", "the EUROPEAN Union and GBPX"),
    ("duration", "our 10-year investment"),
    ("footnote-mark", "ODP is published<sup>1</sup>, and includes"),
]


@pytest.mark.parametrize("text", [case[1] for case in NOT_MONEY], ids=[case[0] for case in NOT_MONEY])
def test_not_money(text):
    assert money(text) == []


@pytest.mark.parametrize(
    "text, figures",
    [
        pytest.param("from £50bn to £54bn", ["£50bn", "£54bn"], id="from-to-is-a-change"),
        pytest.param("£82 million and £50 million", ["£82 million", "£50 million"], id="and-without-between"),
        pytest.param("£5m to 2025", ["£5m"], id="to-a-year-is-not-a-range"),
        pytest.param("£5m - 300 schools", ["£5m"], id="dash-count-is-not-a-range"),
        pytest.param("£20m-£5m", ["£20m", "£5m"], id="falling-range-is-two-figures"),
        pytest.param("£5m to $6m", ["£5m", "$6m"], id="two-currencies-are-two-figures"),
        pytest.param("(£82 million), (£50 million)", ["£82 million", "£50 million"], id="brackets-are-not-negative"),
        pytest.param("£5 more for schools", ["£5"], id="m-that-starts-a-word-is-not-million"),
    ],
)
def test_figures_kept_apart(text, figures):
    assert [m.text for m in money(text)] == figures
    assert all(m.amount >= 0 for m in money(text))


# -- tables under a unit heading ------------------------------------------------------------

CAPTIONED = "Allocations by council (£000)\n\n| Council | 2023-24 | 2024-25 |\n|---|---|---|\n"


@pytest.mark.parametrize(
    "text, figures",
    [
        pytest.param(CAPTIONED + "| North | 1,234 | 1,300 |\n", [("1,234", 1_234_000), ("1,300", 1_300_000)], id="table-under-gbp-000"),
        pytest.param("£'000\n| Council | Grant |\n|---|---|\n| East | 75 |\n", [("75", 75_000)], id="table-under-gbp-apostrophe-000"),
        pytest.param("| £ million | 2023-24 |\n|---|---|\n| Roads | 12.5 |\n", [("12.5", 12_500_000)], id="table-stub-header-gbp-million"),
        pytest.param("Spending, £ millions\n| Item | Cost |\n|---|---|\n| Beds | 3 |\n", [("3", 3 * M)], id="table-caption-gbp-millions"),
        pytest.param("| Item | Cost (£bn) |\n|---|---|\n| Rail | 1.25 |\n", [("1.25", 1_250_000_000)], id="table-column-gbp-bn"),
        pytest.param("| Item | Cost (£ billion) |\n|---|---|\n| Rail | 2 |\n", [("2", 2 * BN)], id="table-column-gbp-billion"),
        pytest.param("| Item | £k |\n|---|---|\n| Pilot | 40 |\n", [("40", 40_000)], id="table-column-gbp-k"),
        pytest.param("| Item | £ thousand |\n|---|---|\n| Pilot | 40 |\n", [("40", 40_000)], id="table-column-gbp-thousand"),
        pytest.param("| School | Allocation (£) |\n|---|---|\n| Oak | 12,345 |\n", [("12,345", 12_345)], id="table-column-bare-gbp"),
        pytest.param(
            "| Region | Capital (£m) | Revenue (£000) | Schools |\n|---|---|---|---|\n| East | 10 | 250 | 40 |\n",
            [("10", 10 * M), ("250", 250_000)],
            id="table-units-per-column-count-column-not-money",
        ),
        pytest.param(CAPTIONED + "| North | - | n/a |\n| South | .. | nil |\n", [], id="table-non-numeric-cells"),
        pytest.param(CAPTIONED + "| Total | **2,468** | (45) |\n", [("2,468", 2_468_000), ("45", 45_000)], id="table-bold-and-bracketed-cells"),
        pytest.param("£ million\n| Year | Funding |\n|---|---|\n| 2021 | 12 |\n| 2022 | 13 |\n", [("12", 12 * M), ("13", 13 * M)], id="table-year-column-not-money"),
        pytest.param("£m\n| Fund | 2023 | Financial year |\n|---|---|---|\n| Hubs | 5 | 2024 |\n", [("5", 5 * M)], id="table-year-header-column-not-money"),
        pytest.param("£m\n| Fund | Amount | Share (%) |\n|---|---|---|\n| Hubs | 5 | 40 |\n", [("5", 5 * M)], id="table-percentage-column-not-money"),
        pytest.param("£m\n| Fund | Amount |\n|---|---|\n| Hubs | 12% |\n", [], id="table-percentage-cell-not-money"),
        pytest.param("| £m | Amount |\n|---|---|\n| | 2022 |\n| Hubs | 7 |\n", [("7", 7 * M)], id="table-second-header-row-of-years"),
        pytest.param("| Fund | Amount (£m) |\n| Hubs | 8 |\n", [("8", 8 * M)], id="table-without-delimiter-row"),
        pytest.param("| Fund | Amount (£m) |\n|---|---|\n| Hubs | £9m |\n", [("£9m", 9 * M)], id="table-cell-with-its-own-sign-read-once"),
        pytest.param("| Fund | Amount |\n|---|---|\n| Hubs | 8 |\n", [], id="table-without-a-unit"),
        pytest.param("Costs in £m are rounded.\n\nSee below.\n\n| Fund | Amount |\n|---|---|\n| Hubs | 8 |\n", [], id="table-unit-too-far-above"),
        pytest.param("| Fund | £m a year |\n|---|---|\n| Hubs | 8 |\n", [("8", 8 * M)], id="table-unit-with-rate"),
    ],
)
def test_table_cells_under_a_unit_heading(text, figures):
    found = money(text)
    assert [(m.text, m.amount) for m in found] == [(written, Decimal(amount)) for written, amount in figures]
    assert all(text[m.start : m.end] == m.text and m.currency == "GBP" for m in found)


def test_table_unit_heading_is_set_aside_with_its_reason():
    items = list(find_money(CAPTIONED + "| North | 1,234 | 1,300 |\n"))
    heading = [item for item in items if isinstance(item, SetAside)]
    assert [h.text for h in heading] == ["£000)"]
    assert "unit heading of a table" in heading[0].reason


def test_table_rate_comes_from_the_unit_heading():
    assert one("| Fund | £m a year |\n|---|---|\n| Hubs | 8 |\n").rate == "per year"


def test_signed_table_cell_is_a_figure_of_its_magnitude_with_its_sign_in_the_text():
    # a policy-costings table prints a cost as "-3" and a yield as "+4": both are money, the sign read later
    items = list(find_money("| Fund | Change (£m) |\n|---|---|\n| Hubs | -3 |\n| Fees | +4 |\n"))
    figures = [(i.text, i.amount) for i in items if isinstance(i, Money)]
    assert figures == [("-3", 3 * M), ("+4", 4 * M)]


def test_a_unit_alone_in_a_header_row_governs_every_year_column():
    text = ("|  |  | £ million |  |\n|---|---|---|---|\n|  | 2030-31 | 2031-32 | 2032-33 |\n"
            "| Road repairs | -12 | -30 | 0 |\n")
    assert [(m.text, m.amount) for m in find_money(text) if isinstance(m, Money)] == [("-12", 12 * M), ("-30", 30 * M)]


def test_a_section_row_sets_the_unit_of_the_rows_under_it_and_a_share_row_unsets_it():
    text = ("|  | 2030-31 | 2031-32 |\n|---|---|---|\n"
            "| Net debt (£ billion) |  |  |\n| This forecast | 101.5 | 99.0 |\n"
            "| Net debt (% GDP) |  |  |\n| This forecast | 3.1 | 2.9 |\n")
    assert [(m.text, m.amount) for m in find_money(text) if isinstance(m, Money)] == [
        ("101.5", Decimal("101500000000.0")), ("99.0", Decimal("99000000000.0"))]


def test_only_year_columns_hold_figures_where_a_table_has_them():
    # the row number and a count column are not money; zero cells are no mention
    text = ("#### Table 4: Costings (£ million)\n\n| | Measure | Staff | 2030-31 | 2031-32 |\n|---|---|---|---|---|\n"
            "| 7 | Ferry grant | 12 | -5 | 0 |\n")
    assert [m.text for m in find_money(text) if isinstance(m, Money)] == ["-5"]


def test_a_rise_by_one_sum_to_another_is_two_figures_not_a_range():
    assert [m.text for m in find_money("raising the limit by £500 to £2,500 from April") if isinstance(m, Money)] == ["£500", "£2,500"]


def test_the_misspelling_billon_is_a_billion():
    assert one("a further £4 billon").amount == 4 * 10**9


def test_brackets_are_not_a_minus_sign():
    assert one("(£82 million)").amount == 82 * M


@pytest.mark.parametrize(
    "text, shown",
    [
        pytest.param("the £ sign", "£ sign", id="sign-alone"),
        pytest.param("the GBP exchange rate", "GBP exchange rate", id="code-alone"),
        pytest.param("costs in £s", "£s", id="plural"),
    ],
)
def test_marker_without_amount_is_set_aside(text, shown):
    items = list(find_money(text))
    assert len(items) == 1 and isinstance(items[0], SetAside)
    assert items[0].text == shown
    assert items[0].reason == "currency marker not followed by an amount"


def test_parse_money_rejects_text_without_money():
    with pytest.raises(ValueError, match="no money figure"):
        parse_money("three hundred schools")


def test_format_amount_is_exact():
    assert format_amount(Decimal("1.2") * 10**6) == "1200000"
    assert format_amount(Decimal("0.1") + Decimal("0.2")) == "0.3"


# -- properties -----------------------------------------------------------------------------

SCALE_FORMS = [("", 1), ("k", 10**3), ("m", M), (" million", M), ("bn", BN), (" billion", BN), ("tn", 10**12)]


@given(
    units=st.integers(min_value=0, max_value=10**6),
    decimals=st.integers(min_value=0, max_value=3),
    scale=st.sampled_from(SCALE_FORMS),
    marker=st.sampled_from(["£", "£ ", "GBP ", "GBP"]),
)
def test_formatted_amount_parses_back(units, decimals, scale, marker):
    number = Decimal(units).scaleb(-decimals)  # 1234 with 2 decimals is 12.34
    assume(number * scale[1] <= AMOUNT_CEILING)  # above it a figure is set aside (tested below)
    written = f"{marker}{number:f}{scale[0]}"
    found = parse_money(f"The department will invest {written} in schools.")
    assert found.text == written
    assert found.amount == number * scale[1]
    assert found.currency == "GBP"


@given(st.integers(min_value=1000, max_value=10**15))
def test_thousands_separators_parse_back(value):
    written = f"£{value:,}"
    assert parse_money(f"spent {written} in total").amount == value


@given(low=st.integers(1, 10**4), extra=st.integers(1, 10**4), scale=st.sampled_from(["m", " million", "bn"]))
def test_ranges_parse_back(low, extra, scale):
    found = one(f"costs of £{low}-{low + extra}{scale} are expected")
    multiplier = BN if scale == "bn" else M
    assert (found.amount, found.amount_high) == (low * multiplier, (low + extra) * multiplier)


TOKENS = list("£$€¥0123456789.,-–— mkbnMKBN\n*_#[]()<>/") + [
    "GBP", "EUR", "US$", "million", "billion", "to", "and", "between", "from", "over", "up to",
    "a year", "per", "pounds", "euros", "five", "hundred", "Â£", "\r\n", "---",
    "|", "|---|", "£000", "£'000", " £ million", "half a", "fifty", " and a half ", "%", "n/a",
]
MONEYISH = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@settings(max_examples=1500)
@given(st.one_of(MONEYISH, st.text(max_size=200)))
def test_finder_never_crashes_and_offsets_hold(text):
    last_start = -1
    for item in find_money(text):
        assert 0 <= item.start < item.end <= len(text)
        assert item.start >= last_start
        last_start = item.start
        assert text[item.start : item.end] == item.text
        if isinstance(item, Money):
            assert item.amount >= 0
            assert item.amount_high is None or item.amount_high > item.amount
            assert item.currency.isalpha() and len(item.currency) == 3


# -- hostile input (issue 11) ---------------------------------------------------------------

# A scale is a word, or an abbreviation joined to the number or one space after it on its line;
# never a lone letter that starts an initial or labels a list item, nor one across a line end.
@pytest.mark.parametrize(
    "text, figures",
    [
        pytest.param("options: a) £500 b) £600", [("£500", 500), ("£600", 600)], id="list-label-b-is-not-billion"),
        pytest.param("It cost £40\nM. Smith said", [("£40", 40)], id="initial-on-next-line-is-not-million"),
        pytest.param("It cost £40 M. Smith said", [("£40", 40)], id="initial-after-space-is-not-million"),
        pytest.param("paid £40\nm and more", [("£40", 40)], id="letter-on-next-line-is-not-million"),
        pytest.param("paid £5\nbn", [("£5", 5)], id="abbreviation-on-next-line-is-not-billion"),
        pytest.param("a £5 m fund", [("£5 m", 5 * M)], id="m-one-space-is-million"),
        pytest.param("a £5m fund", [("£5m", 5 * M)], id="m-joined-is-million"),
        pytest.param("a £5 bn fund", [("£5 bn", 5 * BN)], id="bn-one-space-is-billion"),
        pytest.param("a £5\nmillion fund", [("£5\nmillion", 5 * M)], id="word-across-a-wrapped-line"),
        pytest.param("costs of £15-20 m", [("£15-20 m", 15 * M)], id="range-with-spaced-m"),
    ],
)
def test_scale_letters_only_joined_or_one_space(text, figures):
    assert [(m.text, m.amount) for m in money(text)] == [(t, Decimal(a)) for t, a in figures]


def set_aside(text: str) -> list[tuple[str, str]]:
    return [(item.text, item.reason) for item in find_money(text) if isinstance(item, SetAside)]


TOO_LONG = "£" + "9" * 4301


@pytest.mark.parametrize(
    "text, shown, reason",
    [
        pytest.param(f"a {TOO_LONG} fund", TOO_LONG, "a number of 4301 digits: too long to be an amount", id="digit-run-over-int-limit"),
        pytest.param("£1.0000000000000000000000000001m", "£1.0000000000000000000000000001m",
                     "a number of 29 digits: too long to be an amount", id="29-significant-digits-would-round"),
        pytest.param("£2,000,000bn in total", "£2,000,000bn", "an amount over 1000000000000000: too large to be a figure", id="over-the-ceiling"),
        pytest.param("shares at 470 pence a share", "470 pence", "an amount in pence: not read as money (write it in pounds to count it)", id="pence-word"),
        pytest.param("a stamp is 50p now", "50p", "an amount in pence: not read as money (write it in pounds to count it)", id="pence-p"),
        pytest.param("528 million francs", "528 million francs",
                     "a currency word that names more than one currency (francs): not read as money", id="francs-ambiguous"),
        pytest.param("two million rupees", "two million rupees",
                     "a currency word that names more than one currency (rupees): not read as money", id="rupees-in-words"),
    ],
)
def test_not_an_amount_is_set_aside_with_its_reason(text, shown, reason):
    assert money(text) == []
    assert set_aside(text) == [(shown, reason)]


def test_absurd_figure_does_not_lose_the_others():
    text = f"We give £5m. Then {TOO_LONG}. And £6m."
    assert [m.text for m in money(text)] == ["£5m", "£6m"]
    assert len(set_aside(text)) == 1


def test_pence_beside_pounds_is_set_aside_not_dropped():
    assert [m.text for m in money("£3 and 50p")] == ["£3"]
    assert [shown for shown, _ in set_aside("£3 and 50p")] == ["50p"]


@pytest.mark.parametrize(
    "text, written, amount, currency",
    [
        pytest.param("C$300m for trade", "C$300m", 300 * M, "CAD", id="canadian-dollar"),
        pytest.param("HK$10bn of bonds", "HK$10bn", 10 * BN, "HKD", id="hong-kong-dollar"),
        pytest.param("A$5m grant", "A$5m", 5 * M, "AUD", id="australian-dollar"),
        pytest.param("NZ$5m grant", "NZ$5m", 5 * M, "NZD", id="new-zealand-dollar"),
        pytest.param("US$2bn of aid", "US$2bn", 2 * BN, "USD", id="us-dollar"),
        pytest.param("5 million USD of aid", "5 million USD", 5 * M, "USD", id="code-after-amount"),
        pytest.param("5 million US dollars", "5 million US dollars", 5 * M, "USD", id="us-dollars-words-after"),
        pytest.param("five million US dollars", "five million US dollars", 5 * M, "USD", id="us-dollars-amount-in-words"),
        pytest.param("300 million euros", "300 million euros", 300 * M, "EUR", id="euros-after"),
        pytest.param("two million euros", "two million euros", 2 * M, "EUR", id="euros-amount-in-words"),
        pytest.param("€5m", "€5m", 5 * M, "EUR", id="euro-sign"),
        pytest.param("12 billion yen", "12 billion yen", 12 * BN, "JPY", id="yen-after"),
        pytest.param("2 million Swiss francs", "2 million Swiss francs", 2 * M, "CHF", id="swiss-francs"),
    ],
)
def test_other_currencies_read_as_their_own(text, written, amount, currency):
    found = one(text)
    assert (found.text, found.amount, found.currency) == (written, Decimal(amount), currency)
    assert set_aside(text) == []
