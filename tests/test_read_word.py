"""Reading Word and OpenDocument files: the fixtures come out as the text written into them.

Expected values are built from the constants in tests/fixtures/documents/make_documents.py, the
text the fixtures were made from, never from the reader's output. Only the test that remakes
the fixtures needs LibreOffice.
"""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from funding.extract import extract_text
from funding.money import find_money
from funding.read import DocumentError, read_document
from funding.read.word import office_kind

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "documents"
_spec = importlib.util.spec_from_file_location("make_documents", FIXTURES / "make_documents.py")
made = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(made)


def expected_blocks(blocks: list, footnotes: dict[int, str] | None = None) -> list[str]:
    """The decoded text's blocks as the reader promises them, from the fixture's own constants."""
    out: list[str] = []
    for kind, content in blocks:
        if kind == "title":
            out.append("# " + content)
        elif kind in ("h1", "h2"):
            out.append("#" * int(kind[1]) + " " + content)
        elif kind == "p":
            out.append(content)
        elif kind in ("list", "numbered"):
            lines = []
            for item in content:
                lines += ["  - " + sub for sub in item] if isinstance(item, list) else ["- " + item]
            out.append("\n".join(lines))
        elif kind == "table":
            out.append("\n".join("| " + " | ".join(row) + " |" for row in content))
    if footnotes:
        out += ["## Notes", *(f"[^{n}]: {text}" for n, text in sorted(footnotes.items()))]
    return out


def blocks_of(text: str) -> list[str]:
    assert text.endswith("\n") and not text.endswith("\n\n")
    return text[:-1].split("\n\n")


BRIEFINGS = [pytest.param("briefing.docx", "docx", id="docx"), pytest.param("briefing.odt", "odt", id="odt")]


@pytest.mark.parametrize("name, kind", BRIEFINGS)
def test_briefing_reads_as_written_in_order(name, kind):
    document = read_document(FIXTURES / name)
    assert document.kind == kind
    assert blocks_of(document.text) == expected_blocks(made.BRIEFING, made.FOOTNOTES)
    assert document.meta.title == made.TITLE
    assert document.pages == ()


@pytest.mark.parametrize("name, blocks", [
    pytest.param("allocations.docx", made.ALLOCATIONS, id="tables"),
    pytest.param("grant_notice.docx", made.NOTICE, id="nested-and-numbered-lists"),
])
def test_other_documents_read_as_written(name, blocks):
    assert blocks_of(read_document(FIXTURES / name).text) == expected_blocks(blocks)


@pytest.mark.parametrize("name, figures", [
    pytest.param("briefing.docx", made.BRIEFING_FIGURES, id="briefing-docx"),
    pytest.param("briefing.odt", made.BRIEFING_FIGURES, id="briefing-odt"),
    pytest.param("allocations.docx", made.ALLOCATIONS_FIGURES, id="allocations"),
    pytest.param("grant_notice.docx", made.NOTICE_FIGURES, id="grant-notice"),
])
def test_every_figure_written_is_found_with_its_value(name, figures):
    document = read_document(FIXTURES / name)
    mentions, set_aside = extract_text(document.text, document.source_id)
    assert [(m.money.text, m.money.amount) for m in mentions] == figures
    assert set_aside == []


def test_figure_in_a_footnote_is_found_in_the_notes_with_its_sentence():
    document = read_document(FIXTURES / "briefing.docx")
    mentions, _ = extract_text(document.text, document.source_id)
    notes_start = document.text.index("\n## Notes\n")
    in_notes = [m for m in mentions if m.money.start > notes_start]
    assert [(m.money.text, m.money.amount) for m in in_notes] == made.FOOTNOTE_FIGURES
    assert in_notes[0].sentence == made.FOOTNOTES[2]  # without its "[^2]: " label


def test_sentence_across_the_printed_page_break_is_whole():
    document = read_document(FIXTURES / "briefing.docx")
    mentions, _ = extract_text(document.text, document.source_id)
    (split,) = [m for m in mentions if m.money.text == made.SPLIT_BEFORE]
    assert split.sentence == made.SPLIT_SENTENCE


@pytest.mark.parametrize("name", ["briefing.docx", "briefing.odt"])
def test_running_header_and_footer_are_left_out(name):
    text = read_document(FIXTURES / name).text
    assert text.count(made.HEADER) == 1  # the title paragraph only, not once a page
    assert made.FOOTER.split("{page}")[0].strip() not in text


def test_footnote_marker_is_not_part_of_a_figure():
    assert [(m.text, m.amount) for m in find_money("£5m[^1]")] == [("£5m", 5_000_000)]
    assert list(find_money("[^1]")) == []


# --- Word files made by python-docx: style-based lists, heading levels, merged cells ---------


def test_list_styles_heading_levels_and_merged_cells(tmp_path):
    word = docx.Document()
    word.add_heading("Grants", level=1)
    word.add_heading("Round two", level=2)
    word.add_paragraph("£1m for libraries;", style="List Bullet")
    word.add_paragraph("£2m for museums.", style="List Number")
    table = word.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [["Fund", "2025-26", "2026-27"], ["Arts", "£3m", "£4m"], ["Total", "£7m", ""]]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    table.cell(1, 0).merge(table.cell(2, 0))  # "Arts" spans two rows: its text must not repeat
    table.cell(2, 1).merge(table.cell(2, 2))  # "£7m" spans two columns
    word.add_paragraph("After the table.")
    path = tmp_path / "made.docx"
    word.save(path)
    assert blocks_of(read_document(path).text) == [
        "# Grants", "## Round two", "- £1m for libraries;\n- £2m for museums.",
        "| Fund | 2025-26 | 2026-27 |\n| Arts Total | £3m | £4m |\n|  | £7m |  |", "After the table.",
    ]


# --- bad files -------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


def _with_member(source: Path, name: str, data: bytes) -> bytes:
    """The fixture ``source`` with one member replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w") as new:
        for info in old.infolist():
            new.writestr(info, data if info.filename == name else old.read(info.filename))
    return buffer.getvalue()


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
BAD = [
    pytest.param("bad.docx", b"PK\x03\x04 and then nothing", "damaged Word document", id="broken-zip"),
    pytest.param("bad.docx", (FIXTURES / "briefing.docx").read_bytes()[:3000], "damaged Word document", id="truncated"),
    pytest.param("bad.docx", _zip({"xl/workbook.xml": b"<workbook/>"}), "no word/document.xml", id="workbook-named-docx"),
    pytest.param("bad.docx", _with_member(FIXTURES / "briefing.docx", "word/document.xml", b"<w:document"),
                 "not a readable Word document", id="malformed-xml"),
    pytest.param("bad.docx", _OLE + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(500),
                 "password-protected", id="encrypted-docx"),
    pytest.param("secret.bin", _OLE + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(500),
                 "password-protected", id="encrypted-whatever-its-name"),
    pytest.param("old.docx", _OLE + bytes(1000), "old-format Office file", id="doc-named-docx"),
    pytest.param("bad.docx", b"just some text", "not a zip package", id="text-named-docx"),
    pytest.param("bad.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "no content.xml", id="odt-no-content"),
    pytest.param("bad.odt", _with_member(FIXTURES / "briefing.odt", "content.xml", b"<office:document"),
                 "not well-formed XML", id="odt-malformed-xml"),
    pytest.param("bad.odt", _with_member(FIXTURES / "briefing.odt", "META-INF/manifest.xml",
                 b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                 b"<manifest:encryption-data/></manifest:manifest>"), "password-protected", id="odt-encrypted"),
    pytest.param("sheet.zip", _zip({"xl/workbook.xml": b"<workbook/>"}), "zip archive", id="other-zip-text-message"),
]


@pytest.mark.parametrize("name, data, reason", BAD)
def test_bad_files_name_the_file_and_the_reason(name, data, reason, tmp_path):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        read_document(path)
    assert str(path) in str(caught.value)
    assert reason in str(caught.value)


@pytest.mark.parametrize("name, kind", [
    pytest.param("briefing.docx", "docx", id="docx"), pytest.param("briefing.odt", "odt", id="odt"),
    pytest.param("briefing.pdf", None, id="pdf"),
])
def test_kind_comes_from_the_bytes_not_the_name(name, kind):
    assert office_kind((FIXTURES / name).read_bytes(), "renamed.txt") == kind


def test_docx_renamed_md_is_still_read_as_word(tmp_path):
    path = tmp_path / "briefing.md"
    shutil.copyfile(FIXTURES / "briefing.docx", path)
    assert read_document(path).kind == "docx"


# --- the command line and the generator ------------------------------------------------------


def test_funding_text_prints_the_decoded_text():
    path = FIXTURES / "briefing.docx"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-m", "funding", "text", str(path)], capture_output=True, text=True,
                            encoding="utf-8", env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert blocks_of(result.stdout) == expected_blocks(made.BRIEFING, made.FOOTNOTES)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="needs soffice (Debian: libreoffice-writer-nogui) and pdftotext (poppler-utils)")
def test_generator_remakes_the_same_documents(tmp_path):
    subprocess.run([sys.executable, str(FIXTURES / "make_documents.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True, timeout=600)  # it fails unless the PDF's page break cuts the sentence
    for name in ("briefing.docx", "briefing.odt", "allocations.docx", "grant_notice.docx"):
        assert read_document(tmp_path / name).text == read_document(FIXTURES / name).text, name
    assert (tmp_path / "briefing.pdf").read_bytes().startswith(b"%PDF")


def test_note_marks_are_left_out_of_sentences():
    document = read_document(FIXTURES / "briefing.docx")
    mentions, _ = extract_text(document.text, document.source_id)
    first = made.BRIEFING[2][1]  # the Summary's first paragraph, with the mark [^1]
    assert mentions[0].sentence == first.replace("[^1]", "")


def test_malformed_footnotes_part_is_a_document_error(tmp_path):
    path = tmp_path / "bad.docx"
    path.write_bytes(_with_member(FIXTURES / "briefing.docx", "word/footnotes.xml", b"<w:footnotes"))
    with pytest.raises(DocumentError, match="footnotes part is not well-formed XML") as caught:
        read_document(path)
    assert str(path) in str(caught.value)
