"""Saved web pages: the document's content only, and what the page says of itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from funding.extract import extract_text
from funding.read import Metadata, read_document
from funding.read.html import html_to_text

FIXTURES = Path(__file__).parent / "fixtures" / "web"

#: per fixture: the reader, the Metadata, words that must be in the text, decoys that must not,
#: and the amounts of the money figures in the body, in order
CASES = {
    "govuk-press-release": (
        "govuk",
        Metadata(
            title="Village bus routes to get £42 million lift",
            publisher="Department for Transport; HM Treasury",
            published=dt.date(2024, 3, 12),
            updated=dt.date(2024, 4, 3),
            url="https://www.gov.uk/government/news/village-bus-routes-to-get-42-million-lift",
            licence="Open Government Licence v3.0",
        ),
        ["# Village bus routes to get £42 million lift\n", "Councils will bid for a share of £42 million",
         "Each council can bid for up to £750,000 a year", "## How the money is shared",
         "Allocations by year (£ million)\n| Year | Revenue | Capital |\n| 2024 to 2025 | £9.5m | £4.5m |\n",
         "A bus that stops coming cuts a village off.", "Bids close on 31 May 2024."],
        ["£7 of", "£3 billion", "£18 million", "£250 million", "£500", "Cookies on GOV.UK", "Press release",
         "Share this page", "Is this page useful?", "Published 12 March 2024", "Related content", "Home",
         "Alex Marlow MP and", "First published."],
        ["42000000"] * 4 + ["750000", "9500000", "4500000", "10500000", "3500000"],
    ),
    "govuk-html-publication": (
        "govuk",
        Metadata(
            title="Skills bootcamps: allocations for 2024 to 2025",
            publisher="Department for Education",
            published=dt.date(2024, 7, 1),  # 2024-06-30T23:30:00Z is 1 July in London
            updated=dt.date(2024, 7, 5),
            url="https://www.gov.uk/government/publications/skills-bootcamps-allocations/"
                "skills-bootcamps-allocations-for-2024-to-2025",
            licence="Open Government Licence v3.0",
        ),
        ["## 1. Summary", "how £61 million for skills bootcamps is shared",
         "Allocations by region (£ million)\n| Region | Allocation |\n| North | 24.5 |\n| Midlands | 20.0 |\n| South | 16.5 |\n",
         "- Delivery excludes marketing and venue hire.\n"],
        ["£1.2 million", "£ by region", "Contents", "Crown copyright", "Updated 5 July 2024", "Guidance\n", "↩"],
        ["61000000", "24500000", "20000000", "16500000"],
    ),
    "written-question": (
        "written-question",
        Metadata(
            title="Further Education: Capital Investment",
            publisher="Department for Education",
            published=dt.date(2024, 5, 21),
            url="https://questions-statements.parliament.uk/written-questions/detail/2024-05-13/98765",
            licence="Open Parliament Licence v3.0",
        ),
        ["# Further Education: Capital Investment", "Question for Department for Education",
         "UIN 98765, tabled on 13 May 2024", "To ask the Secretary of State for Education, how much capital funding",
         "Answered on\n\n21 May 2024", "£3.2 million of capital funding", "£180 million nationally"],
        ["£25", "£900 million", "Related questions", "Share this question", "Daily reports", "Cookie policy"],
        ["3200000", "4100000", "180000000"],
    ),
    "hansard-debate": (
        "hansard",
        Metadata(
            title="Rural Broadband",
            publisher="House of Commons",
            published=dt.date(2024, 3, 19),
            url="https://hansard.parliament.uk/commons/2024-03-19/debates/5B0E6C1A-3F1D-4E2B-9A77-0C4D2E8F1B21/RuralBroadband",
            licence="Open Parliament Licence v3.0",
        ),
        ["# Rural Broadband\n", "Volume 747: debated on Tuesday 19 March 2024", "Question put and agreed to."],
        ["£10", "£1 coffee", "£5 billion", "812", "813", "Search Hansard", "In this debate"],
        ["60000000", "60000000", "22000000"],
    ),
    "generic-with-main": (
        "html",
        Metadata(title="Harbour trust annual note", url="https://harbour-trust.example.org/news/annual-note"),
        ["# Annual note from the harbour trust", "Written by the trustees", "£2.5 million on the north quay wall",
         "a further £400,000.", "Filed under: quay, slipway"],
        ["£1.", "£20", "£8 million", "£0.4m", "£15 million", "£30", "Harbour Trust\n"],
        ["2500000", "400000"],
    ),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    return request.param, read_document(FIXTURES / f"{request.param}.html"), CASES[request.param]


def test_reader_and_metadata(case):
    _name, document, (kind, meta, *_rest) = case
    assert (document.kind, document.meta) == (kind, meta)


def test_body_in_chrome_out(case):
    _name, document, (_kind, _meta, present, absent, _amounts) = case
    for words in present:
        assert words in document.text
    for decoy in absent:
        assert decoy not in document.text, decoy


def test_money_in_the_body_is_found_with_its_value(case):
    name, document, (*_rest, amounts) = case
    mentions, _ = extract_text(document.text, name)
    assert [m.money.amount for m in mentions] == [Decimal(a) for a in amounts]


def test_hansard_speaker_named_before_their_words():
    text = read_document(FIXTURES / "hansard-debate.html").text
    assert "Priya Hartley (Eastmoor) (Ind)\n\nWhat assessment the Minister has made" in text
    assert ("The Minister for Digital Connectivity (Tom Okafor)\n\nThe full £60 million has been committed"
            in text)
    assert text.index("Priya Hartley") < text.index("The Minister for Digital")


def test_govuk_dates_from_meta_tags_in_london_time(tmp_path):
    """No visible dates: the meta tags, read as dates in London; never updated is no update."""
    path = tmp_path / "page.html"
    path.write_text(
        '<!DOCTYPE html><html><head><title>Ferry grants - GOV.UK</title>'
        '<meta name="govuk:first-published-at" content="2023-08-31T23:15:00Z">'
        '<meta name="govuk:public-updated-at" content="2023-09-01T00:15:00+01:00">'
        '<meta name="govuk:primary-publishing-organisation" content="Department for Transport"></head>'
        '<body><main><h1 class="gem-c-title__text">Ferry grants</h1>'
        '<div class="gem-c-govspeak govuk-govspeak"><p>Islands share £6 million.</p></div></main></body></html>',
        encoding="utf-8",
    )
    document = read_document(path)
    assert document.text == "# Ferry grants\n\nIslands share £6 million.\n"
    assert document.meta == Metadata(
        title="Ferry grants", publisher="Department for Transport", published=dt.date(2023, 9, 1)
    )


def test_govuk_winter_timestamp_keeps_its_day(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        '<html><head><meta name="govuk:first-published-at" content="2024-01-15T23:30:00.000+00:00"></head>'
        '<body><main><h1>Grants</h1><div class="govuk-govspeak"><p>Text.</p></div></main></body></html>',
        encoding="utf-8",
    )
    assert read_document(path).meta.published == dt.date(2024, 1, 15)


def test_plain_page_without_main_is_read_as_before(tmp_path):
    """No <main>: nothing is dropped, not even a header, nav or footer (they may be all it has)."""
    html = (
        "<!DOCTYPE html><html><head><title>Note</title></head><body><header><h1>Budget note</h1></header>"
        "<nav><p>Sections</p></nav><p>We will invest £3m.</p><aside><p>Aside £1m.</p></aside>"
        "<footer><p>Signed, the clerk</p></footer></body></html>"
    )
    path = tmp_path / "note.html"
    path.write_text(html, encoding="utf-8")
    document = read_document(path)
    assert document.kind == "html"
    assert document.text == html_to_text(html)
    assert document.text == (
        "Note\n\n# Budget note\n\nSections\n\nWe will invest £3m.\n\nAside £1m.\n\nSigned, the clerk\n"
    )


@pytest.mark.parametrize(
    "html, text",
    [
        pytest.param("<!DOCTYPE html>", "", id="doctype-only"),
        pytest.param("<html></html>", "", id="empty-html"),
        pytest.param('<?xml version="1.0" encoding="utf-8"?><html><body><main><p>a £1m</p></main></body></html>',
                     "a £1m\n", id="xml-declaration"),
    ],
)
def test_empty_or_odd_pages_read_without_error(html, text, tmp_path):
    path = tmp_path / "odd.html"
    path.write_text(html, encoding="utf-8")
    assert read_document(path).text == text


def test_table_rows_are_pipe_rows_with_header_first():
    html = (
        "<table>\n  <caption>Grants (£000)</caption>\n  <thead>\n    <tr><th>Area</th><th>Grant</th></tr>\n"
        "  </thead>\n  <tbody>\n    <tr><td><p>North</p><p>coast</p></td><td>120</td></tr>\n  </tbody>\n</table>"
    )
    assert html_to_text(html) == "Grants (£000)\n| Area | Grant |\n| North coast | 120 |\n"


def test_same_bytes_same_text():
    path = FIXTURES / "govuk-press-release.html"
    assert read_document(path) == read_document(path)
