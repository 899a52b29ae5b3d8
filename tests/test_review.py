"""The review file: decisions apply by id, and mistakes name the line and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from funding.build import Document, build_tables
from funding.reference import load_reference
from funding.review import ReviewError, load_review

REF = load_reference(Path(__file__).resolve().parents[1] / "data" / "raw")
DAY = dt.date(2022, 2, 2)
TEXT = "We are investing £60 million in hubs.\n\nCouncils spent £9 million on care."


def tables_with(tmp_path, rows: str):
    path = tmp_path / "review.csv"
    path.write_text("id,field,value,reason\n" + rows, encoding="utf-8")
    return build_tables([Document("doc", TEXT, DAY, DAY)], REF, load_review(path, REF))


@pytest.fixture
def ids(tmp_path):
    tables = build_tables([Document("doc", TEXT, DAY, DAY)], REF)
    return {m["text"]: m["mention_id"] for m in tables.mentions}


def test_review_overrides_and_marks_rows(tmp_path, ids):
    cid = "c" + ids["£60 million"][1:]
    tables = tables_with(tmp_path, f"{cid},department,DfE,Hubs are DfE's\n{cid},theme,family-hubs,Family hubs\n"
                                   f"{ids['£9 million']},role,commitment,It is new money after all\n")
    row = next(c for c in tables.commitments if c["commitment_id"] == cid)
    assert (row["department"], row["department_basis"], row["theme"], row["reviewed"]) == ("DfE", "review", "family-hubs", "true")
    care = next(m for m in tables.mentions if m["text"] == "£9 million")
    assert (care["role"], care["reviewed"]) == ("commitment", "true")


@pytest.mark.parametrize(
    "row, message",
    [
        pytest.param("m000000000000,theme,youth,typo", "line 2, field 'id': 'm000000000000' is not a mention or commitment id", id="unknown-id"),
        pytest.param("{cid},colour,red,why not", "line 2, field 'field': 'colour' is not one of", id="unknown-field"),
        pytest.param("{cid},theme,hubs,close enough", "line 2, field 'value': 'hubs' is not one of", id="unknown-theme"),
        pytest.param("{cid},department,DfEE,old name", "line 2, field 'value': 'DfEE' is not a department", id="unknown-department"),
        pytest.param("{cid},fy_start,2022/23,slash", "line 2, field 'value': not a financial year label", id="bad-year"),
        pytest.param("{cid},role,maybe,unsure", "line 2, field 'value': 'maybe' is not commitment or context", id="bad-role"),
        pytest.param("{cid},theme,youth,", "line 2, field 'reason': every decision needs a reason", id="no-reason"),
        pytest.param("{cid},parent_id,c000000000000,link", "line 2, field 'value': 'c000000000000' is not a mention or commitment id in the documents", id="unknown-parent"),
    ],
)
def test_mistakes_name_line_and_field(tmp_path, ids, row, message):
    with pytest.raises(ReviewError) as caught:
        tables_with(tmp_path, row.format(cid="c" + ids["£60 million"][1:]) + "\n")
    assert message in str(caught.value)
    assert str(tmp_path / "review.csv") in str(caught.value)


def test_a_decision_survives_a_new_document_that_sorts_first(tmp_path):
    # The decision is written against the commitment's id when "b" was its only document; "a" then
    # restates the figure and sorts first, so the commitment's first mention (and id) changes.
    later = Document("b", "The Ferry Fund will provide £41.5 million to island councils.", DAY, DAY)
    earlier = Document("a", "Island councils will get £41.5 million from the Ferry Fund.", DAY, DAY)
    first = build_tables([later], REF)
    cid = first.commitments[0]["commitment_id"]
    path = tmp_path / "review.csv"
    path.write_text(f"id,field,value,reason\n{cid},department,DfT,Ferries are transport\n", encoding="utf-8")
    tables = build_tables([later, earlier], REF, load_review(path, REF))
    assert len(tables.commitments) == 1, "the two documents restate one sum"
    row = tables.commitments[0]
    assert row["commitment_id"] != cid and row["source_id"] == "a"
    assert (row["department"], row["department_basis"], row["reviewed"]) == ("DfT", "review", "true")


def test_two_decisions_that_now_land_on_one_commitment_must_agree(tmp_path):
    text = "We are investing £60 million in hubs.\n\nThis £60 million investment will open hubs."
    tables = build_tables([Document("doc", text, DAY, DAY)], REF)
    first, second = (m["mention_id"] for m in tables.mentions)
    assert tables.mentions[1]["commitment_id"] == "c" + first[1:], "the second restates the first"
    path = tmp_path / "review.csv"
    path.write_text(f"id,field,value,reason\nc{first[1:]},theme,youth,one\n{second},theme,early-help,two\n", encoding="utf-8")
    with pytest.raises(ReviewError, match=r"line 3, field 'value': 'early-help' contradicts line 2"):
        build_tables([Document("doc", text, DAY, DAY)], REF, load_review(path, REF))
