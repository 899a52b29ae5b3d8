"""Linking rules on small texts: what must join, and what must stay apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from funding.annotate.document import Document
from funding.build import build_tables
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
        # parts that do not add up to the total, so only the words can join them
        pytest.param("The canal trust's settlement is £9 billion. This comprises £2 billion for locks and £3 billion for towpaths.", "£3 billion", "£9 billion", id="this-comprises"),
        pytest.param("Harbour funding is £700 million. It is split into £200 million for quays and £100 million for cranes.", "£200 million", "£700 million", id="is-split-into"),
        pytest.param("The board announced £40 million for parks.\n\nThis funding forms part of the £90 million we are investing in green spaces.", "£40 million", "£90 million", id="forms-part-of-the-later-figure"),
        pytest.param("The board is investing £90 million in parks.\n\nAs part of this commitment, it announced grants worth £40 million.", "£40 million", "£90 million", id="as-part-of-this-commitment"),
        pytest.param("Road maintenance funding is £5 billion in 2026/27. Of this, Kent will receive £80 million.", "£80 million", "£5 billion", id="of-this-opening-a-sentence"),
        pytest.param("£700 million has been allocated for 2026-27. From this, £400 million goes to trusts and £300 million to councils.", "£300 million", "£700 million", id="from-this-second-figure"),
        pytest.param("We are providing £12 million for ports.\n\nPorts will get £5 million for cranes.\n\nFunding also includes a new £6 million skills scheme.", "£5 million", "£12 million", id="also-includes-the-part-named-before"),
        pytest.param("We are providing £12 million for ports.\n\nPorts will get £5 million for cranes.\n\nFunding also includes a new £6 million skills scheme.", "£6 million", "£12 million", id="also-includes-skips-the-sibling"),
        pytest.param("The fund is worth £250 million, including £40 million for rural buses.", "£40 million", "£250 million", id="including-in-one-sentence"),
        pytest.param("Ferry Grant Determination 2026-27\n1. The total amount of grant payable under this determination is £9,500,000.\n2. The grant is paid to the authorities in Annex A.\nAnnex A\na. Orkney Islands Council: £4,200,000\nb. Argyll and Bute Council: £3,100,000", "£3,100,000", "£9,500,000", id="annex-row-under-a-stated-grant-total"),
        pytest.param("The fund is worth £250 million, including £40 million for rural buses and £30 million for ferries.", "£30 million", "£250 million", id="including-a-and-b-second-figure"),
        pytest.param("The plan is worth £500 million, of which £80 million is for parks and £60 million for libraries.", "£60 million", "£500 million", id="of-which-a-and-b-second-figure"),
        pytest.param("Depots get £900 million in 2026-27, including £70 million for roofs, £50 million for doors and £20 million for locks.", "£20 million", "£900 million", id="including-a-list-of-three-last-figure"),
        pytest.param("Wales will receive £9 billion and Scotland £14 billion, including £200 million and £300 million respectively from the new fund.", "£200 million", "£9 billion", id="respectively-first-part-first-package"),
        pytest.param("Wales will receive £9 billion and Scotland £14 billion, including £200 million and £300 million respectively from the new fund.", "£300 million", "£14 billion", id="respectively-second-part-second-package"),
        pytest.param("We have confirmed £2 million for depots. We are adding £6 million for signals, meaning a total of £8 million this year.", "£2 million", "£8 million", id="parts-add-up-to-a-later-total"),
        pytest.param("Hospitals will get nearly £300 million.\n\nAn extra £20 million goes to clinics.\n\nThis is on top of the £280 million already confirmed.", "£280 million", "£300 million", id="parts-add-up-to-an-earlier-total"),
        pytest.param("Almost £1 billion of the £3 billion increase goes to hospitals.", "£1 billion", "£3 billion", id="of-the-figure"),
        # a column whose header names what a figure just above the table is for (issue 20, item 7)
        pytest.param("The department has made £30m available to support the work of FRBs in 2026-27.\n\n| Area | Depot grant | FRB allocation |\n|---|---|---|\n| Kent | £2,000,000 | £4,500,000 |\n| Essex | £1,000,000 | £3,500,000 |", "£3,500,000", "£30m", id="column-under-a-stated-total"),
        pytest.param("The 2027 to 2028 funding comprises:\n- £90 million to deliver local harbour plans (LHPs)\n\n| Authority | LHP capital 27/28 | LHP revenue 27/28 |\n|---|---|---|\n| Fife | £1,200,000 | £800,000 |", "£800,000", "£90 million", id="column-under-a-list-item-naming-it"),
        pytest.param("Ports get £35 million for quays and £7 million for cranes, totalling £42 million, in 2026-27.", "£7 million", "£42 million", id="totalling-in-one-sentence"),
        pytest.param("We are keeping the £100 million for ferries for each year of the settlement. We add £50 million and £40 million of new funding, meaning £390 million over three years.", "£40 million", "£390 million", id="each-year-amount-counts-three-times"),
    ],
)
def test_component_joins_its_package(text, child, parent):
    tables, by_text, commitments = build(text)
    assert parent_text(tables, by_text, commitments, child) == parent


def including_parent(tables, by_text, commitments, figure):
    """The package or the total that includes ``figure`` (a part_of parent or an includes whole)."""
    cid = by_text[figure][0]["commitment_id"]
    wholes = [r["from_id"] for r in tables.relations if r["relation"] == "includes" and r["to_id"] == cid]
    parent = commitments[cid]["parent_id"] or (wholes[0] if wholes else "")
    return next(m["text"] for m in tables.mentions if m["commitment_id"] == parent) if parent else None


@pytest.mark.parametrize(
    "text, child, whole",
    [
        pytest.param("Bus funding rises by £40 million, bringing total bus funding for local transport in England to £900 million.", "£40 million", "£900 million", id="bringing-total-far-to"),
        pytest.param("Ports received a £90 million top-up in 2025-26, which brought total port funding for the programme to £1.2 billion.", "£90 million", "£1.2 billion", id="brought-total-to-past-tense"),
        pytest.param("Last year a £15 million award took the total for the scheme to £60 million.", "£15 million", "£60 million", id="took-the-total-to-past-tense"),
        pytest.param("Grants rise by £30 million in 2026/27. This is an increase of 5% and will bring total grant funding to £630 million.", "£30 million", "£630 million", id="this-will-bring-total-refers-back"),
        pytest.param("An increase of £1 billion in 2026/27, to a total of £9 billion.", "£1 billion", "£9 billion", id="to-a-total-of"),
        pytest.param("Almost £1 billion of the £3 billion increase goes to hospitals, bringing total hospital capital to £12 billion.", "£1 billion", "£12 billion", id="enclosing-total-wins-over-of-the"),
        pytest.param("The department announced an additional £2 billion for rail. This means that rail funding will total almost £40 billion.", "£2 billion", "£40 billion", id="this-means-will-total"),
        pytest.param("For 2026-27, £200 million has been allocated, a £20 million uplift from the previous year.", "£20 million", "£200 million", id="uplift-after-the-level"),
        pytest.param("Housing grants are rising to over £3 billion in 2026/27, an increase of around £100 million.", "£100 million", "£3 billion", id="increase-of-after-the-level"),
    ],
)
def test_total_includes_its_increase(text, child, whole):
    tables, by_text, commitments = build(text)
    assert including_parent(tables, by_text, commitments, child) == whole


@pytest.mark.parametrize(
    "text, figure",
    [
        pytest.param("Grants for 2026-27 include:\n\n- a. depots (£20 million)\n- b. signals (£7 million)\n- c. lighting (£13 million)", "£7 million", id="list-items-do-not-add-up-to-a-sibling"),
        pytest.param("Councils get £5 million for roads.\n\nWe also fund £3 million for rail and £2 million for buses.", "£2 million", id="a-sum-that-is-no-total-of-them"),
        pytest.param("The average hourly rate will be £9 per hour. This will include £8 per hour for training and £1 per hour for travel.", "£1", id="rates-are-never-components"),
        pytest.param("Ferry Grant Determination 2026-27\n1. This grant comprises earlier grants:\na. Island ferries (£4.2 million)\nb. Lifeline routes: £3.1 million", "£3.1 million", id="annex-rows-with-no-stated-total"),
        pytest.param("Ports get £90 million for cranes and £40 million for quays.", "£40 million", id="and-after-a-figure-with-no-said-package"),
        # 2,500,000 + 63,000 + 1,672,000 is within 1% of the next row's 4,239,000: chance, other recipients' money
        pytest.param("| Authority | Capital | Capacity | Revenue |\n|---|---|---|---|\n| Bedford | £2,500,000 | £63,000 | £1,672,000 |\n| Cornwall | £4,239,000 | £94,000 | £5,482,000 |", "£1,672,000", id="cells-of-another-row-do-not-add-up-to-a-cell"),
        pytest.param("The department has made £30m available to support the work of FRBs in 2026-27.\n\n| Area | Depot grant | FRB allocation |\n|---|---|---|\n| Kent | £2,000,000 | £4,500,000 |", "£2,000,000", id="a-column-its-header-does-not-name-above"),
        pytest.param("The department has made £5m available to support the work of FRBs in 2026-27.\n\n| Area | FRB allocation |\n|---|---|\n| Kent | £4,500,000 |\n| Essex | £3,500,000 |", "£3,500,000", id="a-column-larger-than-the-figure-above"),
        pytest.param("Funding allocations in 2026/27 will include:\n\nOver £85 million of capital for depots.", "£85 million", id="include-lead-in-with-no-total"),
        pytest.param("We announced £900 million for rail.\n\nThis includes an average increase of 3% in fares support, which will mean that in 2027 the average station grant will be more than £20 million.", "£20 million", id="includes-too-far-from-the-figure"),
    ],
)
def test_no_package(text, figure):
    tables, by_text, commitments = build(text)
    assert including_parent(tables, by_text, commitments, figure) is None


def test_of_the_figure_is_not_the_package_when_a_total_is_stated():
    tables, by_text, commitments = build("Almost £1 billion of the £3 billion increase goes to hospitals, bringing total hospital capital to £12 billion.")
    assert parent_text(tables, by_text, commitments, "£1 billion") is None
    assert including_parent(tables, by_text, commitments, "£3 billion") is None


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


# --- same money as record linkage (funding.link.repeats) ---------------------------------------

@pytest.mark.parametrize(
    "texts, figures",
    [
        pytest.param(("Councils will receive over £12 billion for roads in 2025-26.\n\n"
                      "Road funding for councils rises to £11.9 billion in 2025-26.",), ("over £12 billion", "£11.9 billion"), id="hedged-rounding-restates"),
        pytest.param(("Overall rail funding will reach £63.9 billion in 2025-26.\n\n"
                      "Rail funding is rising, taking overall rail funding to £65.3 billion in 2025-26.",), ("£63.9 billion", "£65.3 billion"), id="revised-figure-same-year"),
        pytest.param(("The grant comprises:\n\n1. Harbour repairs (£41.5 million)\n2. Ferry crews (£9.5 million)\n"
                      "3. The £41.5 million of harbour money will continue the repairs.",), ("£41.5 million", "£41.5 million"), id="later-item-refers-back-to-an-earlier-one"),
        pytest.param(("The Transport Secretary announced a £3 million boost for rural bus routes.\n\n"
                      "The £3.1 million for rural bus routes opens in May.",), ("£3 million", "£3.1 million"), id="unhedged-rounding-within-5-percent"),
        pytest.param(("[Part 1 of 2]\nThe Ferry Fund will provide £33.9 million to island councils.\n\n"
                      "[Part 2 of 2]\nIsland councils will receive £33.9 million from the Ferry Fund.",), ("£33.9 million", "£33.9 million"), id="across-parts-same-programme"),
    ],
)
def test_restatements_are_one_commitment(texts, figures):
    tables, _by_text, _commitments = build(*texts)
    ids = {m["commitment_id"] for m in tables.mentions if m["text"] in figures or f"over {m['text']}" in figures}
    assert len(ids) == 1


@pytest.mark.parametrize(
    "texts, figure",
    [
        pytest.param(("We will invest £20 million in cycle lanes in 2024-25.\n\nWe will invest £20 million in cycle lanes in 2026-27.",), "£20 million", id="different-years-rule-out"),
        pytest.param(("We gave £5 million to the Harbour Fund.\n\nWe will give another £5 million to harbours.",), "£5 million", id="another-is-other-money"),
        pytest.param(("The Bus Fund will spend £70 million.", "The Bridge Fund will spend £70 million."), "£70 million", id="other-document-other-programme"),
        pytest.param(("We will spend £73.4 million on electric buses for rural routes.",
                      "We will spend £73.4 million on electric buses for rural routes."), "£73.4 million", id="other-document-no-programme"),
        pytest.param(("Overall rail funding will reach £63.9 billion in 2025-26.\n\nRail funding will reach £65.3 billion in 2026-27.",), None, id="revision-needs-the-same-year"),
        pytest.param(("The Ferry Fund is backed by over £500 million in 2025-26.\n\n"
                      "We are continuing the £520 million for the Ferry Fund for each year to 2028-29.",), None, id="stated-years-that-end-apart"),
    ],
)
def test_equal_or_close_amounts_that_are_other_money(texts, figure):
    tables, by_text, _commitments = build(*texts)
    rows = by_text[figure] if figure else [m for m in tables.mentions if m["role"] == "commitment"]
    assert len({m["commitment_id"] for m in rows}) == len(rows)


@pytest.mark.parametrize(
    "text, joined",
    [
        pytest.param("The Budget confirmed an additional £2 billion for rail in 2025-26. This means that rail funding will total almost £40 billion in 2025-26.\n\n"
                     "Rail funding is increasing by £3 billion in 2025-26, taking total rail funding to £41 billion in 2025-26.", True, id="revised-increase-of-one-total"),
        pytest.param("The Budget confirmed an additional £2 billion for rail. This means that rail funding will total almost £40 billion in 2025-26.\n\n"
                     "Rail funding is increasing by £3 billion, taking total rail funding to £41 billion in 2025-26.", False, id="increases-with-no-years-of-their-own"),
        pytest.param("The Budget confirmed an additional £2 billion for rail in 2025-26, taking total rail funding to £40 billion in 2025-26.\n\n"
                     "Bus funding is increasing by £3 billion in 2025-26, taking total bus funding to £12 billion in 2025-26.", False, id="increases-of-other-totals"),
    ],
)
def test_increases_for_one_year_in_one_total_are_one_increase(text, joined):
    _tables, by_text, _ = build(text)
    assert (by_text["£2 billion"][0]["commitment_id"] == by_text["£3 billion"][0]["commitment_id"]) is joined


def test_a_restatement_joins_the_figure_of_its_own_part_first():
    # Two grant notices in one file, alike but for their years: each part's later £1,500 is its own year's grant.
    notice = ("The department is offering £1,500 in the {year} financial year.\n\n"
              "Each depot that applies will get a fixed grant of £1,500 to train a safety lead.")
    tables, by_text, _ = build(f"[Part 1 of 2]\n{notice.format(year='2022-23')}\n\n[Part 2 of 2]\n{notice.format(year='2024-25')}")
    first, second, third, fourth = (m["commitment_id"] for m in by_text["£1,500"])
    assert first == second and third == fourth and first != third


def test_a_link_keeps_its_score_and_evidence():
    tables, by_text, _ = build("We announced a £300 million fund for ferries.\n\nThis £300 million investment builds on earlier work.")
    second = by_text["£300 million"][1]
    assert second["linked_to"] == by_text["£300 million"][0]["mention_id"]
    assert "referred back (+3.0)" in second["link_evidence"]
    assert float(second["link_score"]) >= 1.5


@pytest.mark.parametrize(
    "text, figure, years",
    [
        pytest.param("Ferry grants will be £900 million in 2025-26, an increase of £40 million on 2024-25.", "£40 million", ("2025-26", "2025-26"), id="increase-on-a-year-takes-the-level-year"),
        pytest.param("Ferries will receive up to £900 million next year, an increase of up to £40 million on this year.", "£40 million", ("2022-23", "2022-23"), id="increase-on-this-year-takes-the-level-year"),
        pytest.param("Rail funding rises to £2.9 billion in 2024-25, an increase of £90 million.", "£90 million", ("2024-25", "2024-25"),
                     id="increase-takes-the-year-of-the-total-that-includes-it"),
        pytest.param("[Part 1 of 2]\nRoads: conditions of grant for the 2023 to 2024 financial year\n\nEach council gets £40,000.\n\n"
                     "[Part 2 of 2]\nPort Grant Determination (2025-26): 31/9999\n\nThe grant comprises:\n\na. Cranes (£3.5 million)\nb. Quays (£1.5 million)",
                     "£1.5 million", ("2025-26", "2025-26"), id="a-list-takes-the-year-of-its-part-title"),
    ],
)
def test_years_come_from_what_encloses_a_figure(text, figure, years):
    _tables, by_text, commitments = build(text)
    row = commitments[by_text[figure][0]["commitment_id"]]
    assert (row["fy_start"], row["fy_end"]) == years


# -- merging groups: a large group is searched from its neighbours, with the same result ----------

from dataclasses import replace  # noqa: E402
from decimal import Decimal  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from funding.link import repeats  # noqa: E402
from funding.link.model import Item  # noqa: E402

WORDS = ["parks", "schools", "roads", "the", "this", "another", "further", "councils"]
figure = st.tuples(
    st.sampled_from([Decimal(5_000_000), Decimal(5_100_000), Decimal(5_120_000), Decimal(50_000_000)]),
    st.sampled_from(["", "", "", "parks fund", "parks", "roads fund"]),  # programmes, some conflicting
    st.sampled_from([(None, None), (2024, 2024), (2025, 2025), (2024, 2026)]),
    st.booleans(),  # years stated
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    st.sampled_from(["", "over"]),
)


def items_of(figures, per_document):
    items = []
    for i, (amount, programme, period, stated, words, qualifier) in enumerate(figures):
        source = f"doc{i // per_document}"
        text = f"{' '.join(words)} £{amount / 1_000_000:g} million for {words[-1]}"
        start = text.index("£")
        items.append(Item(i, f"m{i}", source, amount, "GBP", "total", text, (start, start + 10), text, (source, i),
                          (source, i), None, "", programme, "", period, start=i, part=i % 2, qualifier=qualifier,
                          label=words[-1], period_stated=stated))
    return items


@settings(max_examples=60, deadline=None)
@given(st.lists(figure, min_size=2, max_size=120), st.integers(min_value=5, max_value=60))
def test_merging_through_neighbours_finds_the_same_groups_as_every_pair(figures, per_document):
    items = items_of(figures, per_document)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(repeats, "WINDOW", 4)  # groups of more than a few figures, so that the search is used
        patch.setattr(repeats, "_PAIRWISE", 10**9)
        every_pair = repeats.find_repeats(items, {})
        patch.setattr(repeats, "_PAIRWISE", 0)
        neighbours = repeats.find_repeats(items, {})
    assert neighbours == every_pair


@settings(max_examples=40, deadline=None)
@given(st.lists(figure, min_size=2, max_size=80), st.integers(min_value=3, max_value=30))
def test_repeats_compared_document_by_document_and_moved_into_place_give_the_same_links(figures, per_document):
    items = items_of(figures, per_document)
    within = repeats.Compared([], set())
    for offset in range(0, len(items), per_document):  # each document numbered from 0, as a build's pass 1 does
        local = [replace(item, index=item.index - offset) for item in items[offset : offset + per_document]]
        moved = repeats.compare_within(local, {}).moved(offset)
        within.candidates.extend(moved.candidates)
        within.conflicts.update(moved.conflicts)
    assert repeats.find_repeats(items, {}, within=within) == repeats.find_repeats(items, {})


@given(st.lists(st.tuples(st.integers(0, 5), st.sampled_from([-1.5, 0.0, 2.0, 2.5]), st.integers(0, 5)), max_size=40))
def test_sorting_key_by_key_orders_links_as_one_tuple_key_does(triples):
    """``_sorted_by`` (one stable sort a key, no tuple made a link) against ``sorted`` with a tuple key."""
    from operator import attrgetter

    from funding.link.model import Link

    links = [Link(child, "repeat", parent, "rule", f"link {k}", score) for k, (child, score, parent) in enumerate(triples)]
    expected = sorted(links, key=lambda l: (l.child, -l.score, l.parent))
    got = repeats._sorted_by(links, attrgetter("child"), (attrgetter("score"), True), attrgetter("parent"))
    assert [l.evidence for l in got] == [l.evidence for l in expected]


def test_equal_cells_of_different_rows_are_different_allocations():
    text = ("Table: Grants to harbours (£)\n\n| Harbour | 2031-32 |\n|---|---|\n| Portree | £4,388,080 |\n"
            "| Stornoway | £4,388,080 |\n| Lerwick | £2,163,720 |\n")
    tables = build_tables([Document("doc", text, dt.date(2031, 4, 1), dt.date(2031, 4, 1), "DfT")], REF)
    ids = {m["commitment_id"] for m in tables.mentions if m["text"] == "£4,388,080"}
    assert len(ids) == 2  # two harbours, two allocations, however equal
