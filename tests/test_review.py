"""The review file: decisions apply by id, and mistakes name the line and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from funding.annotate.document import Document
from funding.build import build_tables
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


def test_a_document_that_fails_to_build_is_named(monkeypatch):
    import funding.annotate.document
    from funding.read import DocumentError

    def broken(*args, **kwargs):
        raise RuntimeError("a fault no one foresaw")

    monkeypatch.setattr(funding.annotate.document, "_annotate", broken)
    with pytest.raises(DocumentError) as caught:
        build_tables([Document("doc", TEXT, DAY, DAY, file="data/raw/documents/doc.md")], REF)
    assert "data/raw/documents/doc.md" in str(caught.value) and "a fault no one foresaw" in str(caught.value)


def test_lone_surrogate_in_a_document_builds():
    tables = build_tables([Document("doc", TEXT.replace("hubs", "hubs \ud800"), DAY, DAY)], REF)
    assert [m["text"] for m in tables.mentions] == ["£60 million", "£9 million"]
    assert "\ufffd" in tables.mentions[0]["sentence"]


# -- the review file read strictly (issue 11) ----------------------------------------------

def load_with(tmp_path, body: bytes | str):
    path = tmp_path / "review.csv"
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    path.write_bytes(b"id,field,value,reason\n" + data)
    return load_review(path, REF)


CID = "c" + "0" * 12
OTHER = "c" + "1" * 12


@pytest.mark.parametrize(
    "rows, message",
    [
        pytest.param(f'{CID},theme,youth,"Youth work\n{OTHER},theme,education,Schools\n', "line 2: a quote is opened and never closed",
                     id="unterminated-quote-at-the-end"),
        pytest.param(f'{CID},theme,youth,"Youth work\n{OTHER},theme,education,"Schools\n{OTHER},department,DfE,DfE\n',
                     "line 2: a quote closes in the middle of a field", id="unterminated-quote-swallows-a-row"),
        pytest.param(f"{CID},theme,youth,Youth work, clubs and centres\n", "line 2: has 5 fields where the header has 4 (an unquoted comma?)",
                     id="unquoted-comma"),
        pytest.param(f"{CID},theme,youth\n", "line 2: has 3 fields where the header has 4", id="missing-field"),
        pytest.param(f'{CID},theme,youth,"Youth" work\n', "line 2: a quote closes in the middle of a field", id="quote-closed-mid-field"),
        pytest.param(f'{CID},theme,youth,"Youth work\n{OTHER},theme,education,Schools"\n', "line 2, field 'reason': a field runs over several lines",
                     id="quote-closed-on-a-later-line"),
        pytest.param(f"{CID},theme,youth,{'x' * 131_073}\n", "line 2: a field longer than 131,072 characters", id="field-over-the-csv-limit"),
        pytest.param(f"{CID},theme,youth,Youth work\n{CID},theme,youth,Youth work\n", "line 3, field 'field': theme of c000000000000 is already decided: this row repeats line 2",
                     id="duplicate-row"),
        pytest.param(f"{CID},theme,youth,Youth work\n{CID},theme,education,Schools\n", "line 3, field 'field': theme of c000000000000 is already decided: this row contradicts (value 'youth') line 2",
                     id="conflicting-rows"),
        pytest.param(f"{CID},fy_start,2024-25,Later\n{CID},fy_end,2022-23,Earlier\n", "line 3, field 'value': fy_start 2024-25 (line 2) is after fy_end 2022-23 (line 3)",
                     id="fy-start-after-fy-end"),
        pytest.param("m000000000000,role,context,A\nc000000000000,role,commitment,B\n", "line 3, field 'field': role of c000000000000 is already decided",
                     id="mention-and-commitment-id-of-one-figure"),
    ],
)
def test_review_file_problems_name_file_line_and_field(tmp_path, rows, message):
    with pytest.raises(ReviewError) as caught:
        load_with(tmp_path, rows)
    assert message in str(caught.value)
    assert str(tmp_path / "review.csv") in str(caught.value)


def test_review_file_in_cp1252_is_named(tmp_path):
    with pytest.raises(ReviewError, match=r"review.csv, line 3: is not UTF-8 \(byte 0xa3\)"):
        load_with(tmp_path, f"{CID},theme,youth,Youth work\n{OTHER},theme,youth,The £5m fund\n".encode("cp1252"))


def test_several_confirm_rows_on_one_commitment_are_not_duplicates(tmp_path):
    review = load_with(tmp_path, f"{CID},confirm,theme,Checked\n{CID},confirm,department,Checked\n")
    assert len(review.rows) == 2


SINGLE_YEAR = "We will invest £60 million in hubs in 2022-23."


def single_year_build(tmp_path, rows: str):
    cid = "c" + build_tables([Document("doc", SINGLE_YEAR, DAY, DAY)], REF).commitments[0]["commitment_id"][1:]
    path = tmp_path / "review.csv"
    path.write_text("id,field,value,reason\n" + rows.format(cid=cid), encoding="utf-8")
    return build_tables([Document("doc", SINGLE_YEAR, DAY, DAY)], REF, load_review(path, REF))


def test_single_year_commitment_is_single_year():
    row = build_tables([Document("doc", SINGLE_YEAR, DAY, DAY)], REF).commitments[0]
    assert (row["fy_start"], row["fy_end"]) == ("2022-23", "2022-23")


def test_changing_only_fy_start_past_fy_end_is_a_clear_error(tmp_path):
    with pytest.raises(ReviewError) as caught:
        single_year_build(tmp_path, "{cid},fy_start,2023-24,Starts a year later\n")
    assert "review.csv, line 2, field 'value': fy_start 2023-24 leaves fy_start 2023-24 after fy_end 2022-23 (the automatic fy_end); give fy_end as well" in str(caught.value)


def test_changing_both_years_phases_the_money(tmp_path):
    tables = single_year_build(tmp_path, "{cid},fy_start,2023-24,Later\n{cid},fy_end,2024-25,Later\n")
    assert [(y["financial_year"], y["amount_gbp"]) for y in tables.commitment_years] == [("2023-24", "30000000"), ("2024-25", "30000000")]


def test_notebooks_read_the_review_file_with_the_same_reader(tmp_path):
    from funding.rawcsv import RawFileError, read_frame

    path = tmp_path / "review.csv"
    path.write_text(f"id,field,value,reason\n{CID},theme,youth,Youth work, clubs\n", encoding="utf-8")
    with pytest.raises(RawFileError, match="line 2: has 5 fields"):
        read_frame(path, ("id", "field", "value", "reason"), exact=True)
    path.write_text(f"id,field,value,reason\n{CID},theme,youth,\"Youth work, clubs\"\n", encoding="utf-8")
    assert read_frame(path).to_dict("records") == [{"id": CID, "field": "theme", "value": "youth", "reason": "Youth work, clubs"}]
