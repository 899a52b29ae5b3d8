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


def test_a_document_that_fails_to_build_is_named(monkeypatch):
    import funding.build
    from funding.documents import DocumentError

    def broken(*args, **kwargs):
        raise RuntimeError("a fault no one foresaw")

    monkeypatch.setattr(funding.build, "_annotate", broken)
    with pytest.raises(DocumentError) as caught:
        build_tables([Document("doc", TEXT, DAY, DAY, file="data/raw/documents/doc.md")], REF)
    assert "data/raw/documents/doc.md" in str(caught.value) and "a fault no one foresaw" in str(caught.value)


def test_lone_surrogate_in_a_document_builds():
    tables = build_tables([Document("doc", TEXT.replace("hubs", "hubs \ud800"), DAY, DAY)], REF)
    assert [m["text"] for m in tables.mentions] == ["£60 million", "£9 million"]
    assert "\ufffd" in tables.mentions[0]["sentence"]
