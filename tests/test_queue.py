"""The review queue: least certain first, reviewed rows left out, and every line it suggests is one review.csv accepts."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from funding.annotate.document import Document
from funding.build import build_tables
from funding.annotate.classify import CONTEXT_REASONS
from funding.annotate.parts import DEPARTMENT_BASES
from funding.annotate.periods import PERIOD_BASES
from funding.pipeline import render_tables, write_tables
from funding.money import parse_money
from funding.queue import CERTAINTY, KINDS, QUEUE_COLUMNS, read_tables, review_queue, shorten
from funding.reference import load_reference
from funding.review import load_review
from funding.totals import load_tables

ROOT = Path(__file__).resolve().parents[1]
REF = load_reference(ROOT / "data" / "raw", with_sources=False)
FUNDING = Path(sys.executable).with_name("funding")


# -- small tables written by hand: one document about road money ------------------------------------------------

def mention(mid, text="£5 million", *, line=1, role="commitment", reason="commitment: invest", cid=None,
            linked_to="", score="", sentence=None, reviewed="false", source="roads"):
    amount = str(int(float(text.strip("£").split()[0]) * 1_000_000))
    return {
        "mention_id": mid, "source_id": source, "line": str(line), "text": text, "amount": amount, "currency": "GBP",
        "amount_gbp": amount, "rate": "total", "sentence": sentence or f"We will invest {text} in roads ({line}).", "role": role,
        "context_reason": reason if role == "context" else "", "commitment_reason": reason if role == "commitment" else "",
        "commitment_id": "" if role == "context" else (cid or "c" + mid[1:]),
        "link": f"repeat: score {score}" if score else "first mention", "linked_to": linked_to, "link_score": score,
        "link_evidence": "", "reviewed": reviewed,
    }


def commitment(m, *, period="stated", years=("2024-25", "2024-25"), department="DfT", dept_basis="question to",
               reviewed="false", parent=""):
    return {
        "commitment_id": "c" + m["mention_id"][1:], "amount_gbp": m["amount_gbp"], "total_gbp": m["amount_gbp"],
        "rate": "total", "department": department, "department_basis": dept_basis, "period_text": "",
        "fy_start": years[0], "fy_end": years[1], "period_basis": period, "parent_id": parent, "reviewed": reviewed,
        "source_id": m["source_id"], "first_mention_id": m["mention_id"], "quote": m["sentence"],
    }


def tables(mentions, commitments=(), relations=(), packages=()):
    return {"mentions": list(mentions), "commitments": list(commitments), "relations": list(relations), "packages": list(packages)}


def ids(decisions):
    return [d.id for d in decisions]


A, B, C = "m" + "a" * 12, "m" + "b" * 12, "m" + "c" * 12
CA, CB = "c" + "a" * 12, "c" + "b" * 12


def relation(child, parent, rule, score, relation="part_of", basis="text"):
    return {"from_id": child, "relation": relation, "to_id": parent, "basis": basis, "rule": rule, "score": score,
            "evidence": "We will invest £8 million in roads, of which £3 million is for bridges."}


def package(pid, status, reviewed="false"):
    return {"package_id": pid, "amount_gbp": "8000000", "n_components": "2", "components_gbp": "9000000",
            "difference_gbp": "1000000", "status": status, "counted_as": "package", "reviewed": reviewed}


ORDER_CASES = [
    pytest.param("role", tables([mention(A, reason="commitment: invest"), mention(B, reason="commitment: no context cue")]),
                 [B, A], id="no-cue-before-a-verb-of-giving"),
    pytest.param("role", tables([mention(A, role="context", reason="a baseline for comparison"),
                                 mention(B, role="context", reason="spending by others, past or planned")]),
                 [B, A], id="spending-by-others-before-a-baseline"),
    pytest.param("role", tables([mention(A, "£2 million", reason="commitment: no context cue"),
                                 mention(B, "£70 million", reason="commitment: no context cue")]),
                 [B, A], id="equally-unsure-larger-sum-first"),
    pytest.param("repeat", tables([mention(A), mention(B, linked_to=A, score="6.0", cid=CA),
                                   mention(C, linked_to=A, score="1.5", cid=CA)]),
                 [C, B], id="link-at-the-threshold-before-a-strong-one"),
    pytest.param("period", tables([mention(A), mention(B), mention(C)],
                                  [commitment(mention(A), period="stated"),
                                   commitment(mention(B), period="unknown", years=("", "")),
                                   commitment(mention(C), period="unknown, relative: no document date", years=("", ""))]),
                 ["c" + C[1:], "c" + B[1:], "c" + A[1:]], id="no-document-date-before-unknown-before-stated"),
    pytest.param("period", tables([mention(A), mention(B)],
                                  [commitment(mention(A), period="relative, to the date the text states (answered on)"),
                                   commitment(mention(B), period="relative, depends on the estimated date")]),
                 ["c" + B[1:], "c" + A[1:]], id="estimated-date-before-a-stated-date"),
    pytest.param("department", tables([mention(A), mention(B), mention(C)],
                                      [commitment(mention(A), dept_basis="question to"),
                                       commitment(mention(B), dept_basis="paragraph"),
                                       commitment(mention(C), department="", dept_basis="unknown")]),
                 ["c" + C[1:], "c" + B[1:], "c" + A[1:]], id="unknown-then-paragraph-then-question-to"),
    pytest.param("component", tables([mention(A, "£8 million"), mention(B, "£3 million"), mention(C, "£6 million")],
                                     [commitment(mention(A, "£8 million")), commitment(mention(B, "£3 million")),
                                      commitment(mention(C, "£6 million"))],
                                     [relation("c" + B[1:], CA, "of which", "0.9"), relation("c" + C[1:], CA, "adds up", "0.6")]),
                 ["c" + C[1:], "c" + B[1:]], id="a-sum-before-a-sentence-that-says-so"),
    pytest.param("component", tables([mention(A, "£8 million"), mention(B, "£9 million")],
                                     [commitment(mention(A, "£8 million")), commitment(mention(B, "£9 million"))],
                                     packages=[package(CA, "adds up"), package(CB, "components exceed the package")]),
                 [CB, CA], id="a-package-its-parts-exceed-before-one-that-adds-up"),
]


@pytest.mark.parametrize("kind, given, expected", ORDER_CASES)
def test_least_certain_first(kind, given, expected):
    assert ids(review_queue(given, [kind])) == expected


SKIP_CASES = [
    pytest.param("role", tables([mention(A, reviewed="true"), mention(B)]), [B], id="reviewed-role"),
    pytest.param("repeat", tables([mention(A), mention(B, linked_to=A, score="2.0", cid=CA, reviewed="true"),
                                   mention(C, linked_to=A, score="2.0", cid=CA)]), [C], id="reviewed-mention-link"),
    pytest.param("repeat", tables([mention(A), {**mention(B, linked_to=A, cid=CA), "link": "repeat: review: same"}]),
                 [], id="a-review-link-has-no-score"),
    pytest.param("period", tables([mention(A), mention(B)], [commitment(mention(A), reviewed="true"), commitment(mention(B))]),
                 ["c" + B[1:]], id="reviewed-commitment"),
    pytest.param("component", tables([mention(A, "£8 million"), mention(B, "£3 million")],
                                     [commitment(mention(A, "£8 million")), commitment(mention(B, "£3 million"))],
                                     [relation("c" + B[1:], CA, "review: a part", "", basis="review")]),
                 [], id="a-review-relation"),
    pytest.param("component", tables([mention(A, "£8 million")], [commitment(mention(A, "£8 million"))],
                                     packages=[package(CA, "components exceed the package", reviewed="true")]),
                 [], id="reviewed-package"),
]


@pytest.mark.parametrize("kind, given, expected", SKIP_CASES)
def test_reviewed_rows_are_left_out(kind, given, expected):
    assert ids(review_queue(given, [kind])) == expected


MISSED_CASES = [
    pytest.param([mention(A, "£4 million", line=1), mention(B, "£4 million", line=5)],
                 [(B, "not linked: equal amounts in one document")], id="equal-round-amounts-apart"),
    pytest.param([mention(A, "£4.25 million", line=1), mention(B, "£4.25 million", line=5)],
                 [(B, "not linked: equal distinctive amounts in one document")], id="equal-distinctive-amounts-apart"),
    pytest.param([mention(A, "£4 million", sentence="We give £4 million to buses and £4 million to trams."),
                  mention(B, "£4 million", sentence="We give £4 million to buses and £4 million to trams.")],
                 [(B, "not linked: equal amounts in one sentence")], id="equal-amounts-in-one-sentence"),
    pytest.param([mention(A, "£4 million"), mention(B, "£4 million", source="rail")], [], id="other-documents-are-not-asked"),
    pytest.param([mention(A, "£4 million"), mention(B, "£4 million", linked_to=A, score="3.0", cid=CA)],
                 [(B, "")], id="a-linked-pair-is-a-link-not-a-miss"),
]


@pytest.mark.parametrize("mentions, expected", MISSED_CASES)
def test_equal_amounts_left_apart_are_asked_about(mentions, expected):
    firsts = [mention for mention in mentions if mention["link"] == "first mention"]
    found = review_queue(tables(mentions, [commitment(m) for m in firsts]), ["repeat"])
    assert [(d.id, d.basis if d.basis.startswith("not linked") else "") for d in found] == expected


def test_distinctive_amounts_left_apart_come_before_round_ones():
    given = [mention(A, "£4.25 million", line=1), mention(B, "£4.25 million", line=5),
             mention("m" + "d" * 12, "£4 million", line=6), mention("m" + "e" * 12, "£4 million", line=9)]
    # the queue is ordered by money at risk, (1 - certainty) x amount: 0.65 x £4.25m before 0.45 x £4m
    assert ids(review_queue(tables(given, [commitment(m) for m in given]), ["repeat"])) == [B, "m" + "e" * 12]


def test_the_queue_starts_with_the_money_at_risk():
    # a doubtful £2 billion before an equally doubtful £2 million, and before a less certain £5
    given = [mention(A, "£2 million", line=1), mention(B, "£2000 million", line=2)]
    found = review_queue(tables(given, [commitment(m) for m in given]), ["role"])
    assert [d.figure for d in found][:2] == ["£2000 million", "£2 million"]


@pytest.mark.parametrize("kind, bases", [
    pytest.param("role", CONTEXT_REASONS, id="every-context-rule"),
    pytest.param("period", PERIOD_BASES, id="every-period-basis"),
    pytest.param("department", DEPARTMENT_BASES, id="every-part-department-basis"),
])
def test_every_basis_the_rules_write_has_a_certainty(kind, bases):
    assert [b for b in bases if (kind, b) not in CERTAINTY] == []


@pytest.mark.parametrize("sentence, figure, width, expected", [
    pytest.param("Short.", "£1", 40, "Short.", id="short-kept-whole"),
    pytest.param("We will give £3 million to towns and to villages across the north this spring.", "£3 million", 30,
                 "… will give £3 million to towns …", id="cut-at-words-around-the-figure"),
    pytest.param("£3 million goes to towns and to villages across the north this spring.", "£3 million", 30,
                 "£3 million goes to towns and …", id="figure-at-the-start"),
])
def test_words_are_shortened_around_the_figure(sentence, figure, width, expected):
    assert shorten(sentence, figure, width) == expected


# -- a small project: every line the queue suggests is one the review loader and the build accept -----------------

TEXT = """Question to the Department for Transport:

We are investing £40 million in bus shelters in 2024-25, of which £25 million is for rural stops.

This £40 million investment builds on earlier work on shelters.

A further £5 million for lighting brings total investment in shelters to £45 million.

Separately, £12 million goes to cycle lanes, and another £12 million to footpaths over the next two years.

The programme totals £30 million: £18 million for ramps and £12 million for lifts.

Councils spent £9 million on road repairs.

The new route has £6 million.
"""
DOCS = [Document("roads", TEXT, None, None)]
FILL = {"<YYYY-YY>": "2025-26", "<abbreviation>": "DfT"}  # values an analyst would type


@pytest.fixture(scope="module")
def built():
    return build_tables(DOCS, REF)


def as_tables(t):
    return {"mentions": t.mentions, "commitments": t.commitments, "relations": t.relations, "packages": t.packages}


def apply(tmp_path: Path, lines):
    path = tmp_path / "review.csv"
    path.write_text("id,field,value,reason\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return build_tables(DOCS, REF, load_review(path, REF))


def test_the_small_project_has_every_kind(built):
    assert {d.kind for d in review_queue(as_tables(built))} == set(KINDS)


def test_a_confirm_line_is_accepted_and_settles_its_decision(tmp_path, built):
    for decision in review_queue(as_tables(built)):
        after = review_queue(as_tables(apply(tmp_path, decision.confirm)))
        assert (decision.kind, decision.id, decision.decision) not in {(d.kind, d.id, d.decision) for d in after}, decision.confirm


def test_a_change_line_once_filled_in_is_accepted(tmp_path, built):
    changes = [d.change for d in review_queue(as_tables(built)) if d.change and not d.change[0].startswith("<")]
    assert changes
    for lines in changes:
        filled = list(lines)
        for placeholder, value in FILL.items():
            filled = [line.replace(f",{placeholder},", f",{value},") for line in filled]
        apply(tmp_path, filled)  # raises ReviewError (or ValueError) if the build refuses it


def test_tables_loaded_with_pandas_give_the_same_queue(tmp_path, built):
    write_tables(render_tables(built), tmp_path)
    assert review_queue(load_tables(tmp_path)) == review_queue(read_tables(tmp_path))


# -- the command line -----------------------------------------------------------------------------------------------

def test_cli_lists_the_money_at_risk_first_as_csv(tmp_path, built):
    write_tables(render_tables(built), tmp_path / "out")
    result = subprocess.run([str(FUNDING), "review", "--tables", str(tmp_path / "out"), "--format", "csv", "--limit", "3",
                             "--kind", "period"], capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert tuple(rows[0]) == QUEUE_COLUMNS
    risks = [(1 - float(r["certainty"])) * float(parse_money(r["figure"]).amount) for r in rows]
    assert len(rows) == 3 and risks == sorted(risks, reverse=True)  # the money at risk first


def test_cli_says_to_build_first_when_there_are_no_tables(tmp_path):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "sources.csv").write_text("source_id\n", encoding="utf-8")
    result = subprocess.run([str(FUNDING), "review", "--root", str(tmp_path)], capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 1
    assert "run `funding build` first" in result.stderr
