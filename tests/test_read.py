"""Reading documents as they arrive: encodings, line ends, HTML, empty and binary files."""

from __future__ import annotations

import datetime as dt

import pytest

from funding.read import DocumentError, decode_bytes, read_document, repair_mojibake

TEXT = "We are investing over £14m in family hubs.\nSecond line’s quote.\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        pytest.param(TEXT.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig", id="utf-8-with-bom"),
        pytest.param(TEXT.encode("cp1252"), "cp1252", id="windows-1252-pound-is-0xA3"),
        pytest.param(TEXT.encode("utf-16"), "utf-16", id="utf-16-with-bom"),
        pytest.param(TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8", id="crlf"),
        pytest.param(TEXT.encode("utf-8").decode("cp1252").encode("utf-8"), "utf-8", id="mojibake-double-decoded"),
    ],
)
def test_every_encoding_gives_the_same_text(data, encoding):
    text, used, _notes = decode_bytes(data)
    assert text == TEXT
    assert used == encoding


def test_cp1252_pound_byte():
    assert decode_bytes(b"a \xa35m grant")[0] == "a £5m grant"


def test_mojibake_repair_reports_count():
    assert repair_mojibake("Â£5m and Â£6m") == ("£5m and £6m", 2)


def test_mojibake_repair_leaves_real_accents():
    assert repair_mojibake("São Paulo café")[1] == 0


@pytest.mark.parametrize(
    "data, reason",
    [
        pytest.param(b"%PDF-1.7\n...", "is a PDF", id="pdf"),
        pytest.param(b"PK\x03\x04rest", "zip archive", id="docx-or-xlsx"),
        pytest.param(b"abc\x00\x01\x02def", "binary", id="nul-bytes"),
        pytest.param(bytes(range(1, 9)) * 50, "binary", id="control-characters"),
        pytest.param(b"caf\x81 \x8d", "neither UTF-8 nor Windows-1252", id="undecodable"),
    ],
)
def test_unreadable_bytes_name_the_file_and_reason(data, reason, tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(path) in str(caught.value)
    assert reason in str(caught.value)


def test_missing_file_is_a_document_error(tmp_path):
    with pytest.raises(DocumentError, match="cannot be read"):
        read_document(tmp_path / "absent.md")


def test_empty_file_is_empty_text(tmp_path):
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    document = read_document(path)
    assert document.text == "" and document.source_id == "empty"


def test_html_text_and_structure(tmp_path):
    html = (
        "<!DOCTYPE html><html><head><title>Spending</title><style>p {color: red}</style></head>"
        "<body><h2>Family &amp; hubs</h2><p>We are   investing\n over &pound;14m.</p>"
        "<script>var x = '£99m';</script><ul><li>hubs (£82m)</li><li>pilots</li></ul><hr><p>After</p></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    document = read_document(path)
    assert document.kind == "html"
    assert document.text == (
        "Spending\n\n## Family & hubs\n\nWe are investing over £14m.\n\n- hubs (£82m)\n- pilots\n\n---\n\nAfter\n"
    )
    assert "£99m" not in document.text  # scripts are not text


def test_html_detected_by_content_whatever_the_suffix(tmp_path):
    path = tmp_path / "saved-page.txt"
    path.write_text("<!DOCTYPE html>\n<html><body><p>a £1m</p><p>b</p></body></html>", encoding="utf-8")
    document = read_document(path)
    assert (document.kind, document.text) == ("html", "a £1m\n\nb\n")


def test_a_content_item_without_a_first_date_states_its_update():
    from funding.read.api import _govuk
    item = {"title": "Autumn Fiscal Note", "base_path": "/government/publications/autumn-fiscal-note", "document_type": "html_publication",
            "first_published_at": None, "public_updated_at": "2031-11-04T10:00:00.000Z", "details": {"body": "<p>Text.</p>"}}
    text, meta = _govuk(item)
    assert "Last updated 4 November 2031\n" in text and "Published" not in text  # parts date the text by it (basis "updated")
    assert (meta["published"], meta["updated"]) == (None, dt.date(2031, 11, 4))
