"""From text to mention rows: lines, offsets and stable ids."""

from __future__ import annotations

from funding.extract import extract_paths, extract_text
from funding.vocab import MENTION_COLUMNS


def test_lines_and_offsets_point_at_the_figure():
    text = "Title\n\nFirst para with £1m.\nStill first, £2m.\n\nSecond £3bn."
    mentions, _ = extract_text(text, "doc")
    assert [(m.line, m.money.text) for m in mentions] == [(3, "£1m"), (4, "£2m"), (6, "£3bn")]
    for m in mentions:
        assert text[m.money.start : m.money.end] == m.money.text


def test_row_has_every_column_in_order():
    mentions, _ = extract_text("A $5m grant and £2m.", "doc")
    rows = [m.row() for m in mentions]
    assert list(rows[0]) == list(MENTION_COLUMNS)
    assert (rows[0]["currency"], rows[0]["amount"], rows[0]["amount_gbp"]) == ("USD", "5000000", "")
    assert (rows[1]["currency"], rows[1]["amount_gbp"]) == ("GBP", "2000000")


def test_ids_survive_edits_elsewhere_in_the_document():
    original = "Intro.\n\nWe invest £5m in hubs.\n\nLater we give £7m to councils."
    edited = "A new opening paragraph, much longer than before.\n\n" + original + "\n\nAn appendix."
    ids = {m.money.text: m.mention_id for m in extract_text(original, "doc")[0]}
    ids_after = {m.money.text: m.mention_id for m in extract_text(edited, "doc")[0]}
    assert ids == ids_after


def test_ids_differ_by_source_and_by_occurrence():
    text = "We give £5m.\n\nWe give £5m.\n\nWe give £5m."
    first = [m.mention_id for m in extract_text(text, "a")[0]]
    assert len(set(first)) == 3
    assert set(first).isdisjoint(m.mention_id for m in extract_text(text, "b")[0])


def test_same_figure_in_different_words_gets_different_ids():
    text = "The £500 million package for families.\n\nThe £500 million plan for mental health."
    a, b = extract_text(text, "doc")[0]
    assert a.mention_id != b.mention_id


def test_extract_paths_goes_on_after_a_bad_file(tmp_path):
    (tmp_path / "a.md").write_text("We give £5m.", encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 binary")
    (tmp_path / "c.md").write_text("And £6m.", encoding="utf-8")
    results = list(extract_paths(sorted(tmp_path.iterdir())))
    assert [(r.source_id, len(r.mentions), r.error is not None) for r in results] == [
        ("a", 1, False),
        ("b", 0, True),
        ("c", 1, False),
    ]


def test_two_files_with_one_stem_are_not_merged(tmp_path):
    (tmp_path / "doc.md").write_text("£1m", encoding="utf-8")
    (tmp_path / "doc.html").write_text("<p>£2m</p>", encoding="utf-8")
    results = list(extract_paths(tmp_path.iterdir()))
    assert sum(r.error is not None for r in results) == 1
    assert "same source_id 'doc'" in str(next(r.error for r in results if r.error))


# -- hostile input (issue 11) ---------------------------------------------------------------

import pytest  # noqa: E402

import funding.extract  # noqa: E402


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("We give £5m \ud800 to schools.", id="lone-high-surrogate-in-the-sentence"),
        pytest.param("\udfff£5m", id="lone-low-surrogate-before-the-figure"),
        pytest.param("£\ud83d5m and £6m", id="surrogate-after-the-marker"),
    ],
)
def test_lone_surrogates_do_not_crash(text):
    mentions, set_aside = extract_text(text, "doc")
    rows = [m.row() for m in mentions] + [s.row() for s in set_aside]
    for row in rows:  # every row can be written as UTF-8; a surrogate is one U+FFFD, so offsets hold
        "".join(str(value) for value in row.values()).encode("utf-8")
        assert len(row["text"]) == row["end"] - row["start"]
    assert any(m.money.text in ("£5m", "£6m") for m in mentions)


def test_a_run_of_digits_over_the_int_limit_loses_no_other_document(tmp_path):
    (tmp_path / "a.md").write_text("We give £5m.", encoding="utf-8")
    (tmp_path / "b.md").write_text("We give £" + "9" * 5000 + " and £7m.", encoding="utf-8")
    (tmp_path / "c.md").write_text("And £6m.", encoding="utf-8")
    results = list(extract_paths(sorted(tmp_path.iterdir())))
    rows = [m.row()["text"] for r in results for m in r.mentions]
    assert rows == ["£5m", "£7m", "£6m"]
    assert [s.row()["reason"] for r in results for s in r.set_aside] == ["a number of 5000 digits: too long to be an amount"]


def test_a_document_that_fails_is_named_and_the_others_go_on(tmp_path, monkeypatch):
    real = funding.extract.find_money

    def fragile(text):
        if "BOOM" in text:
            raise RuntimeError("a fault no one foresaw")
        return real(text)

    monkeypatch.setattr(funding.extract, "find_money", fragile)
    (tmp_path / "a.md").write_text("We give £5m.", encoding="utf-8")
    (tmp_path / "b.md").write_text("BOOM £1m", encoding="utf-8")
    (tmp_path / "c.md").write_text("And £6m.", encoding="utf-8")
    results = list(extract_paths(sorted(tmp_path.iterdir())))
    assert [(r.source_id, len(r.mentions)) for r in results] == [("a", 1), ("b", 0), ("c", 1)]
    error = str(results[1].error)
    assert str(tmp_path / "b.md") in error and "a fault no one foresaw" in error


# -- properties -----------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from funding.read import DocumentError, decode_bytes  # noqa: E402

PIECES = [
    "£5m", "£1.2 million", "GBP 3bn", "£15-20 million", "between £1m and £2m", "(£82 million)", "£",
    "We invest ", "over ", "a year", ".", ". ", ":", ";", ",", "\n", "\n\n", "\n\n---\n\n", "<sup>1</sup> [x](#)",
    "- ", "* ", "1. ", "| a | £4m |", "## ", "**", "*", "_", "[", "](#)", "the ", "in ", "Early", "\r\n", " ",
]
DOCUMENTISH = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(DOCUMENTISH, st.text(max_size=300)))
def test_extract_never_crashes_and_rows_hold_together(text):
    mentions, set_aside = extract_text(text, "doc")
    ids = [m.mention_id for m in mentions]
    assert len(set(ids)) == len(ids)
    for m in mentions:
        assert text[m.money.start : m.money.end] == m.money.text
        assert m.line == text.count("\n", 0, m.money.start) + 1
        assert m.sentence  # never empty: the figure itself is in it
    for s in set_aside:
        assert s.line == text.count("\n", 0, s.item.start) + 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_or_raise_a_document_error(data):
    try:
        text, encoding, _ = decode_bytes(data, "x.md")
    except DocumentError as error:
        assert str(error).startswith("x.md: ")
    else:
        assert isinstance(text, str) and "\r" not in text


def test_each_mention_and_set_aside_marker_keeps_the_page_it_was_printed_on():
    text = "Page one gives £5m.\nPage two gives £7m and a lone £ sign.\n"
    second = text.index("Page two")
    mentions, set_aside = extract_text(text, "doc", ((0, 1), (second, 2)))
    assert [(m.money.text, m.page, m.row()["page"]) for m in mentions] == [("£5m", 1, 1), ("£7m", 2, 2)]
    assert [(s.page, s.row()["page"]) for s in set_aside] == [(2, 2)]
    unpaged, _ = extract_text(text, "doc")
    assert [m.row()["page"] for m in unpaged] == ["", ""]
