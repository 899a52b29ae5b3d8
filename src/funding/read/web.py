"""Saved web pages: the document's own content and what the page says of itself.

A page saved from a browser carries its site's chrome (the cookie banner, the header and its
navigation, breadcrumbs, related links, "Is this page useful?", "Share this page", the footer).
Those words are not the document's, and a figure in them (a "£" in a related link's title) is
not one of its figures. Three sites mark their content, and are read for it alone:

- GOV.UK (news stories, press releases, speeches, guidance, HTML publications): the title, the
  summary and the govspeak body; "From:" organisations, "Published" and "Last updated" dates;
- UK Parliament written questions and answers: the question, the answer, the answering body,
  the dates tabled and answered (the answer's date is the document's);
- Hansard debates: the title, the sitting's date and each contribution after its speaker's name.

Any other page reads as before (``html_to_text``), less the chrome HTML marks as such (nav,
aside, the page's own header and footer, cookie banners, hidden elements) where the page has a
``<main>``: a page without one is taken whole, so a plain HTML file loses no text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import lxml.html
from lxml import etree

from funding.read import Metadata
from funding.read.html import html_to_text

__all__ = ["WebPage", "parse_date", "read_web_page", "uk_date"]

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class WebPage:
    """A page's document text, which reader made it, and what the page says of itself."""

    text: str
    kind: str  # "govuk", "written-question", "hansard", or "html" for any other page
    meta: Metadata = field(default=Metadata())


def read_web_page(html: str) -> WebPage:
    """Read a saved page: its site's reader where the markup names the site, else the generic one."""
    root = _parse(html)
    if root is None:  # nothing lxml can build a tree from (an empty or broken page)
        return WebPage(html_to_text(html), "html")
    url = _page_url(root, html)
    for kind, recognise, read in _SITES:
        if recognise(root, url):
            text, meta = read(root, url)
            if text.strip():
                return WebPage(text, kind, meta)
    return WebPage(_generic_text(root, html), "html", Metadata(title=_head_title(root), url=url))


# --- dates ---------------------------------------------------------------------------------

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_DATE = re.compile(
    r"""(?:\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?   # "Tuesday 12 March 2024"
        \b(\d{1,2})(?:st|nd|rd|th)?\s+                           # day, "12th" too
        ([a-z]{3,9})\.?,?\s+                                     # month, in full or short
        (\d{4})\b                                                # year
      | \b(\d{1,2})/(\d{1,2})/(\d{4})\b                          # 12/03/2024, day first
    """,
    re.I | re.X,
)


def parse_date(text: str) -> dt.date | None:
    """The first date written in ``text`` the way UK pages write them, or None.

    >>> parse_date("Published 12 March 2024"), parse_date("debated on Tuesday 3rd Sept 2024")
    (datetime.date(2024, 3, 12), datetime.date(2024, 9, 3))
    >>> parse_date("Answered on 20/03/2024"), parse_date("12 Smarch 2024")
    (datetime.date(2024, 3, 20), None)
    """
    for match in _DATE.finditer(text):
        if match.group(1):
            day, month, year = int(match.group(1)), _MONTHS.get(match.group(2).lower()), int(match.group(3))
        else:
            day, month, year = int(match.group(4)), int(match.group(5)), int(match.group(6))
        try:
            return dt.date(year, month, day) if month else None
        except ValueError:
            continue
    return None


def uk_date(value: str) -> dt.date | None:
    """The date in the UK of an ISO 8601 timestamp, as GOV.UK's meta tags hold them, or None.

    A time in summer at 23:30 UTC is already the next day in London:

    >>> uk_date("2024-07-04T23:30:00Z"), uk_date("2024-01-04T23:30:00.000+00:00")
    (datetime.date(2024, 7, 5), datetime.date(2024, 1, 4))
    >>> uk_date("2024-03-12"), uk_date("soon")
    (datetime.date(2024, 3, 12), None)
    """
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(LONDON)
    return moment.date()


# --- the tree --------------------------------------------------------------------------------

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse(html: str):
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html))
    except (etree.ParserError, ValueError):
        return None
    for br in root.iter("br"):  # "Department<br>for Education" is two words when read as text
        br.tail = " " + (br.tail or "")
    return root


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _having_class(root, *names: str) -> list:
    """Elements with any of the class names, in document order (XPath 1.0 has no class test)."""
    tests = " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')" for name in names)
    return root.xpath(f".//*[{tests}]")


def _class_containing(root, fragment: str) -> list:
    return root.xpath(f".//*[contains(@class, '{fragment}')]")


def _markup(element) -> str:
    return lxml.html.tostring(element, encoding="unicode", with_tail=False)


def _text(element) -> str:
    """An element's words on one line, without the Markdown marks ``html_to_text`` puts in."""
    text = re.sub(r"(?m)^(?:#+ |- |\| ?)|(?: ?\|)$", "", html_to_text(_markup(element)))
    return " ".join(text.split())


def _blocks_text(elements) -> str:
    """The text of several elements, each its own block, in the order given."""
    parts = [html_to_text(_markup(element)).strip("\n") for element in elements]
    return "\n\n".join(part for part in parts if part) + "\n" if any(parts) else ""


def _outermost(elements) -> list:
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


_SECTIONING = frozenset({"article", "aside", "main", "nav", "section"})
_COOKIE = re.compile(r"cookie", re.I)


def _is_chrome(element) -> bool:
    """Whether HTML marks the element as the site's, not the document's."""
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in {"nav", "aside"}:
        return True
    if tag in {"header", "footer"}:  # the page's banner and footer, not an article's own
        return not any(a.tag in _SECTIONING for a in element.iterancestors())
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    return bool(_COOKIE.search(f"{element.get('id') or ''} {element.get('class') or ''}"))


def _drop(elements) -> None:
    for element in elements:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail: the text after the element is not its


def _drop_chrome(root, *also) -> None:
    """Remove the chrome from ``root``, and any element carrying one of the ``also`` classes."""
    _drop([e for e in root.iter() if isinstance(e.tag, str) and _is_chrome(e)])
    if also:
        _drop(_having_class(root, *also))


def _meta(root, name: str) -> str:
    found = root.xpath("//meta[@name=$n or @property=$n]/@content", n=name)
    return found[0].strip() if found else ""


_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)


def _page_url(root, html: str) -> str:
    """The page's address: its canonical link, else og:url, else the browser's "saved from" note."""
    canonical = root.xpath("//link[@rel='canonical']/@href")
    if canonical and canonical[0].strip():
        return canonical[0].strip()
    if _meta(root, "og:url"):
        return _meta(root, "og:url")
    saved = _SAVED_FROM.search(html[:2000])
    return saved.group(1) if saved else ""


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""


def _head_title(root) -> str:
    titles = root.xpath("//head/title")
    return _meta(root, "og:title") or (" ".join(titles[0].text_content().split()) if titles else "")


_LICENCE = re.compile(r"Open (Government|Parliament) Licence,?\s+v(?:ersion\s+)?(\d+(?:\.\d+)?)", re.I)


def _licence(root) -> str:
    """The licence the page says its content is under ("Open Government Licence v3.0"), or ""."""
    match = _LICENCE.search(" ".join(root.text_content().split()))
    return f"Open {match.group(1).title()} Licence v{match.group(2)}" if match else ""


# --- any other page --------------------------------------------------------------------------


def _generic_text(root, html: str) -> str:
    """``html_to_text`` of the page, less its chrome where it has a <main> (else untouched)."""
    if not root.xpath("//main | //*[@role='main']"):
        return html_to_text(html)
    _drop_chrome(root)
    return html_to_text(_markup(root))


# --- GOV.UK ----------------------------------------------------------------------------------

_GOVSPEAK = ("gem-c-govspeak", "govuk-govspeak", "govspeak")
#: GOV.UK components that are never the document's text, wherever they appear
_GOVUK_CHROME = (
    "gem-c-cookie-banner", "gem-c-breadcrumbs", "govuk-breadcrumbs", "gem-c-contextual-breadcrumbs",
    "gem-c-share-links", "gem-c-feedback", "gem-c-contextual-sidebar", "gem-c-related-navigation",
    "gem-c-contextual-footer", "gem-c-print-link", "gem-c-back-to-top-link", "gem-c-title__context",
    "govuk-skip-link", "gem-c-skip-link",
)


def _is_govuk(root, url: str) -> bool:
    return (
        _host(url) in {"www.gov.uk", "gov.uk"}
        or bool(root.xpath("//meta[starts-with(@name, 'govuk:')]"))
        or bool(_having_class(root, "gem-c-govspeak", "govuk-govspeak"))
    )


def _read_govuk(root, url: str) -> tuple[str, Metadata]:
    meta = _govuk_meta(root, url)  # before the chrome goes: the footer holds the licence
    main = (root.xpath("//main") or root.xpath("//body") or [root])[0]
    _drop_chrome(main, *_GOVUK_CHROME)
    _drop(main.xpath(".//*[@role='doc-backlink']"))  # a footnote's "↩" back to its marker
    headings = main.xpath(".//h1")
    parts = [f"# {_text(headings[0])}\n"] if headings and _text(headings[0]) else []
    leads = _class_containing(main, "lead-paragraph")
    bodies = _outermost(_having_class(main, *_GOVSPEAK))
    if not bodies:
        return "", meta
    parts.append(_blocks_text(leads[:1] + bodies))
    return "\n".join(part for part in parts if part), meta


def _govuk_meta(root, url: str) -> Metadata:
    published, updated = _govuk_visible_dates(root)
    first = uk_date(_meta(root, "govuk:first-published-at"))
    public = uk_date(_meta(root, "govuk:public-updated-at"))
    published = published or first
    if updated is None and public is not None and published is not None and public > published:
        updated = public
    headings = [h for h in (root.xpath("//main//h1") or root.xpath("//h1")) if _text(h)]
    title = _title_without_context(headings[0]) if headings else ""
    title = title or re.sub(r"\s+-\s+GOV\.UK$", "", _head_title(root))
    return Metadata(
        title=title,
        publisher="; ".join(_govuk_organisations(root)) or _meta(root, "govuk:primary-publishing-organisation"),
        published=published,
        updated=updated,
        url=url,
        licence=_licence(root),
    )


def _title_without_context(heading) -> str:
    heading = lxml.html.fromstring(_markup(heading))  # a copy: the page keeps its context label
    _drop(_having_class(heading, "gem-c-title__context"))
    return _text(heading)


def _definition(root, term: re.Pattern) -> list:
    """The <dd> elements after each <dt> whose text matches ``term`` ("From:", "Published")."""
    found = []
    for dt_element in root.xpath("//dt"):
        if term.fullmatch(_text(dt_element)):
            found.extend(dt_element.xpath("following-sibling::dd[1]"))
    return found


def _govuk_organisations(root) -> list[str]:
    """The organisations a page is "From", by name (people it is also from are left out)."""
    names: list[str] = []
    for definition in _definition(root, re.compile(r"From:?", re.I)):
        links = definition.xpath(".//a[@href]")
        organisations = [a for a in links if "/organisations/" in a.get("href", "")]
        chosen = organisations or [a for a in links if "/people/" not in a.get("href", "")]
        if chosen:
            names.extend(_text(a) for a in chosen)
        else:  # unlinked, the list stays whole: "Food and Rural Affairs" is one name, not two
            names.append(_text(definition))
    if not names:  # an HTML publication names its organisations in the logos above its title
        logos = _class_containing(root, "organisation-logo__name") or _having_class(root, "gem-c-organisation-logo")
        names.extend(_text(logo) for logo in logos)
    return list(dict.fromkeys(name for name in names if name and not re.fullmatch(r"\+ ?\d+ more", name)))


def _first_date(elements) -> dt.date | None:
    return next((date for date in (parse_date(_text(e)) for e in elements) if date), None)


_PUBLISHED = re.compile(r"\bPublished:?\s+(.{6,40})")
_UPDATED = re.compile(r"\b(?:Last updated|Updated):?\s+(.{6,40})")


def _govuk_visible_dates(root) -> tuple[dt.date | None, dt.date | None]:
    """The "Published" and "Last updated" dates the page shows, from its metadata blocks only."""
    published = _first_date(_definition(root, re.compile(r"(?:First )?published:?", re.I)))
    updated = _first_date(_definition(root, re.compile(r"(?:Last )?updated:?", re.I)))
    shown = _class_containing(root, "published-dates") + _class_containing(root, "last-changed")
    blocks = " ".join(_text(e) for e in shown)
    if published is None and (match := _PUBLISHED.search(blocks)):
        published = parse_date(match.group(1))
    if updated is None and (match := _UPDATED.search(blocks)):
        updated = parse_date(match.group(1))
    return published, updated


# --- UK Parliament: written questions and answers ----------------------------------------------

_QUESTION_FOR = re.compile(r"Question for (?:the )?(.+)", re.I)
_TABLED = re.compile(r"\btabled on\s+(.{6,40})", re.I)
_ANSWERED = re.compile(r"\bAnswered on\s+(.{6,40})", re.I)


def _is_written_question(root, url: str) -> bool:
    if _host(url) == "questions-statements.parliament.uk":
        return "/written-questions/" in url
    text = " ".join(root.text_content().split())
    return bool(re.search(r"Question for ", text) and _TABLED.search(text) and "UIN" in text)


def _read_written_question(root, url: str) -> tuple[str, Metadata]:
    licence = _licence(root)
    main = (root.xpath("//*[@id='main-content']") or root.xpath("//main") or root.xpath("//body") or [root])[0]
    _drop_chrome(main, "share", "share-bar")
    text = html_to_text(_markup(main))
    headings = main.xpath(".//h1")
    body = next((m.group(1) for m in map(_QUESTION_FOR.fullmatch, map(_text, main.xpath(".//h2 | .//h3"))) if m), "")
    answered = _ANSWERED.search(text)
    return text, Metadata(
        title=_text(headings[0]) if headings else _head_title(root),
        publisher=body.strip(),
        published=parse_date(answered.group(1)) if answered else None,
        url=url,
        licence=licence,
    )


# --- Hansard ---------------------------------------------------------------------------------


def _is_hansard(root, url: str) -> bool:
    return _host(url) == "hansard.parliament.uk" or bool(_having_class(root, "debate-item-contributiondebateitem"))


def _read_hansard(root, url: str) -> tuple[str, Metadata]:
    licence = _licence(root)
    banner = (_class_containing(root, "hero-banner") or [root])[0]
    headings = banner.xpath(".//h1") or root.xpath("//h1")
    title = _text(headings[0]) if headings else _head_title(root)
    sitting = next((_text(h) for h in banner.xpath(".//h2") if "debated on" in _text(h).lower()), "")
    _drop_chrome(root, "share", "share-bar", "debate-item-columnnumber")
    parts = [f"# {title}" if title else "", sitting]
    for item in _outermost(_having_class(root, "debate-item")):
        parts.append(_hansard_item(item))
    text = "\n\n".join(part.strip("\n") for part in parts if part.strip())
    return (text + "\n" if text else ""), Metadata(
        title=title,
        publisher=_house(url, " ".join(_text(e) for e in [banner] + root.xpath("//title"))),
        published=parse_date(sitting.lower().split("debated on", 1)[-1]) if sitting else None,
        url=url,
        licence=licence,
    )


def _hansard_item(item) -> str:
    """One debate item: a contribution as its speaker's name then their words; other items as text."""
    contents = _having_class(item, "content")
    if "debate-item-contributiondebateitem" not in _classes(item):
        return _blocks_text(contents or [item])
    names = [" ".join(_text(e) for e in _having_class(item, cls)[:1]) for cls in ("primary-text", "secondary-text")]
    speaker = " ".join(name for name in names if name)
    if not speaker:  # the header names the speaker where the name is not split in two
        speaker = " ".join(_text(e) for e in _having_class(item, "header"))
    words = _blocks_text(contents) if contents else ""
    return "\n\n".join(part for part in (speaker, words.strip("\n")) if part)


def _house(url: str, text: str) -> str:
    """The House a debate was in: from the address, else from the page's "Lords Chamber" and kin."""
    path = urlsplit(url).path.lower()
    if path.startswith(("/lords/", "/commons/")):
        return "House of Lords" if path.startswith("/lords/") else "House of Commons"
    if re.search(r"\bLords Chamber\b|\bGrand Committee\b", text):
        return "House of Lords"
    if re.search(r"\bCommons Chamber\b|\bWestminster Hall\b|\bGeneral Committees?\b", text):
        return "House of Commons"
    return ""


_SITES = (
    ("govuk", _is_govuk, _read_govuk),
    ("written-question", _is_written_question, _read_written_question),
    ("hansard", _is_hansard, _read_hansard),
)
