"""Reading: a document on disk into the decoded text that every offset in the tables refers to.

One reader a format, each in its own module, all giving a ``Document``:

- ``text``: Markdown and plain text in any of the encodings documents arrive in;
- ``html``: web pages, reduced to their readable text;
- ``web``: saved GOV.UK, written-question and Hansard pages, their content without the site's
  chrome, and the page's own title, publisher and dates;
- ``word``: Word (.docx) and OpenDocument text (.odt) files, as Markdown-like text;
- ``pdf``: PDF, in reading order, without running headers, footers and page numbers, its
  footnotes kept as notes and every run of text with its page;
- ``api``: JSON saved from the GOV.UK Content API or the Written Questions API (``funding fetch``).

``read_document`` chooses the reader from the file's first bytes, then its name. Every
``start``/``end`` offset and ``line`` in the mentions table indexes ``Document.text``;
``funding text FILE`` prints it. Where a format has pages, ``Document.pages`` maps offsets to
the page they were printed on (``page_of``). What a document says about itself (its title,
publisher and dates, as a GOV.UK page's "Published" and "From" lines do) is kept in
``Document.meta``, for a sources.csv row where the analyst has written none.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from funding.read.api import looks_like_api_json, read_api
from funding.read.errors import DocumentError
from funding.read.html import html_to_text, looks_like_html
from funding.read.text import decode_bytes, repair_mojibake, replace_surrogates
from funding.read.word import office_kind, read_docx, read_odt
from funding.vocab import HTML_SUFFIXES

__all__ = [
    "Document", "DocumentError", "Metadata", "decode_bytes", "html_to_text", "page_of", "read_document",
    "repair_mojibake", "replace_surrogates",
]


@dataclass(frozen=True)
class Metadata:
    """What a document states about itself; empty where it states nothing."""

    title: str = ""
    publisher: str = ""  # the organisations it is "From", as it names them, joined by "; "
    published: dt.date | None = None  # first published
    updated: dt.date | None = None  # last updated, where the page says
    url: str = ""
    licence: str = ""
    #: when the file itself was made (a PDF's CreationDate): often days or years from publication
    #: (a PDF made again, a draft saved early), so never taken as the publication date
    created: dt.date | None = None
    document_type: str = ""  # GOV.UK's document type ("press_release", "speech"), where the Content API gives one


@dataclass(frozen=True)
class Document:
    """One document's decoded text and how it was obtained."""

    source_id: str
    path: Path
    text: str
    encoding: str
    kind: str  # "text", "html" ("govuk", "written-question", "hansard" for those sites' pages), and one name a further format
    notes: tuple[str, ...] = field(default=())
    #: (offset, page number) where each run of text from one printed page begins, in offset
    #: order; empty where the format has no pages. Footnotes moved after the body keep their page.
    pages: tuple[tuple[int, int], ...] = field(default=())
    meta: Metadata = field(default=Metadata())


def page_of(pages: tuple[tuple[int, int], ...], offset: int) -> int | None:
    """The page the character at ``offset`` was printed on, or None where there are no pages.

    >>> page_of(((0, 1), (120, 2), (300, 1)), 150), page_of(((0, 1), (120, 2), (300, 1)), 310)
    (2, 1)
    >>> page_of((), 5) is None
    True
    """
    if not pages:
        return None
    index = bisect_right(pages, (offset, float("inf"))) - 1
    return pages[max(index, 0)][1]


def read_document(path: Path | str) -> Document:
    """Read ``path`` and return its decoded text; raise DocumentError naming the file if it is not text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if data.startswith(b"%PDF"):
        from funding.read.pdf import read_pdf  # PDFium loads only when a PDF comes

        return read_pdf(path, data)
    office = office_kind(data, path)  # Word and OpenDocument text; other zips fall to decode_bytes
    if office is not None:
        return read_docx(path, data) if office == "docx" else read_odt(path, data)
    if looks_like_api_json(path, data):
        return read_api(path, data)
    text, encoding, notes = decode_bytes(data, path)
    kind, meta = "text", Metadata()
    if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        from funding.read.web import read_web_page  # here: web.py builds this module's Metadata

        page = read_web_page(text)
        text, kind, meta = page.text, page.kind, page.meta
        notes = notes + ("HTML: offsets index the extracted text (see `funding text`)",)
    return Document(path.stem, path, text, encoding, kind, notes, meta=meta)
