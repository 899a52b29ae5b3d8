"""Documents saved from the publishers' APIs by ``funding fetch``: JSON made into readable text.

Two shapes are read, each as its API returns it (checked against the published schemas):

- a GOV.UK Content API content item (``https://www.gov.uk/api/content/<path>``): ``title``,
  ``description``, ``details.body`` (HTML), ``links.organisations[].title``,
  ``first_published_at``, ``public_updated_at``, ``base_path``;
- a UK Parliament Written Questions API item (``.../api/writtenquestions/questions/{id}``):
  ``{"value": {heading, uin, dateTabled, questionText, answeringBodyName, dateAnswered,
  answerText}, "links": [...]}``.

The text is laid out as the web page shows it, in the Markdown-like form every reader gives,
and with the lines ``funding.annotate.parts`` reads a part's date and department from ("From: ...",
"Published 2 February 2022", "Question to the ...:", "Answered on 12 March 2024"), so a
saved API document builds as its web page would.

A GOV.UK item::

    # <title>

    <description>

    From: <organisation>; <organisation>

    Published <first_published_at>[ / Last updated <public_updated_at> on its own line]
    (Last updated <public_updated_at> alone where first_published_at is null, as an HTML
    attachment's is: ``funding.annotate.parts`` dates the text by it, basis ``updated``)

    <details.body as text>

A written question::

    # <heading>

    Question <uin>, tabled on <dateTabled>

    Question to the <answeringBodyName>:

    <questionText>

    Answered on <dateAnswered>

    <answerText as text>

Dates are the day in Europe/London (GOV.UK gives UTC times: a page published at 23:30 UTC
on 31 March in summer time was published on 1 April).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from funding.read.errors import DocumentError
from funding.read.html import html_to_text

__all__ = [
    "GOVUK_LICENCE", "PARLIAMENT_LICENCE", "london_date", "looks_like_api_json", "parse_api_json", "read_api",
    "api_shape",
]

GOVUK_LICENCE = "Open Government Licence v3.0"  # GOV.UK content, unless a page says otherwise
PARLIAMENT_LICENCE = "Open Parliament Licence v3.0"  # written questions and answers
GOVUK_WEB = "https://www.gov.uk"
QUESTIONS_WEB = "https://questions-statements.parliament.uk/written-questions/detail"
LONDON = ZoneInfo("Europe/London")


def london_date(value: object) -> dt.date | None:
    """The day an API timestamp falls on in London; None for an empty or unreadable one.

    >>> london_date("2023-03-31T23:30:00.000+00:00"), london_date("2024-03-12T00:00:00"), london_date(None)
    (datetime.date(2023, 4, 1), datetime.date(2024, 3, 12), None)
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return (moment.astimezone(LONDON) if moment.tzinfo else moment).date()


def _long_date(day: dt.date) -> str:
    """'2 February 2022': the form GOV.UK prints and funding.annotate.parts reads."""
    return f"{day.day} {day:%B %Y}"


def api_shape(item: object) -> str:
    """"govuk", "question" or "" for a parsed JSON value: which API it came from, if either."""
    if isinstance(item, dict):
        if isinstance(item.get("base_path"), str) and isinstance(item.get("details"), dict) and "title" in item:
            return "govuk"
        value = item.get("value")
        if isinstance(value, dict) and "uin" in value and ("questionText" in value or "answerText" in value):
            return "question"
    return ""


def parse_api_json(data: bytes, path: Path | str) -> tuple[dict, str]:
    """The JSON object in ``data`` and its shape; DocumentError naming ``path`` if it is neither API's."""
    try:
        item = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DocumentError(path, "is not UTF-8 JSON (the APIs send UTF-8)") from None
    except json.JSONDecodeError as error:
        raise DocumentError(path, f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    shape = api_shape(item)
    if not shape:
        raise DocumentError(
            path,
            "is JSON but neither a GOV.UK Content API item (base_path, title, details) nor a Written "
            "Questions API item (value.uin, value.questionText); save such documents with `funding fetch`",
        )
    return item, shape


def looks_like_api_json(path: Path, data: bytes) -> bool:
    """True for a ``.json`` file, or one whose first non-space byte is "{" and that parses as an API item."""
    if path.suffix.lower() == ".json":
        return True
    if data.lstrip()[:1] != b"{":
        return False
    try:
        return bool(api_shape(json.loads(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False


def _text(value: object) -> str:
    """An API string field as plain text (HTML reduced as a web page is); "" for null."""
    return html_to_text(value) if isinstance(value, str) else ""


def _govuk(item: dict) -> tuple[str, dict]:
    details = item.get("details") or {}
    links = item.get("links") or {}
    organisations = [o.get("title", "") for o in links.get("organisations") or [] if isinstance(o, dict)]
    publisher = "; ".join(t.strip() for t in organisations if t and t.strip())
    published, updated = london_date(item.get("first_published_at")), london_date(item.get("public_updated_at"))
    blocks = [f"# {' '.join(str(item.get('title') or '').split())}\n"]
    description = _text(item.get("description"))
    if description:
        blocks.append(description)
    if publisher:
        blocks.append(f"From: {publisher}\n")
    if published:
        dates = f"Published {_long_date(published)}\n"
        if updated and updated != published:
            dates += f"Last updated {_long_date(updated)}\n"
        blocks.append(dates)
    elif updated:  # no first date (an HTML attachment of a publication): its update is the one it states
        blocks.append(f"Last updated {_long_date(updated)}\n")
    body = _text(details.get("body"))
    if body:
        blocks.append(body)
    meta = {
        "title": " ".join(str(item.get("title") or "").split()), "publisher": publisher,
        "published": published, "updated": updated, "url": GOVUK_WEB + item["base_path"], "licence": GOVUK_LICENCE,
        "document_type": item["document_type"] if isinstance(item.get("document_type"), str) else "",
    }
    return "\n".join(blocks), meta


def _question(item: dict) -> tuple[str, dict]:
    value = item["value"]
    heading = " ".join(str(value.get("heading") or "").split())
    uin = str(value.get("uin") or "")
    body = str(value.get("answeringBodyName") or "").strip()
    tabled, answered = london_date(value.get("dateTabled")), london_date(value.get("dateAnswered"))
    blocks = [f"# {heading or f'Written question {uin}'}\n"]
    blocks.append(f"Question {uin}" + (f", tabled on {_long_date(tabled)}" if tabled else "") + "\n")
    if body:
        blocks.append(f"Question to the {body}:\n")
    question = _text(value.get("questionText"))
    if question:
        blocks.append(question)
    if answered:
        blocks.append(f"Answered on {_long_date(answered)}\n")
    answer = _text(value.get("answerText"))
    if answer:
        blocks.append(answer)
    url = f"{QUESTIONS_WEB}/{tabled.isoformat()}/{uin}" if tabled and uin else ""
    meta = {
        "title": heading, "publisher": body, "published": answered, "updated": None, "url": url,
        "licence": PARLIAMENT_LICENCE,
    }
    return "\n".join(blocks), meta


def read_api(path: Path | str, data: bytes):
    """Read a saved API document: its text and what it says about itself (a ``Document``)."""
    from funding.read import Document, Metadata  # the package imports this module

    path = Path(path)
    item, shape = parse_api_json(data, path)
    text, meta = _govuk(item) if shape == "govuk" else _question(item)
    source = "GOV.UK Content API" if shape == "govuk" else "Written Questions API"
    note = f"{source} JSON: offsets index the text made from it (see `funding text`)"
    return Document(path.stem, path, text, "utf-8", "json", (note,), meta=Metadata(**meta))
