"""Reading PDF: real PDFs made by LibreOffice and Chromium, never mocks.

The briefing (tests/fixtures/documents/briefing.pdf) and every expected value about it come from
make_documents.py beside it, which wrote it. The two source documents were printed to PDF by
tests/fixtures/pdf/make_pdfs.py with Chromium's own header and footer (date, title, file
address, "3/18"); their expected figures are the hand-written list in test_cli.EXPECTED. The
scan, the encrypted and the truncated PDF were made by the same script.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from funding.extract import extract_text
from funding.money import Money, find_money
from funding.read import DocumentError, page_of, read_document
from funding.read.pdf import _pdf_date, _resolve_hyphens
from test_cli import EXPECTED

ROOT = Path(__file__).resolve().parents[1]
PDFS = ROOT / "tests" / "fixtures" / "pdf"
BRIEFING_PDF = ROOT / "tests" / "fixtures" / "documents" / "briefing.pdf"
SOURCES = ["dfe-evidence-psc0062", "govt-response-children-in-crisis"]


def _load_fixture_script():
    spec = importlib.util.spec_from_file_location("make_documents", BRIEFING_PDF.with_name("make_documents.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


B = _load_fixture_script()


@pytest.fixture(scope="module")
def briefing():
    return read_document(BRIEFING_PDF)


def figures(text: str) -> list[tuple[str, int]]:
    return [(m.text, int(m.amount)) for m in find_money(text) if isinstance(m, Money)]


# --- the briefing: furniture removed, structure kept --------------------------------------------


def test_briefing_is_a_pdf_with_its_title(briefing):
    assert briefing.kind == "pdf"
    assert briefing.meta.title == B.TITLE  # LibreOffice writes the document's title into the PDF


def test_running_header_and_footer_are_gone(briefing):
    # The header repeats the title: only the title itself (the first heading) is left.
    assert briefing.text.count(B.HEADER) == 1
    assert briefing.text.startswith("# " + B.TITLE + "\n\n")
    footer = re.compile("^" + re.escape(B.FOOTER).replace(r"\{page\}", r"\d+") + "$", re.M)
    assert footer.search(briefing.text) is None
    assert re.search(r"^\s*\d+\s*$", briefing.text, re.M) is None  # no bare page numbers either


def test_headings_by_type_size(briefing):
    headings = [text for kind, text in B.BRIEFING if kind == "h1"]
    found = re.findall(r"^(#+) (.*)$", briefing.text, re.M)
    assert found[0] == ("#", B.TITLE)
    assert [text for _marks, text in found[1:] if text != "Notes"] == headings
    assert {marks for marks, _text in found[1:]} == {"##"}


def test_footnotes_go_under_notes_with_markers_in_the_body(briefing):
    body, notes = briefing.text.split("\n## Notes\n\n")
    assert notes.rstrip("\n").split("\n\n") == [f"[^{n}]: {text}" for n, text in B.FOOTNOTES.items()]
    assert "Accelerator[^1], which will open" in body
    assert "from 2025-26[^2]." in body
    for text in B.FOOTNOTES.values():
        assert text not in body
    # A footnote keeps the page it was printed on: both markers are in the Summary, on page 1.
    for text in B.FOOTNOTES.values():
        assert page_of(briefing.pages, briefing.text.index(text)) == 1


def test_a_marker_after_a_figure_leaves_the_figure_alone():
    assert figures("It gets £5m[^1] this year.") == [("£5m", 5_000_000)]


def test_list_items_are_items(briefing):
    items = next(content for kind, content in B.BRIEFING if kind == "list")
    assert "\n".join("- " + item for item in items) in briefing.text


def test_table_rows_are_pipe_rows_header_first(briefing):
    rows = next(content for kind, content in B.BRIEFING if kind == "table")
    expected = "\n".join("| " + " | ".join(row) + " |" for row in rows)
    assert "\n\n" + expected + "\n\n" in briefing.text


def test_sentence_across_the_page_break_is_whole_and_its_figure_keeps_its_page(briefing):
    start = briefing.text.index(B.SPLIT_SENTENCE)  # one run of text: no blank line, no footer inside
    end = start + len(B.SPLIT_SENTENCE)
    assert page_of(briefing.pages, start) == B.SPLIT_PAGE
    assert page_of(briefing.pages, end - 1) == B.SPLIT_PAGE + 1
    figure = next(m for m in find_money(briefing.text) if isinstance(m, Money) and start <= m.start < end)
    assert (figure.text, page_of(briefing.pages, figure.start)) == (B.SPLIT_BEFORE, B.SPLIT_PAGE)
    mentions, _ = extract_text(briefing.text, briefing.source_id)
    mention = next(m for m in mentions if m.money.start == figure.start)
    assert B.SPLIT_SENTENCE in mention.sentence


def test_every_figure_in_the_briefing_with_its_value(briefing):
    body = [figure for figure in B.BRIEFING_FIGURES if figure not in B.FOOTNOTE_FIGURES]
    assert figures(briefing.text) == body + B.FOOTNOTE_FIGURES  # footnotes come after the body


def test_paragraphs_are_blank_line_separated_blocks(briefing):
    paragraphs = [content for kind, content in B.BRIEFING if kind == "p" and "[^" not in content]
    blocks = briefing.text.split("\n\n")
    for paragraph in paragraphs:
        assert paragraph in blocks


def test_pages_are_in_offset_order_and_cover_every_page(briefing):
    offsets = [offset for offset, _page in briefing.pages]
    assert offsets == sorted(offsets) and offsets[0] == 0
    printed = len(pdfium.PdfDocument(BRIEFING_PDF))
    assert printed >= B.MIN_PAGES
    assert [page for _offset, page in briefing.pages] == list(range(1, printed + 1)) + [1]  # the notes: page 1


def test_reading_is_deterministic():
    assert read_document(BRIEFING_PDF) == read_document(BRIEFING_PDF)


# --- the sources printed by Chromium: the same figures as the Markdown ----------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_printed_source_gives_the_markdown_figures(source):
    pdf = read_document(PDFS / f"{source}.pdf")
    markdown = read_document(ROOT / "data" / "raw" / "documents" / f"{source}.md")
    from_pdf, _ = extract_text(pdf.text, pdf.source_id)
    from_markdown, _ = extract_text(markdown.text, markdown.source_id)
    expected = [(amount, qualifier) for sid, _line, _text, amount, qualifier in EXPECTED if sid == source]
    values = [(m.money.amount, m.money.currency, m.money.qualifier, m.money.rate) for m in from_pdf]
    assert [(int(amount), qualifier) for amount, _currency, qualifier, _rate in values] == expected
    assert values == [(m.money.amount, m.money.currency, m.money.qualifier, m.money.rate) for m in from_markdown]
    pages = [page_of(pdf.pages, m.money.start) for m in from_pdf]
    assert all(page >= 1 for page in pages) and pages == sorted(pages)


def test_all_37_figures_of_the_sources():
    count = 0
    for source in SOURCES:
        document = read_document(PDFS / f"{source}.pdf")
        count += len(extract_text(document.text, document.source_id)[0])
    assert count == len(EXPECTED) == 37


def test_browser_header_and_footer_are_gone():
    document = read_document(PDFS / "govt-response-children-in-crisis.pdf")
    assert "file://" not in document.text
    assert re.search(r"\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}", document.text) is None  # the print date
    assert re.search(r"\b\d{1,2}/18\b", document.text) is None  # "3/18"
    # The printed title in the header is the file's own name: not taken as a title; a
    # browser's print date is not the document's date.
    assert (document.meta.title, document.meta.published, document.meta.updated) == ("", None, None)


def test_superscript_in_a_printed_source_becomes_a_marker():
    document = read_document(PDFS / "govt-response-children-in-crisis.pdf")
    assert "ODP is published[^1], and includes" in document.text  # "<sup>1</sup>" in the Markdown


# --- what cannot be read ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, reason",
    [
        pytest.param("scanned.pdf", "has no text layer: it is a scan; run OCR (for example ocrmypdf) first", id="scan"),
        pytest.param("encrypted.pdf", "encrypted PDF that needs a password", id="encrypted"),
        pytest.param("truncated.pdf", "damaged or cut short", id="truncated"),
    ],
)
def test_unreadable_pdfs_name_the_file_and_the_reason(name, reason):
    with pytest.raises(DocumentError) as caught:
        read_document(PDFS / name)
    assert str(PDFS / name) in str(caught.value)
    assert reason in str(caught.value)


def test_bytes_that_only_start_like_a_pdf(tmp_path):
    path = tmp_path / "notes.md"
    path.write_bytes(b"%PDF-1.7\nnothing else")
    with pytest.raises(DocumentError, match="is a PDF that cannot be read"):
        read_document(path)


# --- the command --------------------------------------------------------------------------------


def run_text(path: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "funding", "text", str(path)], capture_output=True, text=True, encoding="utf-8", env=env)


def test_funding_text_prints_the_pdf_text(briefing):
    result = run_text(BRIEFING_PDF)
    assert result.returncode == 0, result.stderr
    assert result.stdout == briefing.text


def test_funding_text_on_a_scan_is_a_clear_error():
    result = run_text(PDFS / "scanned.pdf")
    assert result.returncode == 1
    assert "scanned.pdf: has no text layer" in result.stderr
    assert "Traceback" not in result.stderr


# --- the small rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("policy co\ufffeordinating work", "policy co-ordinating work", id="real-hyphen-kept"),
        pytest.param("the implemen\ufffetation plan; implementation", "the implementation plan; implementation", id="break-rejoined"),
        pytest.param("a co\ufffeoperate and co-operate; cooperate", "a co-operate and co-operate; cooperate", id="both-used-kept"),
        pytest.param("ends here\ufffe", "ends here-", id="not-between-words"),
    ],
)
def test_line_end_hyphens(text, expected):
    assert _resolve_hyphens(text)[0] == expected


def test_pdf_dates():
    assert _pdf_date("D:20250314093000Z") is not None and _pdf_date("D:20250314093000Z").isoformat() == "2025-03-14"
    assert _pdf_date("") is None


def test_a_pdf_creation_date_is_kept_as_created_not_as_the_publication_date():
    meta = read_document(BRIEFING_PDF).meta
    assert meta.published is None and meta.updated is None
    assert meta.created is not None  # LibreOffice stamps the day it made the file
