"""The role's evidence model (funding.annotate.role) and the kinds of document and table (funding.annotate.kinds),
on short texts written for these tests: each expected role read from the sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from funding.annotate.kinds import TableFinder, document_kind
from funding.reference import load_reference
from funding.annotate.role import WEIGHTS, RoleVocabulary, certainty_of, decide

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ref():
    return load_reference(ROOT / "data" / "raw", with_sources=False)


@pytest.fixture(scope="module")
def vocabulary(ref):
    return RoleVocabulary.of(ref.context_terms)


def role_of(sentence: str, figure: str, vocabulary, kind: str = "other", cell=None):
    start = sentence.index(figure)
    return decide(sentence, start, start + len(figure), vocabulary, kind, cell)


@pytest.mark.parametrize("sentence, figure, kind, expected", [
    ("The government will invest £40 million to repair coastal ferry piers.", "£40 million", "announcement", "commitment"),
    ("Public sector net borrowing is forecast to fall to £31.2 billion in 2029-30.", "£31.2 billion", "budget", "context"),
    ("Raising the personal allowance to £13,500 will take thousands out of tax.", "£13,500", "budget", "context"),
    ("The global market for satellite services is worth over £250 billion.", "£250 billion", "strategy", "context"),
    ("Income from fees rose to £84.2 million in the year.", "£84.2 million", "annual_report", "context"),
    ("Private investment of £3 billion will follow the scheme.", "£3 billion", "strategy", "context"),
    ("The department is making a further £12 million available for lifeboat stations.", "£12 million", "budget", "commitment"),
    # keeping a level of spending is a commitment, however the spending is then described
    ("The government will protect coastguard spending, a total of more than £1.1 billion spent by several agencies.", "£1.1 billion", "budget", "commitment"),
    ("Coastguard spending was £1.1 billion in 2019, spent by several agencies.", "£1.1 billion", "budget", "context"),
    # a fiscal event speaks for the government
    ("The Budget commits to increase lifeboat funding by £60 million in real terms by 2031-32.", "£60 million", "budget", "commitment"),
])
def test_role_follows_the_evidence(vocabulary, sentence, figure, kind, expected):
    assert role_of(sentence, figure, vocabulary, kind).role == expected


def test_evidence_is_written_with_weights_and_certainty_means_the_score(vocabulary):
    r = role_of("The government will invest £40 million to repair ferry piers.", "£40 million", vocabulary, "announcement")
    assert "a verb of giving: invest (+2.0)" in r.evidence and "a government giver" in r.evidence
    score = sum(float(piece.rsplit("(", 1)[1].rstrip(")")) for piece in r.evidence.split("; "))
    assert r.certainty == round(certainty_of(score), 2) and r.certainty > 0.95


def test_a_prior_alone_is_uncertain():
    from funding.annotate.role import CERTAINTY_SCALE

    assert certainty_of(0.0) == 0.5 and round(certainty_of(3.17 / CERTAINTY_SCALE), 2) == 0.9  # 2**3.17 is 9 to 1


SCORECARD = """#### Table 3.1: Spring Fiscal Event policy decisions (£ million)

|  |  | Head | 2031-32 | 2032-33 |
|---|---|---|---|---|
| 1 | Ferry fund | Spend | -40 | -45 |
| 2 | Reduce a grant | Spend | +30 | +35 |
| 3 | Fuel duty: freeze | Tax | -900 | -950 |
| | Total policy decisions | | -910 | -960 |
"""


@pytest.mark.parametrize("cell, expected_row, expected_role", [
    ("-40", "spend", "commitment"),  # a spending measure's cost is a commitment for its year
    ("+30", "spend", "context"),  # a spending row's yield is a saving
    ("-900", "tax", "context"),  # a tax measure, whatever the sign
    ("-910", "total", "context"),
])
def test_a_policy_decisions_table_reads_each_row_and_sign(ref, vocabulary, cell, expected_row, expected_role):
    tables = TableFinder(SCORECARD, ref.kinds)
    start = SCORECARD.index(f"| {cell} |") + 2
    found = tables.cell_at(start, start + len(cell))
    assert (found.kind, found.row, found.sign, found.year) == ("policy_decisions", expected_row, cell[0], 2031)
    line = SCORECARD[SCORECARD.rfind("\n", 0, start) + 1 : SCORECARD.find("\n", start)]
    sentence = "Table columns: Head; 2031-32; 2032-33. Row:" + line
    assert role_of(sentence, cell, vocabulary, "budget", found).role == expected_role


def test_a_fiscal_aggregates_table_is_context(ref, vocabulary):
    text = "#### Table 2: Public sector net borrowing\n\n|  | 2031-32 |\n|---|---|\n| Net borrowing (£ billion) | 44.1 |\n"
    start = text.index("44.1")
    cell = TableFinder(text, ref.kinds).cell_at(start, start + 4)
    assert cell.kind == "fiscal_aggregates"
    assert role_of("Table columns: 2031-32. Row: | Net borrowing (£ billion) | 44.1 |", "44.1", vocabulary, "budget", cell).role == "context"


@pytest.mark.parametrize("text, kind", [
    ("# Autumn Budget 2031\n\nThe Chancellor ...", "budget"),
    ("# Coastguard Agency Annual Report and Accounts 2030 to 2031\n", "annual_report"),
    ("# National Ferry Strategy\n", "strategy"),
    ("[Source 1 of 2]\nQuestion to the Department for Transport:\n[Source 2 of 2]\nAnswered by A Minister\n", "written_answer"),
])
def test_document_kind_from_its_title_or_its_markers(ref, text, kind):
    assert document_kind(text, ref.kinds)[0] == kind


def test_every_weight_is_a_number_of_bits():
    assert all(isinstance(w, float) and -10 <= w <= 10 for w in WEIGHTS.values())


def test_the_statement_says_what_the_total_rests_on_and_names_an_implausible_document():
    import pandas as pd

    from funding.totals import what_it_rests_on

    mentions = pd.DataFrame({"commitment_id": ["c1", "c2"], "certainty": [0.55, 0.97]})
    commitments = pd.DataFrame({"commitment_id": ["c1", "c2"], "source_id": ["budget", "budget"], "total_gbp": [2e9, 150e9],
                                "counted": [True, True], "quote": ["a", "b"]})
    said = what_it_rests_on({"mentions": mentions, "commitments": commitments})
    assert said[0] == "£2bn of it rests on 1 figure whose role is less than 0.7 certain (`funding review` lists them first)."
    assert said[1].startswith("Check before sending: budget counts £152bn") and "£150bn; £2bn" in said[1]


@pytest.mark.parametrize("sentence, figure, evidence, role", [
    # a fiscal term in the figure's clause chain, though commas and brackets cut its clause
    ("As set out in the outlook, the forecast for the net cash requirement (excluding A, B and C) (NCR (ex A, B and C)) is £64.2 billion.",
     "£64.2 billion", "a fiscal aggregate in its sentence", "context"),
    ("As reported by the OBR, the Treasury is on track, with forecast payments funded by government standing at £31.4 billion.",
     "£31.4 billion", "an outside body's figure cited", "context"),
    ("According to the Institute for Fiscal Studies, the government will spend £7 billion on it.",
     "£7 billion", "an outside body's figure cited", "context"),
    ("'Minister announces £3 billion for coastal paths', Department for Walking, 4 June 2031, available on gov.uk.",
     "£3 billion", "a citation of a publication", "context"),
    ("Ferry operators received £2.1 billion in 2030, according to the Maritime Office.",
     "£2.1 billion", "a figure attributed to a source", "context"),
    ("The Local Government Finance Settlement makes available up to £71.2 billion for councils to support their services.",
     "£71.2 billion", "a settlement's total", "context"),
])
def test_evidence_beyond_the_figures_clause(vocabulary, sentence, figure, evidence, role):
    found = role_of(sentence, figure, vocabulary, "budget")
    assert found.role == role
    if evidence:
        assert evidence in found.evidence
    else:
        assert "in its sentence" not in found.evidence


def test_a_sentences_terms_are_read_back_to_the_figures_own_coordinated_clause():
    from funding.annotate.role import _leading_clauses
    assert _leading_clauses("the forecast for the requirement (excluding A, B and C) is ") == "the forecast for the requirement (excluding A, B and C) is "
    assert _leading_clauses("debt falls as a share of GDP, and that funding for lighthouses rises by ") == " funding for lighthouses rises by "
    assert _leading_clauses("GDP grows; the fund gets ") == " the fund gets "


def test_local_government_is_not_the_government_giving(vocabulary):
    found = role_of("Local government spent £3 million on ferries.", "£3 million", vocabulary, "written_answer")
    assert "a government giver" not in found.evidence
    found = role_of("The government will give £3 million to ferries.", "£3 million", vocabulary, "written_answer")
    assert "a government giver: The government" in found.evidence


def test_a_running_total_after_a_plan_is_a_track_record(vocabulary):
    sentence = "The lighthouse service will receive £2.2 billion over four years, bringing total investment since 2021 to £7 billion."
    assert role_of(sentence, "£7 billion", vocabulary, "written_answer").role == "context"
    assert role_of(sentence, "£2.2 billion", vocabulary, "written_answer").role == "commitment"


@pytest.mark.parametrize("sentence, figure, role, evidence", [
    ("Acme Motors have announced a £3 billion battery plant, with 2,000 jobs.", "£3 billion", "context", "a giver outside government: Acme Motors"),
    ("The plan builds on recent wins, including up to £1bn from Zenith Cars.", "£1bn", "context", "a giver outside government: Zenith Cars"),
    ("The department has announced a £3 billion fund for battery plants.", "£3 billion", "commitment", ""),
    ("From April, we will pay £58 a week to carers.", "£58", "commitment", ""),  # a month is not a giver
    ("The marine sector is worth around £60 billion to the economy.", "£60 billion", "context", "the economy: to the economy"),
])
def test_whose_money_and_what_a_sector_is_worth(vocabulary, sentence, figure, role, evidence):
    found = role_of(sentence, figure, vocabulary, "strategy" if "sector" in sentence else "announcement")
    assert found.role == role
    assert (evidence in found.evidence) if evidence else "outside government" not in found.evidence


def test_a_government_giver_in_another_clause_counts_for_less(vocabulary):
    sentence = "Acme has committed £2 billion to new plants; the government welcomed it."
    assert "a government giver in its sentence: the government" in role_of(sentence, "£2 billion", vocabulary).evidence


def test_an_amount_on_the_scale_of_the_public_finances_is_context(vocabulary):
    # written for this test: a sum of all public spending in a Spending Review's words of giving
    sentence = "Thanks to a stronger economy, the government is able to spend £3 trillion on its priorities over the period."
    start = sentence.index("£3 trillion")
    r = decide(sentence, start, start + len("£3 trillion"), vocabulary, "spending_review", amount_gbp=3e12)
    assert r.role == "context" and "an amount on the scale of the public finances" in r.evidence
    small = decide(sentence, start, start + len("£3 trillion"), vocabulary, "spending_review", amount_gbp=3e9)
    assert "scale of the public finances" not in small.evidence
