"""The commitment model on the two source documents, against what reading them gives.

EXPECTED lists every money mention of both documents (source, line, figure) with its role
and, for commitments, the commitment it states (named by its first mention), the package it
is part of, its financial years, department, programme, theme and whether it is counted.
Values come from reading the documents and from the decisions in data/raw/review.csv (each
with its reason there); the totals at the end were added up by hand from this table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from funding.pipeline import build_project

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
G, D = "govt-response-children-in-crisis", "dfe-evidence-psc0062"
CTX = "context"

# (source, line, figure): role or context reason, then for commitments:
# (same commitment as, part of, fy_start, fy_end, department, programme, theme, counted)
FH, SFL = "family-hubs", "Family Hubs and Start for Life"
E39, P500, P300, P560, P48, SF200 = (G, 344, "£39 million"), (G, 44, "£500 million"), (G, 340, "£300 million"), (G, 116, "£560 million"), (G, 92, "£4.8 billion"), (G, 108, "£200 million")
SR = ("2022-23", "2024-25")
EXPECTED = {
    (D, 36, "£14m"): (None, E39, "", "", "DfE", "", FH, False),
    (D, 38, "£1.2m"): (None, E39, "2021-22", "2022-23", "DfE", "", FH, False),
    (G, 44, "£500 million"): (None, None, *SR, "DfE;DHSC;DLUHC", "", "early-help", False),
    (G, 52, "£500 million"): (None, None, "2021-22", "2021-22", "DHSC", "Mental Health Recovery Action Plan", "mental-health", True),
    (G, 58, "£79 million"): (None, (G, 52, "£500 million"), "2021-22", "2021-22", "DHSC", "", "mental-health", False),
    (G, 62, "£130 million"): (None, None, "2021-22", "2021-22", "HO", "", "serious-violence", True),
    (G, 62, "£45 million"): (None, None, "", "", "DfE", "", "serious-violence", True),
    (G, 64, "£3 million"): (None, None, "", "", "HO", "Children Affected by Domestic Abuse Fund", "domestic-abuse", True),
    (G, 82, "£766 million"): (CTX, "a cut or fall"),
    (G, 92, "£4.8 billion"): (None, None, *SR, "DLUHC", "", "local-government", True),
    (G, 92, "£54 billion"): (CTX, "spending power, not new money"),
    (G, 92, "£50 billion"): (CTX, "a baseline for comparison"),
    (G, 94, "£1 billion"): (None, P48, *SR, "DLUHC", "", "local-government", False),
    (G, 94, "£822 million"): (None, P48, "2022-23", "2022-23", "DLUHC", "Services Grant", "local-government", False),
    (G, 94, "£11.1 billion"): (CTX, "spending by others, past or planned"),
    (G, 100, "£500 million"): (P500,),
    (G, 102, "£82 million"): (None, P300, *SR, "DfE;DHSC", SFL, FH, True),
    (G, 103, "£50 million"): (None, P300, *SR, "DfE;DHSC", SFL, FH, True),
    (G, 104, "£10 million"): (None, P300, *SR, "DfE;DHSC", SFL, FH, True),
    (G, 105, "£50 million"): (None, P300, *SR, "DfE;DHSC", SFL, FH, True),
    (G, 106, "£100 million"): (None, P300, *SR, "DfE;DHSC", SFL, FH, True),
    (G, 107, "£10 million"): (None, P300, *SR, "DfE;DHSC", "", FH, True),
    (G, 108, "£200 million"): (None, P500, *SR, "DLUHC", "Supporting Families", "early-help", False),
    (G, 110, "£200 million"): (SF200,),
    (G, 110, "£695 million"): (None, None, *SR, "DLUHC", "Supporting Families", "early-help", True),
    (G, 116, "£560 million"): (None, None, *SR, "DCMS", "", "youth", False),
    (G, 116, "£368 million"): (None, P560, *SR, "DCMS", "Youth Investment Fund", "youth", True),
    (G, 118, "£171 million"): (None, P560, *SR, "DCMS", "National Citizen Service", "youth", True),
    (G, 118, "£22 million"): (None, P560, *SR, "DCMS", "", "youth", True),
    (G, 158, "£200 million"): (None, None, "", "", "HO", "Youth Endowment Fund", "serious-violence", True),
    (G, 180, "£10 million"): (None, None, "", "", "DfE", "Behaviour Hubs", "education", True),
    (G, 304, "£12 million"): (None, E39, "", "2023-24", "DfE", "Family Hubs Transformation Fund", FH, False),
    (G, 340, "£300 million"): (None, P500, *SR, "DfE;DHSC", SFL, FH, False),
    (G, 344, "£300 million"): (P300,),
    (G, 344, "£39 million"): (None, None, "", "", "DfE", "", FH, True),
    (G, 346, "£12 million"): ((G, 304, "£12 million"),),
    (G, 352, "£300 million"): (P300,),
}


@pytest.fixture(scope="module")
def tables():
    return build_project(RAW)[0]


@pytest.fixture(scope="module")
def by_key(tables):
    mentions = {(m["source_id"], int(m["line"]), m["text"]): m for m in tables.mentions}
    assert len(mentions) == len(tables.mentions) == len(EXPECTED), "every mention once"
    return mentions


def test_every_mention_is_in_the_table(by_key):
    assert set(by_key) == set(EXPECTED)


@pytest.mark.parametrize("key", list(EXPECTED), ids=[f"{k[0][:4]}-{k[1]}-{k[2]}" for k in EXPECTED])
def test_mention(key, by_key, tables):
    expected, mention = EXPECTED[key], by_key[key]
    commitments = {c["commitment_id"]: c for c in tables.commitments}
    if expected[0] == CTX:
        assert (mention["role"], mention["context_reason"], mention["commitment_id"]) == (CTX, expected[1], "")
        return
    assert mention["role"] == "commitment"
    if len(expected) == 1:  # a repeat: the same commitment as an earlier mention
        assert mention["commitment_id"] == by_key[expected[0]]["commitment_id"]
        assert mention["link"].startswith("repeat")
        return
    row = commitments[mention["commitment_id"]]
    assert row["first_mention_id"] == mention["mention_id"]
    _same, parent, fy_start, fy_end, department, programme, theme, counted = expected
    assert row["parent_id"] == (by_key[parent]["commitment_id"] if parent else "")
    assert (row["fy_start"], row["fy_end"]) == (fy_start, fy_end)
    assert (row["department"], row["programme"], row["theme"]) == (department, programme, theme)
    assert row["counted"] == ("true" if counted else "false"), row["count_note"]


def test_packages_and_reconciliation(tables, by_key):
    packages = {p["package_id"]: p for p in tables.packages}
    cid = lambda key: by_key[key]["commitment_id"]  # noqa: E731
    assert (packages[cid(P500)]["status"], packages[cid(P500)]["components_gbp"]) == ("adds up", "500000000")
    assert (packages[cid(P300)]["status"], packages[cid(P300)]["difference_gbp"]) == ("off by rounding", "2000000")
    assert (packages[cid(P560)]["status"], packages[cid(P560)]["difference_gbp"]) == ("off by rounding", "1000000")
    assert packages[cid(P48)]["counted_as"] == "package"
    includes = [(r["from_id"], r["to_id"]) for r in tables.relations if r["relation"] == "includes"]
    assert includes == [(cid((G, 110, "£695 million")), cid(SF200))]


M = 1_000_000
HAND_TOTALS_BY_THEME = {  # £, summed from EXPECTED's counted rows
    "local-government": 4800 * M, "early-help": 695 * M, "youth": (368 + 171 + 22) * M, "mental-health": 500 * M,
    "serious-violence": (130 + 45 + 200) * M, "family-hubs": (82 + 50 + 10 + 50 + 100 + 10 + 39) * M,
    "education": 10 * M, "domestic-abuse": 3 * M,
}
# Even splits in whole pounds, earlier years taking the odd pounds (see build._even_split).
HAND_TOTALS_BY_YEAR = {
    "2021-22": (500 + 130) * M,
    "2022-23": 1_600_000_000 + 231_666_667 + 100_666_670 + 187_000_001,
    "2023-24": 1_600_000_000 + 231_666_667 + 100_666_666 + 187_000_000,
    "2024-25": 1_600_000_000 + 231_666_666 + 100_666_664 + 186_999_999,
}


def test_totals_by_theme_and_year_match_the_hand_count(tmp_path):
    from funding.pipeline import write_tables
    from funding.totals import load_tables, totals

    write_tables(build_project(RAW)[1], tmp_path)
    tables = load_tables(tmp_path)
    by_theme = totals(tables, by="theme")
    assert dict(zip(by_theme["theme"], by_theme["amount_gbp"])) == HAND_TOTALS_BY_THEME
    by_year = totals(tables, by="financial_year")
    assert dict(zip(by_year["financial_year"], by_year["amount_gbp"])) == HAND_TOTALS_BY_YEAR
    assert "5 counted commitments (£297.0m) have no known financial years" in by_year.attrs["statement"]


@pytest.mark.parametrize(
    "sentence, figure, nth, expected",
    [
        pytest.param("Table columns: Fund; 2012-13. Row: Hubs | 12", "12", 0, (42, 44), id="cell-not-in-header-year"),
        pytest.param("We gave £50m and then £5m.", "£5m", 0, (22, 25), id="not-inside-a-longer-figure"),
        pytest.param("£5m now and £5m later.", "£5m", 1, (12, 15), id="second-occurrence"),
        pytest.param("Row text | 1,250 | 250", "250", 0, (19, 22), id="not-the-tail-of-a-number-with-commas"),
    ],
)
def test_span_in_sentence(sentence, figure, nth, expected):
    from funding.annotate.document import _span_in_sentence

    assert _span_in_sentence(sentence, figure, nth) == expected


def test_a_footnote_fused_to_a_figure_leaves_the_figure_in_its_sentence():
    from funding.annotate.document import _span_in_sentence
    sentence = "Payments stand at £51.9 billion43. Of the £5 in £50, none."
    assert _span_in_sentence(sentence, "£51.9 billion", 0) == (18, 31)  # "43" is a footnote, after the scale word
    assert _span_in_sentence(sentence, "£5", 0) == (42, 44)  # "£5" is not found inside "£50"
