"""Linking rules on small texts: what must join, and what must stay apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from funding.build import Document, build_tables
from funding.reference import load_reference

REF = load_reference(Path(__file__).resolve().parents[1] / "data" / "raw")
DAY = dt.date(2022, 2, 2)


def build(*texts: str):
    docs = [Document(f"doc{i}", text, DAY, DAY) for i, text in enumerate(texts)]
    tables = build_tables(docs, REF)
    by_text = {}
    for m in tables.mentions:
        by_text.setdefault(m["text"], []).append(m)
    commitments = {c["commitment_id"]: c for c in tables.commitments}
    return tables, by_text, commitments


def parent_text(tables, by_text, commitments, figure):
    cid = by_text[figure][0]["commitment_id"]
    parent = commitments[cid]["parent_id"]
    return next(m["text"] for m in tables.mentions if m["commitment_id"] == parent) if parent else None


@pytest.mark.parametrize(
    "text, child, parent",
    [
        pytest.param("The £500 million plan was launched, of which £79 million is for children.", "£79 million", "£500 million", id="of-which"),
        pytest.param("DCMS is investing £560 million in youth services. £368 million of this investment is for buildings.", "£368 million", "£560 million", id="of-this"),
        pytest.param("We are investing £60 million. £40 million of this is capital. £19 million is for staff.", "£19 million", "£60 million", id="is-for-after-of-this"),
        pytest.param("We announced a £90 million package. This includes:\n\n- hubs (£50 million);\n- pilots (£40 million).", "£40 million", "£90 million", id="list-under-lead-in-without-figure"),
        pytest.param("This £300 million builds on the existing £39 million, which includes:\n\n- a new £12 million fund", "£12 million", "£39 million", id="list-under-lead-in-with-figures"),
        pytest.param("We provide councils with £4.8 billion.\n\nThis significant investment includes over £1 billion for care.", "£1 billion", "£4.8 billion", id="this-investment-includes"),
    ],
)
def test_component_joins_its_package(text, child, parent):
    tables, by_text, commitments = build(text)
    assert parent_text(tables, by_text, commitments, child) == parent


def test_component_is_never_larger_than_its_package():
    tables, by_text, commitments = build("The £5 million plan, of which £79 million is new.")
    assert parent_text(tables, by_text, commitments, "£79 million") is None


@pytest.mark.parametrize(
    "texts, figure",
    [
        pytest.param(("We announced a £300 million fund for family hubs.\n\nThis £300 million investment builds on earlier work.",), "£300 million", id="referred-back"),
        pytest.param(("A £12 million Family Hubs Transformation Fund was launched.",
                      "The Family Hubs Transformation Fund (£12 million) will help councils."), "£12 million", id="same-programme-across-documents"),
        pytest.param(("The Chancellor announced £500 million for early help at the 2021 Spending Review.\n\n"
                      "The 3-year SR settlement includes £500 million of early help for families.",), "£500 million", id="same-theme-and-period"),
    ],
)
def test_repeats_join(texts, figure):
    _tables, by_text, _commitments = build(*texts)
    assert len({m["commitment_id"] for m in by_text[figure]}) == 1


@pytest.mark.parametrize(
    "texts, figure",
    [
        pytest.param(("The £500 million package supports early help for families.\n\n"
                      "The £500 million Mental Health Recovery Action Plan supports mental health.",), "£500 million", id="different-themes"),
        pytest.param(("An additional £200 million towards expanding Supporting Families.\n\n"
                      "Our £200 million investment in the Youth Endowment Fund.",), "£200 million", id="different-programmes"),
        pytest.param(("This includes:\n\n- parenting programmes (£50 million);\n- breastfeeding support (£50 million).",), "£50 million", id="siblings-in-one-list"),
        pytest.param(("We are investing £10 million in schools.\n\nWe are investing £10 million in hospitals.",), "£10 million", id="same-amount-no-evidence"),
    ],
)
def test_equal_amounts_for_different_things_stay_apart(texts, figure):
    _tables, by_text, _commitments = build(*texts)
    assert len({m["commitment_id"] for m in by_text[figure]}) == len(by_text[figure])


def test_total_that_includes_earlier_money():
    tables, by_text, commitments = build("This additional £200 million for Supporting Families takes us, taking total planned investment to £695 million.")
    whole, part = by_text["£695 million"][0]["commitment_id"], by_text["£200 million"][0]["commitment_id"]
    assert [(r["from_id"], r["relation"], r["to_id"]) for r in tables.relations] == [(whole, "includes", part)]
    assert (commitments[whole]["counted"], commitments[part]["counted"]) == ("true", "false")


def test_package_counted_through_components_only_when_they_add_up():
    tables, by_text, commitments = build("We are investing £60 million. £40 million of this is capital. £20 million is for staff.")
    package = commitments[by_text["£60 million"][0]["commitment_id"]]
    assert (package["counted"], tables.packages[0]["status"]) == ("false", "adds up")
    tables, by_text, commitments = build("We are investing £60 million. £40 million of this is capital.")
    package = commitments[by_text["£60 million"][0]["commitment_id"]]
    assert (package["counted"], tables.packages[0]["status"]) == ("true", "components cover part of the package")
    assert commitments[by_text["£40 million"][0]["commitment_id"]]["counted"] == "false"


def test_components_inherit_the_package_period():
    _tables, by_text, commitments = build("DCMS is investing £560 million over the next 3 years. £368 million of this is capital.")
    row = commitments[by_text["£368 million"][0]["commitment_id"]]
    assert (row["fy_start"], row["fy_end"], row["period_basis"]) == ("2022-23", "2024-25", "inherited from its package")


def test_years_are_phased_exactly():
    tables, by_text, _ = build("Over the next three years we are providing £100 million for councils.")
    assert [(y["financial_year"], y["amount_gbp"], y["allocation"]) for y in tables.commitment_years] == [
        ("2022-23", "33333334", "even split"), ("2023-24", "33333333", "even split"), ("2024-25", "33333333", "even split"),
    ]
