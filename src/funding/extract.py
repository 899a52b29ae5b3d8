"""Turn documents into mention records: every money figure, exactly located, with its sentence.

This is the stage between reading (``documents``) and writing (``output``): a pure function
of a document's decoded text, plus ``extract_paths`` which streams documents one at a time
so that memory stays flat however many are given.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from funding.read import Document, DocumentError, page_of, read_document, replace_surrogates
from funding.money import Money, SetAside, find_money, format_amount
from funding.sentences import SentenceFinder
from funding.vocab import MENTION_COLUMNS, SET_ASIDE_COLUMNS

__all__ = ["Mention", "SetAsideMention", "Extraction", "extract_text", "extract_with", "extract_paths", "mention_id"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Mention:
    """One row of the mentions table."""

    mention_id: str
    source_id: str
    line: int
    money: Money
    sentence: str
    page: int | None = None  # the printed page, for a format with pages

    def row(self) -> dict[str, str | int]:
        """The row as written to mentions.csv, in MENTION_COLUMNS order."""
        m = self.money
        gbp = m.currency == "GBP"
        values = (
            self.mention_id,
            self.source_id,
            self.line,
            "" if self.page is None else self.page,
            m.start,
            m.end,
            m.text,
            format_amount(m.amount),
            format_amount(m.amount_high),
            m.currency,
            format_amount(m.amount) if gbp else "",
            format_amount(m.amount_high) if gbp else "",
            m.qualifier,
            m.rate,
            self.sentence,
        )
        return dict(zip(MENTION_COLUMNS, values))


@dataclass(frozen=True, slots=True)
class SetAsideMention:
    """One row of the set-aside list: a currency marker that is not a figure, and why."""

    source_id: str
    line: int
    item: SetAside
    page: int | None = None

    def row(self) -> dict[str, str | int]:
        values = (self.source_id, self.line, "" if self.page is None else self.page, self.item.start, self.item.end, self.item.text, self.item.reason)
        return dict(zip(SET_ASIDE_COLUMNS, values))


@dataclass
class Extraction:
    """What one document gave: its mentions, what was set aside, or why it could not be read."""

    path: Path
    source_id: str
    mentions: list[Mention] = field(default_factory=list)
    set_aside: list[SetAsideMention] = field(default_factory=list)
    document: Document | None = None
    error: DocumentError | None = None


_ID_CONTEXT = 60  # characters either side of a figure that make its id


def mention_id(source_id: str, text: str, start: int, end: int, occurrence: int) -> str:
    """A stable id: the same figure in the same words gets the same id after edits elsewhere.

    It hashes the source, the figure and up to 60 characters either side of it on its own
    line (whitespace collapsed), plus which occurrence of that same context it is. Editing
    other lines of the document, or changing how sentences are cut, does not change it.

    >>> mention_id("doc", "Intro.\\nWe give £5m.", 16, 19, 0) == mention_id("doc", "New intro.\\nWe give £5m.", 20, 23, 0)
    True
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = " ".join(text[max(line_start, start - _ID_CONTEXT) : start].split())
    after = " ".join(text[end : min(line_end, end + _ID_CONTEXT)].split())
    key = "\x1f".join((source_id, before, text[start:end], after, str(occurrence)))
    return "m" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def extract_text(text: str, source_id: str, pages: tuple[tuple[int, int], ...] = ()) -> tuple[list[Mention], list[SetAsideMention]]:
    """Find every money figure in ``text`` and return (mentions, set-aside markers) in order.

    ``pages`` (``Document.pages``) gives each mention the page it was printed on.

    >>> mentions, _ = extract_text("Intro.\\n\\nWe are investing over £14m in hubs.", "doc")
    >>> [(m.line, m.money.text, m.money.qualifier, m.sentence) for m in mentions]
    [(3, '£14m', 'over', 'We are investing over £14m in hubs.')]
    """
    text, replaced = replace_surrogates(text)
    if replaced:
        log.warning("%s: %d lone surrogate(s), which are not characters, read as U+FFFD", source_id, replaced)
    return extract_with(text, source_id, pages, SentenceFinder(text))


def extract_with(text: str, source_id: str, pages: tuple[tuple[int, int], ...], sentences: SentenceFinder) -> tuple[list[Mention], list[SetAsideMention]]:
    """``extract_text`` of a text with no lone surrogates, asking ``sentences`` (a finder of the
    same text) for each figure's sentence: the build goes on to ask it for their contexts."""
    mentions: list[Mention] = []
    set_aside: list[SetAsideMention] = []
    seen: dict[str, int] = {}
    line, counted_to = 1, 0
    for item in find_money(text):
        line += text.count("\n", counted_to, item.start)
        counted_to = item.start
        if isinstance(item, SetAside):
            set_aside.append(SetAsideMention(source_id, line, item, page_of(pages, item.start)))
            continue
        base = mention_id(source_id, text, item.start, item.end, 0)
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        ident = base if occurrence == 0 else mention_id(source_id, text, item.start, item.end, occurrence)
        mentions.append(Mention(ident, source_id, line, item, sentences.sentence_at(item.start), page_of(pages, item.start)))
    return mentions, set_aside


def source_id_of(path: Path | str) -> str:
    """A document's source_id: its file name without the extension."""
    return Path(path).stem


def extract_paths(paths: Iterable[Path | str]) -> Iterator[Extraction]:
    """Read and extract each document in turn, sorted by source_id; a bad file yields its error.

    Documents are read one at a time and released before the next, so memory does not grow
    with the number of documents. Two files with the same stem would share a source_id: the
    second is reported as an error rather than silently merged.
    """
    ordered = sorted((Path(p) for p in paths), key=lambda p: (source_id_of(p), str(p)))
    seen: dict[str, Path] = {}
    for path in ordered:
        source_id = source_id_of(path)
        if source_id in seen:
            error = DocumentError(path, f"has the same source_id '{source_id}' as {seen[source_id]}; rename one")
            yield Extraction(path, source_id, error=error)
            continue
        seen[source_id] = path
        try:
            document = read_document(path)
        except DocumentError as error:
            yield Extraction(path, source_id, error=error)
            continue
        try:
            mentions, set_aside = extract_text(document.text, source_id, document.pages)
        except Exception as error:  # a fault in one document must not lose the others' mentions
            reason = f"could not be read for money ({type(error).__name__}: {error}); please report it"
            yield Extraction(path, source_id, document=document, error=DocumentError(path, reason))
            continue
        for note in document.notes:
            log.info("%s: %s", path, note)
        yield Extraction(path, source_id, mentions, set_aside, document)
