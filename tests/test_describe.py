"""Every sentence template, with the data that would have made the old sentence lie."""

from __future__ import annotations

import pandas as pd
import pytest

from funding import describe
from funding.totals import filter_tables, totals


def series(**values) -> pd.Series:
    return pd.Series({k.replace("_", "-"): v for k, v in values.items()}, dtype=float)


def fy(pairs: dict) -> pd.Series:
    return pd.Series(pairs, dtype=float)


@pytest.mark.parametrize(
    "years, sentence",
    [
        pytest.param({"2022-23": 2_119_000_003, "2023-24": 2_119_000_012, "2024-25": 2_119_000_003},
                     "Committed money is about level at £2.1bn a year from 2022-23 to 2024-25", id="differ-by-9-pounds-is-level-not-a-peak"),
        pytest.param({"2021-22": 630e6, "2022-23": 2_119e6, "2023-24": 2_119e6 + 9, "2024-25": 2_119e6},
                     "Committed money is highest and about level at £2.1bn a year from 2022-23 to 2024-25", id="plateau-after-a-lower-year"),
        pytest.param({"2021-22": 500e6}, "All £500m with known years falls in 2021-22", id="one-year-does-not-peak"),
        pytest.param({"2021-22": 630e6, "2022-23": 2.1e9, "2023-24": 2e9}, "Committed money is highest in 2022-23, at £2.1bn", id="clear-peak"),
        pytest.param({"2021-22": 100e6, "2022-23": 101.5e6}, "Committed money is highest in 2022-23, at £101.5m", id="1.5-percent-above-is-clear"),
        pytest.param({"2021-22": 100e6, "2022-23": 100.5e6}, "Committed money is about level at £100.2m a year from 2021-22 to 2022-23", id="0.5-percent-above-is-level"),
        pytest.param({"2021-22": 50e6, "2022-23": 10e6, "2023-24": 50e6}, "Committed money is highest and about level at £50m a year in 2021-22 and 2023-24", id="tie-not-consecutive"),
        pytest.param({}, "No money in this view has known financial years", id="empty"),
        pytest.param({"2024-25": 1e6, "2022-23": 5e6}, "Committed money is highest in 2022-23, at £5m", id="unsorted-years"),
    ],
)
def test_year_message(years, sentence):
    assert describe.year_message(fy(years)) == sentence


@pytest.mark.parametrize(
    "values, sentence",
    [
        pytest.param({"DCMS": 561e6}, "DCMS is the only department in view, with £561m", id="one-bar-is-not-the-most"),
        pytest.param({"DLUHC": 5.5e9, "DCMS": 561e6}, "DLUHC has the most money committed, £5.5bn of £6.1bn", id="clearly-most"),
        pytest.param({"DfE": 300e6, "DHSC": 299e6 + 500e3, "HO": 3e6}, "DfE and DHSC have the most money committed, about £299.8m each", id="tie-within-1-percent"),
        pytest.param({}, "No money committed in this view", id="empty"),
    ],
)
def test_bar_message(values, sentence):
    assert describe.bar_message(pd.Series(values, dtype=float), "department") == sentence


def commitments(rows) -> pd.DataFrame:
    """Commitments from (id, total, department, theme, counted, source line)."""
    return pd.DataFrame([{"commitment_id": c, "amount_gbp": t, "total_gbp": t, "department": d, "theme": th, "counted": k,
                          "count_note": "counted" if k else "part of c000000000001, counted whole", "source_id": "s",
                          "first_mention_id": "m" + c[1:], "label": "", "programme": "", "parent_id": ""}
                         for c, t, d, th, k, *_ in rows])


# a theme like family hubs: £302m phased over three years, £39m with no years
HUBS = commitments([("c1", 302e6, "DfE;DHSC", "hubs", True), ("c2", 39e6, "DfE", "hubs", True)])
HUBS_YEARS = pd.DataFrame({"commitment_id": ["c1"] * 3, "financial_year": ["2022-23", "2023-24", "2024-25"],
                           "amount_gbp": [100_666_667, 100_666_667, 100_666_666], "counted": [True] * 3})


@pytest.mark.parametrize(
    "frame, years, shown, filter_years, basis, sentence",
    [
        pytest.param(HUBS, HUBS_YEARS, 302e6, None, "cash",
                     "The chart adds up to £302m of the £341m committed. £39m of this (1 commitment) has no known financial years and is not in the chart.",
                     id="headline-and-chart-disagree-and-say-why"),
        pytest.param(HUBS.iloc[:1], HUBS_YEARS, 302e6, None, "cash",
                     "Every counted commitment in view has known financial years: the chart adds up to the £302m committed.", id="all-known"),
        pytest.param(HUBS.iloc[1:], HUBS_YEARS.iloc[0:0], 0.0, None, "cash",
                     "None of the £39m committed here (1 commitment) has known financial years, so there is no chart by year.", id="none-known"),
        pytest.param(HUBS, HUBS_YEARS, 201_333_334, ("2022-23", "2023-24"), "cash",
                     "£39m of this (1 commitment) has no known financial years and is not in the chart. £100.7m falls in years outside 2022-23 to 2023-24.",
                     id="years-filter"),
        pytest.param(HUBS.iloc[:1], HUBS_YEARS, 280e6, None, "real",
                     "The chart is in real terms, so it does not add up to the £302m committed in cash.", id="real-terms"),
    ],
)
def test_year_coverage(frame, years, shown, filter_years, basis, sentence):
    assert describe.year_coverage(frame, years, shown, filter_years, basis) == sentence


def test_shared_money_in_a_department_view_explains_why_profiles_add_to_more_than_the_total():
    sentence = describe.shared_money(HUBS, "DfE")
    assert sentence.startswith("£302m of the £341m here is shared with DHSC (1 commitment naming several departments).")
    assert "department profiles add up to more than the total" in sentence


def test_shared_money_across_departments_is_its_own_bar():
    assert describe.shared_money(HUBS).startswith("£302m (1 commitment) is shared between departments.")
    assert describe.shared_money(HUBS.iloc[1:]) == ""
    assert describe.shared_money(HUBS.iloc[1:], "DfE") == "No money in view is shared between departments."


@pytest.mark.parametrize(
    "value, name", [("DfE;DHSC", "DfE and DHSC (shared)"), ("DfE;DHSC;DLUHC", "DfE, DHSC and DLUHC (shared)"), ("HO", "HO")],
    ids=["two", "three", "one"],
)
def test_department_name(value, name):
    assert describe.department_name(value) == name


@pytest.mark.parametrize(
    "row, name",
    [
        pytest.param({"label": "breastfeeding support", "programme": "Family Hubs"}, "Breastfeeding support", id="label-first"),
        pytest.param({"label": "", "programme": "Youth Investment Fund"}, "Youth Investment Fund", id="programme"),
        pytest.param({"label": "", "programme": ""}, "", id="nothing-is-never-an-id"),
    ],
)
def test_what_for(row, name):
    assert describe.what_for(dict(row, commitment_id="cf626f9a90e67")) == name


def tables_with_context() -> dict[str, pd.DataFrame]:
    """One youth commitment on line 10 and four context figures: one on line 10, three elsewhere."""
    frame = commitments([("c1", 22e6, "DCMS", "youth", True), ("c2", 4.8e9, "DLUHC", "local", True)])
    mentions = pd.DataFrame({
        "mention_id": ["m1", "m2", "x1", "x2", "x3", "x4"], "source_id": ["s"] * 6,
        "line": ["10", "20", "10", "20", "20", "30"],
        "commitment_id": ["c1", "c2", "", "", "", ""], "role": ["commitment"] * 2 + ["context"] * 4,
    })
    years = pd.DataFrame({"commitment_id": ["c1"], "financial_year": ["2022-23"], "amount_gbp": [22e6], "counted": [True]})
    empty = pd.DataFrame({"package_id": [], "from_id": [], "to_id": []})
    return {"commitments": frame, "mentions": mentions, "commitment_years": years, "packages": empty, "relations": empty}


@pytest.mark.parametrize(
    "theme, department, sentence",
    [
        pytest.param(None, None, "Left out 4 context figures (statistics, baselines, cuts, spending power).", id="all"),
        pytest.param("youth", None, "Left out 1 context figure beside these commitments (statistics, baselines, cuts, spending power).", id="theme-counts-its-own"),
        pytest.param(None, "DLUHC", "Left out 2 context figures beside these commitments", id="department-counts-its-own"),
    ],
)
def test_context_figures_left_out_are_those_of_the_view(theme, department, sentence):
    tables = filter_tables(tables_with_context(), theme, department)
    assert sentence in totals(tables, by="theme").attrs["statement"]


def test_a_view_with_no_context_figures_says_so():
    tables = tables_with_context()
    tables["mentions"] = tables["mentions"][tables["mentions"]["line"] != "10"].reset_index(drop=True)
    tables["mentions"] = pd.concat([tables["mentions"], pd.DataFrame({"mention_id": ["m1"], "source_id": ["s"], "line": ["10"],
                                                                      "commitment_id": ["c1"], "role": ["commitment"]})])
    statement = totals(filter_tables(tables, "youth"), by="theme").attrs["statement"]
    assert "No context figures stand beside these commitments." in statement and "Left out" not in statement


def test_counted_statement_agrees_in_number():
    one = commitments([("c1", 5e6, "HO", "t", True)])
    statement = describe.counted_statement(one, pd.DataFrame({"role": ["context"]}), False, one)
    assert statement == ("Counted 1 of 1 commitment, each once. Left out 1 context figure (statistics, baselines, cuts, spending power). "
                         "1 counted commitment (£5.0m) has no known financial years and is not in these totals.")


@pytest.mark.parametrize(
    "field, value, target, words",
    [
        pytest.param("parent_id", "c3e3e29a8adce", "£500m for family services (line 44)", "is part of £500m for family services (line 44)", id="parent-in-words"),
        pytest.param("repeat_of", "m1", "£10m (line 107)", "restates £10m (line 107)", id="repeat-in-words"),
        pytest.param("repeat_of", "", "", "is not a restatement of any earlier figure", id="not-a-repeat"),
        pytest.param("department", "DLUHC", "", "department set to DLUHC", id="department"),
        pytest.param("confirm", "role", "", "automatic role confirmed", id="confirm"),
        pytest.param("fy_start", "2022-23", "", "first financial year set to 2022-23", id="year"),
    ],
)
def test_review_decision(field, value, target, words):
    assert describe.review_decision(field, value, target) == words


@pytest.mark.parametrize(
    "kind, name, title",
    [("theme", "Youth services", "Theme profile: Youth services"),
     ("department", "Department for Education (DfE)", "Department profile: Department for Education (DfE)"),
     ("overview", "", "Overview: money committed in the source documents")],
    ids=["theme", "department", "overview"],
)
def test_report_title_names_the_theme_or_department(kind, name, title):
    assert describe.report_title(kind, name) == title


def test_package_title_and_alt_text_never_need_an_id():
    assert describe.package_title("", 39e6) == "A £39m package"
    alt = describe.package_alt("", 39e6, [("Family Hubs Transformation Fund", 12e6)], 12e6)
    assert alt.startswith("Bar chart of a £39m package and its 1 component: Family Hubs Transformation Fund: £12m.")
