"""Charts: money labels, bars in order, alt text and data tables that state every number."""

from __future__ import annotations

import pandas as pd
import pytest

from funding.charts import bar_chart, format_money, package_chart, timeline_chart


@pytest.mark.parametrize(
    "value, label",
    [(4.8e9, "£4.8bn"), (1e12, "£1tn"), (695e6, "£695m"), (1.2e6, "£1.2m"), (1.25e6, "£1.2m"), (500e3, "£500k"),
     (250, "£250"), (0, "£0"), (-2e6, "-£2m"), (1_234e9, "£1.2tn")],
    ids=["billions", "trillion", "millions", "decimal-millions", "rounded-to-one-place", "thousands", "pounds", "zero", "negative", "over-1000bn"],
)
def test_format_money(value, label):
    assert format_money(value) == label


THEMES = pd.DataFrame({"theme": ["youth", "local-government", "education"], "amount_gbp": [561e6, 4.8e9, 10e6], "n_commitments": [3, 1, 1]})


def test_bar_chart_orders_labels_and_states_every_number():
    chart = bar_chart(THEMES, "theme", label="theme", labels={"local-government": "local government"})
    axes = chart.figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["education", "youth", "local government"]  # largest on top
    assert [b.get_width() for b in axes.patches] == [10e6, 561e6, 4.8e9]
    assert [t.get_text() for t in axes.texts] == ["£10m", "£561m", "£4.8bn"]
    assert chart.title == "Local government has the most money committed"
    assert chart.alt_text == "Horizontal bar chart of money committed by theme. local government: £4.8bn; youth: £561m; education: £10m."
    assert chart.data.to_dict("list") == {"Theme": ["local government", "youth", "education"], "Amount": ["£4.8bn", "£561m", "£10m"],
                                          "Amount (£)": [4_800_000_000, 561_000_000, 10_000_000]}


def test_timeline_in_year_order():
    years = pd.DataFrame({"financial_year": ["2023-24", "2021-22", "2022-23"], "amount_gbp": [2e9, 630e6, 2.1e9]})
    chart = timeline_chart(years)
    assert [t.get_text() for t in chart.figure.axes[0].get_xticklabels()] == ["2021-22", "2022-23", "2023-24"]
    assert chart.title == "Committed money peaks in 2022-23"
    assert "2021-22: £630m; 2022-23: £2.1bn; 2023-24: £2bn" in chart.alt_text


def test_real_terms_column_is_used():
    real = THEMES.rename(columns={"amount_gbp": "amount_gbp_real_2024_25"})
    assert bar_chart(real, "theme", label="theme").data["Amount (£)"].tolist() == [4_800_000_000, 561_000_000, 10_000_000]


@pytest.mark.parametrize(
    "parts, title",
    [
        pytest.param([300e6, 200e6], "The components of the £500m package add up to the package", id="adds-up"),
        pytest.param([368e6, 171e6, 22e6], "The components of the £560m package come to £561m, £1m more than the package", id="off-by-rounding"),
        pytest.param([79e6], "The components of the £500m package come to £79m, £421m less than the package", id="partial"),
    ],
)
def test_package_chart_shows_the_reconciliation(parts, title):
    package = pd.Series({"package_id": "c1", "amount_gbp": float(sum(parts) if "add up" in title else (560e6 if len(parts) == 3 else 500e6))})
    components = pd.DataFrame({"commitment_id": [f"k{i}" for i in range(len(parts))], "amount_gbp": parts})
    chart = package_chart(package, components)
    assert chart.title == title
    assert chart.data["Item"].tolist()[-2:] == ["Components added up", "Package as stated"]
    assert len(chart.figure.axes[0].patches) == len(parts) + 2


def test_empty_frames_give_an_empty_chart_that_says_so():
    empty_years = pd.DataFrame({"financial_year": pd.Series(dtype=str), "amount_gbp": pd.Series(dtype=float)})
    chart = timeline_chart(empty_years)
    assert chart.alt_text == "No money phased over financial years." and chart.data.empty
    empty_themes = pd.DataFrame({"theme": pd.Series(dtype=str), "amount_gbp": pd.Series(dtype=float)})
    assert bar_chart(empty_themes, "theme", label="theme").alt_text == "No money committed by theme."


def test_timeline_title_does_not_invent_a_peak_in_an_even_split():
    years = pd.DataFrame({"financial_year": ["2022-23", "2023-24", "2024-25"], "amount_gbp": [100_666_670, 100_666_666, 100_666_664]})
    assert timeline_chart(years).title == "Committed money is spread evenly over 2022-23 to 2024-25"
