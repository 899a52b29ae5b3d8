"""Charts: money labels, bars in order, labels by what the money is for, alt text, and no mathtext."""

from __future__ import annotations

import pandas as pd
import pytest

from funding.charts import axis_label, bar_chart, chart_html, format_money, package_chart, timeline_chart


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
    # the title and alt text now carry the message with its figures (issue 10): "of £5.4bn"
    chart = bar_chart(THEMES, "theme", label="theme", labels={"local-government": "local government"})
    axes = chart.figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["education", "youth", "local government"]  # largest on top
    assert [b.get_width() for b in axes.patches] == [10e6, 561e6, 4.8e9]
    assert [t.get_text() for t in axes.texts] == ["£10m", "£561m", "£4.8bn"]
    assert chart.title == "local government has the most money committed, £4.8bn of £5.4bn"
    assert chart.alt_text == ("Bar chart of money committed by theme. local government has the most money committed, £4.8bn of £5.4bn. "
                              "local government: £4.8bn; youth: £561m; education: £10m.")
    assert chart.data.to_dict("list") == {"Theme": ["local government", "youth", "education"], "Amount": ["£4.8bn", "£561m", "£10m"],
                                          "Amount (£)": [4_800_000_000, 561_000_000, 10_000_000]}


def test_a_single_bar_is_not_the_most():
    chart = bar_chart(pd.DataFrame({"department": ["DCMS"], "amount_gbp": [561e6]}), "department", label="department")
    assert chart.title == "DCMS is the only department in view, with £561m"
    assert "most" not in chart.alt_text


def test_timeline_in_year_order():
    years = pd.DataFrame({"financial_year": ["2023-24", "2021-22", "2022-23"], "amount_gbp": [2e9, 630e6, 2.1e9]})
    chart = timeline_chart(years)
    assert [t.get_text() for t in chart.figure.axes[0].get_xticklabels()] == ["2021-22", "2022-23", "2023-24"]
    assert chart.title == "Committed money is highest in 2022-23, at £2.1bn"
    assert "2021-22: £630m; 2022-23: £2.1bn; 2023-24: £2bn" in chart.alt_text


def test_real_terms_column_is_used():
    real = THEMES.rename(columns={"amount_gbp": "amount_gbp_real_2024_25"})
    assert bar_chart(real, "theme", label="theme").data["Amount (£)"].tolist() == [4_800_000_000, 561_000_000, 10_000_000]


@pytest.mark.parametrize(
    "parts, whole, verdict",
    [
        pytest.param([300e6, 200e6], 500e6, "The components of the £500m package add up to the package", id="adds-up"),
        pytest.param([368e6, 171e6, 22e6], 560e6, "The components of the £560m package come to £561m, £1m more than the package", id="off-by-rounding"),
        pytest.param([79e6], 500e6, "The components of the £500m package come to £79m, £421m less than the package", id="partial"),
    ],
)
def test_package_chart_shows_the_reconciliation(parts, whole, verdict):
    package = pd.Series({"package_id": "c1", "amount_gbp": whole})
    components = pd.DataFrame({"commitment_id": [f"k{i}" for i in range(len(parts))], "amount_gbp": parts})
    chart = package_chart(package, components, name="Youth services")
    assert chart.title == f"Youth services: a {format_money(whole)} package"
    assert chart.subtitle == verdict and chart.alt_text.endswith(verdict + ".")
    assert chart.data["Item"].tolist()[-2:] == ["Components added up", "Package as stated"]
    assert len(chart.figure.axes[0].patches) == len(parts) + 2


def test_package_chart_is_titled_and_labelled_by_what_the_money_is_for_never_an_id():
    package = pd.Series({"package_id": "cf626f9a90e67", "amount_gbp": 150e6})
    components = pd.DataFrame({"commitment_id": ["c78efda40c222", "c3b9f9939d799"], "amount_gbp": [100e6, 50e6]})
    names = {"c78efda40c222": "parent-infant mental health support for families with babies and young children",
             "c3b9f9939d799": "breastfeeding support"}
    chart = package_chart(package, components, names=names, name="Family Hubs and Start for Life")
    html = chart_html(chart)
    assert "cf626f9a90e67" not in html and "c78efda40c222" not in html
    assert chart.title == "Family Hubs and Start for Life: a £150m package"
    ticks = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert "parent-infant mental health\nsupport for families with\nbabies and young children" in ticks
    long = next(t for t in ticks if t.startswith("parent"))
    assert long.split() == names["c78efda40c222"].split()  # every word whole, none cut


@pytest.mark.parametrize(
    "label, lines",
    [
        pytest.param("Youth Investment Fund", ["Youth Investment Fund"], id="short"),
        pytest.param("This includes: parent-infant mental health support (£100 million)",
                     ["This includes: parent-infant", "mental health support (£100", "million)"], id="wrapped-at-words"),
        pytest.param("a " * 60, ["a " * 14 + "a", "a " * 14 + "a", "a " * 14 + "a …"], id="long-ends-at-a-word"),
        pytest.param("Supercalifragilisticexpialidociousprogrammefund", ["Supercalifragilisticexpialidociousprogrammefund"], id="long-word-kept-whole"),
    ],
)
def test_axis_labels_wrap_at_word_boundaries(label, lines):
    assert axis_label(label).split("\n") == [line.strip() for line in lines]


def test_dollars_in_a_label_are_not_mathtext_and_do_not_fail_a_report():
    # "$\frac{$" is invalid mathtext: drawn as maths it raises ValueError when the figure is saved
    label = r"costs $\frac{1}{$ and $x^2$ a year"
    chart = bar_chart(pd.DataFrame({"t": [label, "other"], "amount_gbp": [5e6, 1e6]}), "t", label="theme")
    html = chart_html(chart)  # saving the figure draws every label
    assert '<img src="data:image/png;base64,' in html
    tick = next(t for t in chart.figure.axes[0].get_yticklabels() if "costs" in t.get_text())
    assert not tick._preprocess_math(tick.get_text())[1]  # not parsed as mathtext
    assert "$x^2$" in chart.alt_text and label in chart.data["Theme"].tolist()  # words kept whole outside the image


def test_chart_html_gives_alt_text_with_message_and_figures_and_an_accessible_table():
    html = chart_html(bar_chart(THEMES, "theme", label="theme"))
    assert 'alt="Bar chart of money committed by theme. local-government has the most money committed, £4.8bn of £5.4bn.' in html
    assert '<th scope="col">Theme</th>' in html and "<caption>The numbers in this chart:" in html
    assert "4,800,000,000" in html


def test_empty_frames_say_so_in_words_with_no_chart():
    empty_years = pd.DataFrame({"financial_year": pd.Series(dtype=str), "amount_gbp": pd.Series(dtype=float)})
    chart = timeline_chart(empty_years)
    assert chart.figure is None and chart.data.empty
    assert chart.title == "No money in this view has known financial years"
    assert "<img" not in chart_html(chart) and "<table" not in chart_html(chart)
    empty_themes = pd.DataFrame({"theme": pd.Series(dtype=str), "amount_gbp": pd.Series(dtype=float)})
    chart = bar_chart(empty_themes, "theme", label="theme")
    assert chart.figure is None and chart.title == "No money committed in this view"


def test_timeline_title_does_not_invent_a_peak_in_an_even_split():
    years = pd.DataFrame({"financial_year": ["2022-23", "2023-24", "2024-25"], "amount_gbp": [100_666_670, 100_666_666, 100_666_664]})
    assert timeline_chart(years).title == "Committed money is about level at £100.7m a year from 2022-23 to 2024-25"
